//! X-Series identifiers: UUIDs for every record (version-1 style, like the
//! `06f2e29c-25cb-11ee-efde-0bc57871a8a0` ids real retailers have), derived
//! from the retailer, the kind of record and its position, so the same seed
//! always gives the same ids; and sales' six-character `short_code`.

use crate::data::mix64;

/// Mixed into every id so X-Series ids never look like another platform's.
const SALT: u64 = 0x7673_6e64_6964_7321;

#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    Sale = 1,
    Line = 2,
    Customer = 3,
    Product = 4,
    Payment = 5,
    Outlet = 6,
    Register = 7,
    User = 8,
    Tax = 9,
    TaxRate = 10,
    PaymentType = 11,
    CustomerGroup = 12,
    Walkin = 13,
}

/// The id of record `n` of `kind` at retailer `retailer`.
pub(crate) fn uuid(retailer: u64, kind: Kind, n: u64) -> String {
    let a = mix64(SALT ^ (retailer << 48) ^ ((kind as u64) << 40) ^ n);
    let b = mix64(a);
    format!(
        "{:08x}-{:04x}-11ee-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

const CODE_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Six letters and digits, as receipts print them.
pub(crate) fn short_code(retailer: u64, n: u64) -> String {
    let mut x = mix64(SALT ^ 0x5c ^ (retailer << 48) ^ n);
    (0..6)
        .map(|_| {
            let c = CODE_CHARS[(x % CODE_CHARS.len() as u64) as usize];
            x /= CODE_CHARS.len() as u64;
            char::from(c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_distinct_and_uuid_shaped() {
        let a = uuid(0, Kind::Sale, 1);
        assert_eq!(a, uuid(0, Kind::Sale, 1));
        assert_ne!(a, uuid(0, Kind::Sale, 2));
        assert_ne!(a, uuid(1, Kind::Sale, 1));
        assert_ne!(a, uuid(0, Kind::Customer, 1));
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, vec![8, 4, 4, 4, 12]);
        assert_eq!(short_code(0, 7).len(), 6);
    }
}
