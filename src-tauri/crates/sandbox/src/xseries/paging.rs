//! API 2.0's version-cursor paging (channel-apis §5.2, the X-Series
//! pagination docs).
//!
//! Every record of a collection has a `version` that rises each time it
//! changes (one sequence across the retailer, with gaps). A collection
//! request returns the records with `after < version` (and
//! `version < before` when given), lowest version first, at most
//! `page_size` of them, as `{"data": [...], "version": {"min", "max"}}`;
//! the next page is `after = version.max`, and an empty `data` ends the
//! walk. Since versions move on every change, `after` doubles as "changed
//! since". Defaults and limits are in `replies` (UNCONFIRMED).

use serde_json::{json, Value};

use super::replies::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct VersionQuery {
    pub after: u64,
    pub before: Option<u64>,
    pub page_size: usize,
}

impl VersionQuery {
    /// `Err` names the parameter that could not be read. Other parameters
    /// (`deleted`, …) are ignored.
    pub(crate) fn parse(raw: &str) -> Result<VersionQuery, &'static str> {
        let mut q = VersionQuery {
            after: 0,
            before: None,
            page_size: DEFAULT_PAGE_SIZE,
        };
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let value = value.trim();
            match key.as_ref() {
                "after" if !value.is_empty() => {
                    q.after = value.parse().map_err(|_| "after")?;
                }
                "before" if !value.is_empty() => {
                    q.before = Some(value.parse().map_err(|_| "before")?);
                }
                "page_size" if !value.is_empty() => {
                    let size: usize = value.parse().map_err(|_| "page_size")?;
                    if size == 0 {
                        return Err("page_size");
                    }
                    q.page_size = size.min(MAX_PAGE_SIZE);
                }
                _ => {}
            }
        }
        Ok(q)
    }

    /// The page of `items` (ascending by `version`) this query asks for.
    pub(crate) fn page<'a, T>(&self, items: &'a [T], version: impl Fn(&T) -> u64) -> &'a [T] {
        let start = items.partition_point(|t| version(t) <= self.after);
        let end = self
            .before
            .map_or(items.len(), |b| items.partition_point(|t| version(t) < b))
            .max(start);
        let end = end.min(start.saturating_add(self.page_size));
        &items[start..end]
    }
}

/// `{"data": [...], "version": {"min", "max"}}` for records whose versions
/// are `versions` (in page order).
pub(crate) fn envelope(data: Vec<Value>, versions: &[u64]) -> Value {
    json!({
        "data": data,
        "version": {
            "min": versions.first(),
            "max": versions.last(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_the_version_cursor() {
        let items: Vec<u64> = vec![10, 20, 35, 40, 90];
        let q = VersionQuery::parse("after=20&page_size=2").expect("valid");
        assert_eq!(q.page(&items, |v| *v), &[35, 40]);
        let q = VersionQuery::parse("").expect("valid");
        assert_eq!(q.page(&items, |v| *v), &items[..]);
        let q = VersionQuery::parse("after=0&before=40").expect("valid");
        assert_eq!(q.page(&items, |v| *v), &[10, 20, 35]);
        let q = VersionQuery::parse("after=90").expect("valid");
        assert!(q.page(&items, |v| *v).is_empty());
        let q = VersionQuery::parse("after=50&before=20").expect("valid");
        assert!(q.page(&items, |v| *v).is_empty());
        assert_eq!(
            VersionQuery::parse("page_size=9999").map(|q| q.page_size),
            Ok(MAX_PAGE_SIZE)
        );
        assert_eq!(VersionQuery::parse("after=yesterday"), Err("after"));
        assert_eq!(VersionQuery::parse("page_size=0"), Err("page_size"));
        let empty = envelope(Vec::new(), &[]);
        assert!(empty["version"]["min"].is_null() && empty["data"] == json!([]));
    }
}
