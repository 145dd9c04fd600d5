//! Relay-style pagination over an already-sorted list, and Shopify-style cursors.
//!
//! A cursor is base64 of `{"last_id":…,"last_value":…}` (the shape Shopify's
//! own opaque cursors decode to): the sort value and id of the edge. Paging
//! positions by *value*, not by list index, so a cursor stays meaningful when
//! orders are edited between requests: an order whose `updatedAt` moved past
//! the cursor shows up again later in an UPDATED_AT walk, as on Shopify.
//!
//! Every position is found by binary search on the sorted keys; only the
//! page itself (plus one look-ahead match each side) is visited.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use crate::data::clock;

/// The page a request asks for, already validated (0 ≤ size ≤ 250, not both).
#[derive(Clone, Debug, Default)]
pub(crate) struct PageArgs {
    pub first: Option<usize>,
    pub last: Option<usize>,
    pub after: Option<(i64, u64)>,
    pub before: Option<(i64, u64)>,
    pub reverse: bool,
}

/// The positions (into the sorted list) of one page, in response order.
#[derive(Debug, Default)]
pub(crate) struct Slice {
    pub positions: Vec<usize>,
    pub has_next: bool,
    pub has_previous: bool,
}

/// Pages through `len` items whose sort keys `key(i)` ascend with `i`, keeping
/// only items where `keep(i)`; `bounds` narrows the search to a key range
/// first (inclusive lower, exclusive upper sort value) when the filter allows.
pub(crate) fn paginate(
    len: usize,
    key: impl Fn(usize) -> (i64, u64),
    keep: impl Fn(usize) -> bool,
    bounds: (Option<i64>, Option<i64>),
    args: &PageArgs,
) -> Slice {
    let partition = |pred: &dyn Fn((i64, u64)) -> bool| -> usize {
        // The list is sorted by key, so `pred` is true for a prefix.
        let (mut lo, mut hi) = (0usize, len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(key(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let base_lo = bounds.0.map_or(0, |v| partition(&|k| k.0 < v));
    let base_hi = bounds
        .1
        .map_or(len, |v| partition(&|k| k.0 < v))
        .max(base_lo);
    let (mut lo, mut hi) = (base_lo, base_hi);
    // `after` and `before` speak about the *response* order, which is
    // descending when `reverse` is set.
    let (from_start, from_end) = if args.reverse {
        (args.before, args.after)
    } else {
        (args.after, args.before)
    };
    if let Some(c) = from_start {
        lo = lo.max(partition(&|k| k <= c));
    }
    if let Some(c) = from_end {
        hi = hi.min(partition(&|k| k < c));
    }
    hi = hi.max(lo);

    let forward = !args.reverse;
    // Iterators over the window and over what lies outside it, in response order.
    let window = |from_front: bool| -> Box<dyn Iterator<Item = usize>> {
        if from_front == forward {
            Box::new(lo..hi)
        } else {
            Box::new((lo..hi).rev())
        }
    };
    let any_before = || {
        if forward {
            (base_lo..lo).rev().any(&keep)
        } else {
            (hi..base_hi).any(&keep)
        }
    };
    let any_after = || {
        if forward {
            (hi..base_hi).any(&keep)
        } else {
            (base_lo..lo).rev().any(&keep)
        }
    };

    match (args.first, args.last) {
        (Some(n), _) => {
            let mut positions: Vec<usize> = window(true).filter(|&i| keep(i)).take(n + 1).collect();
            let has_next = positions.len() > n;
            positions.truncate(n);
            Slice {
                positions,
                has_next,
                has_previous: any_before(),
            }
        }
        (None, Some(n)) => {
            let mut positions: Vec<usize> =
                window(false).filter(|&i| keep(i)).take(n + 1).collect();
            let has_previous = positions.len() > n;
            positions.truncate(n);
            positions.reverse();
            Slice {
                positions,
                has_next: any_after(),
                has_previous,
            }
        }
        (None, None) => Slice::default(),
    }
}

/// How a sort value is written into a cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CursorValue {
    Time,
    Number,
}

pub(crate) fn encode_cursor(kind: CursorValue, value: i64, id: u64) -> String {
    let last_value = match kind {
        CursorValue::Time => Value::String(clock::format_utc(value)),
        CursorValue::Number => json!(value),
    };
    STANDARD.encode(json!({"last_id": id, "last_value": last_value}).to_string())
}

/// `None` for anything that isn't a cursor this sort could have produced.
pub(crate) fn decode_cursor(kind: CursorValue, cursor: &str) -> Option<(i64, u64)> {
    let bytes = STANDARD.decode(cursor.trim()).ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    let id = v.get("last_id")?.as_u64()?;
    let value = match (kind, v.get("last_value")?) {
        (CursorValue::Time, Value::String(s)) => clock::parse_instant(s)?,
        (CursorValue::Number, Value::Number(n)) => n.as_i64()?,
        _ => return None,
    };
    Some((value, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(keys: &[(i64, u64)], args: PageArgs) -> Vec<u64> {
        let s = paginate(keys.len(), |i| keys[i], |_| true, (None, None), &args);
        s.positions.iter().map(|&p| keys[p].1).collect()
    }

    #[test]
    fn pages_forward_backward_and_reversed() {
        let keys: Vec<(i64, u64)> = (1..=10).map(|i| (i as i64 * 10, i)).collect();
        assert_eq!(
            run(
                &keys,
                PageArgs {
                    first: Some(3),
                    ..Default::default()
                }
            ),
            vec![1, 2, 3]
        );
        let after = Some((30, 3));
        assert_eq!(
            run(
                &keys,
                PageArgs {
                    first: Some(3),
                    after,
                    ..Default::default()
                }
            ),
            vec![4, 5, 6]
        );
        assert_eq!(
            run(
                &keys,
                PageArgs {
                    last: Some(2),
                    ..Default::default()
                }
            ),
            vec![9, 10]
        );
        let before = Some((30, 3));
        assert_eq!(
            run(
                &keys,
                PageArgs {
                    last: Some(5),
                    before,
                    ..Default::default()
                }
            ),
            vec![1, 2]
        );
        let rev = PageArgs {
            first: Some(2),
            reverse: true,
            after: Some((90, 9)),
            ..Default::default()
        };
        assert_eq!(run(&keys, rev), vec![8, 7]);
    }

    #[test]
    fn page_info_flags_look_both_ways_and_respect_the_filter() {
        let keys: Vec<(i64, u64)> = (1..=10).map(|i| (i as i64 * 10, i)).collect();
        let even = |i: usize| keys[i].1 % 2 == 0;
        let args = PageArgs {
            first: Some(2),
            after: Some((40, 4)),
            ..Default::default()
        };
        let s = paginate(keys.len(), |i| keys[i], even, (None, None), &args);
        let ids: Vec<u64> = s.positions.iter().map(|&p| keys[p].1).collect();
        assert_eq!(ids, vec![6, 8], "only matching items, after the cursor");
        assert!(s.has_next, "10 is still to come");
        assert!(s.has_previous, "2 and 4 lie before the cursor");
        let s = paginate(
            keys.len(),
            |i| keys[i],
            even,
            (Some(60), None),
            &PageArgs {
                first: Some(5),
                ..Default::default()
            },
        );
        assert!(
            !s.has_previous && !s.has_next,
            "a range bound limits both directions"
        );
        assert_eq!(s.positions.len(), 3, "6, 8 and 10 are at or above 60");
    }

    #[test]
    fn cursors_round_trip() {
        let c = encode_cursor(CursorValue::Time, 1_780_000_000, 42);
        assert_eq!(
            decode_cursor(CursorValue::Time, &c),
            Some((1_780_000_000, 42))
        );
        assert_eq!(decode_cursor(CursorValue::Number, &c), None);
        assert_eq!(decode_cursor(CursorValue::Time, "not a cursor"), None);
    }
}
