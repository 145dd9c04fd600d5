//! The sandbox's people: who buys, from a seed.
//!
//! Every platform the sandbox plays draws its customers from this one pool, so
//! the same person (same name, same canonical email, same address) shows up on
//! Shopify today and on the platforms added later. That is what lets Counterline's
//! member matching be tested across channels.
//!
//! The pool for `(seed, count)` is generated in one sequential pass and is
//! *prefix-stable*: person `i` is the same whatever `count` is, as long as
//! `count > i`. Emails are unique within a pool (a clash gets a number appended,
//! the way real people end up with `ann.lee2@…`).
//!
//! Orders do not store an email string: they store which [`EmailVariant`] of the
//! person's canonical email the shopper typed, because real checkouts receive
//! `Ann.Lee@Example.com` on one order and ` ann.lee@example.com ` on the next.

use std::collections::HashSet;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Mixed into the seed so the people stream never coincides with an order stream.
const PEOPLE_SALT: u64 = 0x7065_6f70_6c65_2121;

const FIRST_NAMES: &[&str] = &[
    "Ann", "Ben", "Chloe", "Daniel", "Elena", "Farah", "George", "Hana", "Isaac", "Julia", "Kenji",
    "Laura", "Marco", "Nadia", "Oscar", "Priya", "Quinn", "Rosa", "Samuel", "Tara", "Umar",
    "Valerie", "Wei", "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno", "Camille", "Diego", "Emma",
    "Felix", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam", "Maya", "Noah",
];

const LAST_NAMES: &[&str] = &[
    "Lee", "Smith", "Garcia", "Nguyen", "Brown", "Kowalski", "Okafor", "Rossi", "Schmidt",
    "Tanaka", "Dubois", "Murphy", "Silva", "Chen", "Patel", "Cohen", "Andersen", "Novak", "Kim",
    "Martin", "Lopez", "Walker", "Haddad", "Ivanova", "Jensen", "Moreau", "O'Brien", "Park",
    "Quintero", "Ramos", "Sato", "Tremblay", "Weber", "Young", "Zhang", "Fischer", "Baker",
    "Costa", "Duarte", "Ellis",
];

/// Reserved-for-examples style domains: nothing here can ever reach a real inbox.
const EMAIL_DOMAINS: &[&str] = &[
    "example.com",
    "example.net",
    "example.org",
    "mail.example",
    "post.example",
];

const STREETS: &[&str] = &[
    "Maple Avenue",
    "Oak Street",
    "Harbour Road",
    "King Street",
    "Elm Drive",
    "Mill Lane",
    "Cedar Court",
    "Station Road",
    "Park Place",
    "River Walk",
    "Hillcrest Way",
    "Bay Street",
];

/// A place people live: enough of a mailing address to look real.
#[derive(Clone, Copy, Debug)]
pub struct Place {
    pub city: &'static str,
    pub province: &'static str,
    pub province_code: &'static str,
    pub country: &'static str,
    pub country_code: &'static str,
    /// Postal-code shape: `#` is a digit, `@` an uppercase letter.
    pub zip_pattern: &'static str,
}

const fn place(
    city: &'static str,
    province: &'static str,
    province_code: &'static str,
    country: &'static str,
    country_code: &'static str,
    zip_pattern: &'static str,
) -> Place {
    Place {
        city,
        province,
        province_code,
        country,
        country_code,
        zip_pattern,
    }
}

const US_PLACES: &[Place] = &[
    place("Portland", "Oregon", "OR", "United States", "US", "972##"),
    place("Austin", "Texas", "TX", "United States", "US", "787##"),
    place("Brooklyn", "New York", "NY", "United States", "US", "112##"),
    place("Denver", "Colorado", "CO", "United States", "US", "802##"),
    place("Chicago", "Illinois", "IL", "United States", "US", "606##"),
    place(
        "Seattle",
        "Washington",
        "WA",
        "United States",
        "US",
        "981##",
    ),
    place(
        "Oakland",
        "California",
        "CA",
        "United States",
        "US",
        "946##",
    ),
    place(
        "Asheville",
        "North Carolina",
        "NC",
        "United States",
        "US",
        "288##",
    ),
    place("Madison", "Wisconsin", "WI", "United States", "US", "537##"),
    place(
        "Burlington",
        "Vermont",
        "VT",
        "United States",
        "US",
        "054##",
    ),
];

const CA_PLACES: &[Place] = &[
    place("Toronto", "Ontario", "ON", "Canada", "CA", "M#@ #@#"),
    place(
        "Vancouver",
        "British Columbia",
        "BC",
        "Canada",
        "CA",
        "V#@ #@#",
    ),
    place("Montréal", "Quebec", "QC", "Canada", "CA", "H#@ #@#"),
    place("Halifax", "Nova Scotia", "NS", "Canada", "CA", "B#@ #@#"),
];

const EU_PLACES: &[Place] = &[
    place("Berlin", "Berlin", "BE", "Germany", "DE", "10###"),
    place(
        "Lyon",
        "Auvergne-Rhône-Alpes",
        "ARA",
        "France",
        "FR",
        "690##",
    ),
    place("Dublin", "Dublin", "D", "Ireland", "IE", "D0# @###"),
    place("Utrecht", "Utrecht", "UT", "Netherlands", "NL", "35## @@"),
];

/// Where a person lives decides the currency they usually see at checkout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    UnitedStates,
    Canada,
    Europe,
}

#[derive(Clone, Debug)]
pub struct Address {
    pub address1: String,
    pub address2: Option<String>,
    pub place: Place,
    pub zip: String,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub index: u32,
    pub first_name: &'static str,
    pub last_name: &'static str,
    /// Canonical form: lowercase, no surrounding spaces. Orders carry variants of it.
    pub email: String,
    pub phone: Option<String>,
    pub region: Region,
    pub address: Address,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// How a shopper typed their email on one order. `Canonical` is by far the most
/// common; the others are the real-world noise member matching must see through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailVariant {
    Canonical,
    /// `Ann.Lee@Example.com`
    Capitalized,
    /// ` ann.lee@example.com `
    Padded,
    /// `ANN.LEE@EXAMPLE.COM`
    Shouting,
    /// `Ann.Lee@example.com ` (capitalised and a trailing space from autofill)
    CapitalizedTrailingSpace,
}

impl EmailVariant {
    pub const ALL: [EmailVariant; 5] = [
        EmailVariant::Canonical,
        EmailVariant::Capitalized,
        EmailVariant::Padded,
        EmailVariant::Shouting,
        EmailVariant::CapitalizedTrailingSpace,
    ];

    /// Picks a variant: 60% canonical, the rest spread over the noisy forms.
    pub fn pick(rng: &mut impl Rng) -> EmailVariant {
        match rng.gen_range(0..100u32) {
            0..=59 => EmailVariant::Canonical,
            60..=74 => EmailVariant::Capitalized,
            75..=87 => EmailVariant::Padded,
            88..=93 => EmailVariant::Shouting,
            _ => EmailVariant::CapitalizedTrailingSpace,
        }
    }

    /// Renders `canonical` (lowercase `local@domain`) the way this variant types it.
    pub fn apply(self, canonical: &str) -> String {
        match self {
            EmailVariant::Canonical => canonical.to_owned(),
            EmailVariant::Capitalized => capitalize_address(canonical),
            EmailVariant::Padded => format!(" {canonical} "),
            EmailVariant::Shouting => canonical.to_uppercase(),
            EmailVariant::CapitalizedTrailingSpace => {
                let (local, domain) = canonical.split_once('@').unwrap_or((canonical, ""));
                format!("{}@{domain} ", capitalize_words(local))
            }
        }
    }
}

/// `ann.lee@example.com` → `Ann.Lee@Example.com`: each word of the local part
/// and the domain's first letter, the way autocorrect and people do it.
fn capitalize_address(s: &str) -> String {
    match s.split_once('@') {
        Some((local, domain)) => {
            let mut chars = domain.chars();
            let domain: String = chars
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(chars)
                .collect();
            format!("{}@{domain}", capitalize_words(local))
        }
        None => capitalize_words(s),
    }
}

/// Uppercases the first letter after the start, a `.`, `_` or `-`.
fn capitalize_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut upper_next = true;
    for c in s.chars() {
        if upper_next {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        upper_next = matches!(c, '.' | '_' | '-');
    }
    out
}

/// The pool size the sandbox uses for a platform with `order_count` orders:
/// about four orders per person, so most people are repeat buyers.
pub fn pool_size_for(order_count: usize) -> usize {
    (order_count / 4).max(1)
}

/// Everyone in the sandbox's world, for one seed.
#[derive(Clone, Debug)]
pub struct People {
    seed: u64,
    persons: Vec<Person>,
}

impl People {
    pub fn generate(seed: u64, count: usize) -> People {
        let mut rng = StdRng::seed_from_u64(seed ^ PEOPLE_SALT);
        let mut taken: HashSet<String> = HashSet::with_capacity(count);
        let persons = (0..count)
            .map(|i| {
                let index = u32::try_from(i).unwrap_or(u32::MAX);
                person(&mut rng, index, &mut taken)
            })
            .collect();
        People { seed, persons }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn len(&self) -> usize {
        self.persons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }

    pub fn get(&self, index: u32) -> Option<&Person> {
        self.persons.get(index as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Person> {
        self.persons.iter()
    }
}

fn person(rng: &mut StdRng, index: u32, taken: &mut HashSet<String>) -> Person {
    let first_name = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
    let last_name = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
    let region = match rng.gen_range(0..100u32) {
        0..=82 => Region::UnitedStates,
        83..=91 => Region::Canada,
        _ => Region::Europe,
    };
    let places = match region {
        Region::UnitedStates => US_PLACES,
        Region::Canada => CA_PLACES,
        Region::Europe => EU_PLACES,
    };
    let place = places[rng.gen_range(0..places.len())];
    let email = unique_email(rng, first_name, last_name, taken);
    let phone = rng.gen_bool(0.7).then(|| phone_for(rng, region));
    let address1 = format!(
        "{} {}",
        rng.gen_range(1..2400u32),
        STREETS[rng.gen_range(0..STREETS.len())]
    );
    let address2 = rng
        .gen_bool(0.2)
        .then(|| format!("Apt {}", rng.gen_range(1..40u32)));
    let zip = fill_pattern(rng, place.zip_pattern);
    Person {
        index,
        first_name,
        last_name,
        email,
        phone,
        region,
        address: Address {
            address1,
            address2,
            place,
            zip,
        },
    }
}

fn unique_email(rng: &mut StdRng, first: &str, last: &str, taken: &mut HashSet<String>) -> String {
    let first = ascii_lower(first);
    let last = ascii_lower(last);
    let local = match rng.gen_range(0..10u32) {
        0..=4 => format!("{first}.{last}"),
        5..=6 => format!("{first}{last}"),
        7 => format!("{first}_{last}"),
        8 => format!("{}{last}", &first[..1]),
        _ => format!("{first}.{last}{}", rng.gen_range(70..100u32)),
    };
    let domain = EMAIL_DOMAINS[rng.gen_range(0..EMAIL_DOMAINS.len())];
    let mut candidate = format!("{local}@{domain}");
    let mut n = 2u32;
    while taken.contains(&candidate) {
        candidate = format!("{local}{n}@{domain}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// Lowercases and drops characters an email local part wouldn't carry (`O'Brien` → `obrien`).
fn ascii_lower(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn phone_for(rng: &mut StdRng, region: Region) -> String {
    match region {
        Region::UnitedStates | Region::Canada => format!(
            "+1{}{}{:04}",
            rng.gen_range(201..990u32),
            rng.gen_range(200..990u32),
            rng.gen_range(0..10_000u32)
        ),
        Region::Europe => format!(
            "+49{}{:07}",
            rng.gen_range(150..180u32),
            rng.gen_range(0..10_000_000u32)
        ),
    }
}

fn fill_pattern(rng: &mut StdRng, pattern: &str) -> String {
    pattern
        .chars()
        .map(|c| match c {
            '#' => char::from(b'0' + rng.gen_range(0..10u8)),
            '@' => char::from(b'A' + rng.gen_range(0..26u8)),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_variants_normalise_back_to_the_canonical_form() {
        for variant in EmailVariant::ALL {
            let typed = variant.apply("ann.lee@example.com");
            assert_eq!(
                typed.trim().to_lowercase(),
                "ann.lee@example.com",
                "{variant:?} -> {typed:?}"
            );
        }
        assert_eq!(
            EmailVariant::Capitalized.apply("ann.lee@example.com"),
            "Ann.Lee@Example.com"
        );
    }

    #[test]
    fn pools_are_prefix_stable_and_emails_unique() {
        let small = People::generate(7, 100);
        let big = People::generate(7, 1000);
        for (a, b) in small.iter().zip(big.iter()) {
            assert_eq!(a.email, b.email);
        }
        let unique: HashSet<_> = big.iter().map(|p| p.email.as_str()).collect();
        assert_eq!(unique.len(), big.len());
    }
}
