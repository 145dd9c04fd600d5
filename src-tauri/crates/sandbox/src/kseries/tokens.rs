//! K-Series' token store: the shared [`Grants`] (codes, access tokens,
//! rotating refresh tokens, subject = business id), plus when each refresh
//! token was issued, because K-Series' refresh tokens lapse after 14 days
//! (documented) while the shared store keeps them until used or revoked.

use std::collections::HashMap;

use crate::data::clock::{self, DAY};
use crate::lightspeed::grants::{CodeError, Grants, Issued};

/// Refresh tokens expire after 14 days (documented).
pub(crate) const REFRESH_TOKEN_LIFETIME_SECS: i64 = 14 * DAY;

/// The grants, plus when each refresh token was issued (the shared
/// [`Grants`] keeps refresh tokens forever; K-Series' lapse after 14 days).
pub(crate) struct Tokens {
    pub grants: Grants,
    refresh_born: HashMap<String, i64>,
}

impl Tokens {
    pub(crate) fn new(lifetime: std::time::Duration) -> Tokens {
        Tokens {
            grants: Grants::new("", "", 64, lifetime),
            refresh_born: HashMap::new(),
        }
    }

    fn born(&mut self, issued: Issued, now: i64) -> Issued {
        self.refresh_born.insert(issued.refresh_token.clone(), now);
        issued
    }

    /// A new pair for `subject`, skipping OAuth.
    pub(crate) fn issue(&mut self, subject: &str, scopes: Vec<String>, client_id: &str) -> Issued {
        let issued = self.grants.issue(subject, scopes, client_id);
        self.born(issued, clock::now())
    }

    pub(crate) fn redeem_code(
        &mut self,
        code: &str,
        client_id: &str,
        redirect_uri: Option<&str>,
    ) -> Result<Issued, CodeError> {
        let issued = self
            .grants
            .redeem_code(code, client_id, redirect_uri, None)?;
        Ok(self.born(issued, clock::now()))
    }

    /// Rotates `token` at time `now`: `None` when unknown, used, revoked,
    /// another app's, or older than 14 days.
    pub(crate) fn refresh(&mut self, token: &str, client_id: &str, now: i64) -> Option<Issued> {
        let born = *self.refresh_born.get(token)?;
        if now - born >= REFRESH_TOKEN_LIFETIME_SECS {
            self.refresh_born.remove(token);
            return None;
        }
        let issued = self.grants.refresh(token, client_id, None)?;
        self.refresh_born.remove(token);
        Some(self.born(issued, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_tokens_are_single_use_and_lapse_after_14_days() {
        let mut t = Tokens::new(std::time::Duration::from_secs(3_600));
        let first = t.issue("1", vec!["financial-api".into()], "app");
        let now = clock::now();
        let second = t
            .refresh(&first.refresh_token, "app", now)
            .expect("rotates");
        assert!(
            t.refresh(&first.refresh_token, "app", now).is_none(),
            "used up"
        );
        let late = now + REFRESH_TOKEN_LIFETIME_SECS;
        assert!(
            t.refresh(&second.refresh_token, "app", late).is_none(),
            "lapsed"
        );
        assert!(
            t.refresh(&second.refresh_token, "app", now).is_none(),
            "and gone"
        );
    }
}
