//! Deep-link callbacks are untrusted input: any program or web page can open
//! `app.counterline://…`. This module only accepts the exact shape Counterline
//! registers (scheme, host `oauth`, path `/callback`, no userinfo, port or
//! fragment, each parameter once) and hands back the parameters. Binding to a
//! pending attempt and checking signatures happen in [`crate::connect`].

use url::Url;

use crate::CallbackProblem;

pub const CALLBACK_HOST: &str = "oauth";
pub const CALLBACK_PATH: &str = "/callback";
const MAX_LEN: usize = 8 * 1024;

/// The redirect URI for a scheme, e.g. `app.counterline://oauth/callback`.
pub fn redirect_uri(scheme: &str) -> Url {
    Url::parse(&format!("{scheme}://{CALLBACK_HOST}{CALLBACK_PATH}"))
        .expect("a reverse-DNS scheme forms a valid URL")
}

/// Query parameters of a well-formed callback, or `Malformed`.
pub fn parse(raw: &str, scheme: &str) -> Result<Vec<(String, String)>, CallbackProblem> {
    if raw.len() > MAX_LEN {
        return Err(CallbackProblem::Malformed);
    }
    let url = Url::parse(raw).map_err(|_| CallbackProblem::Malformed)?;
    let shape_ok = url.scheme() == scheme
        && url.host_str() == Some(CALLBACK_HOST)
        && url.path() == CALLBACK_PATH
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none()
        && url.fragment().is_none();
    if !shape_ok {
        return Err(CallbackProblem::Malformed);
    }
    unique_params(&url)
}

/// Query parameters of a loopback request target (`/callback?…`), as
/// strictly as [`parse`] reads a deep link.
pub fn parse_loopback(target: &str) -> Result<Vec<(String, String)>, CallbackProblem> {
    if target.len() > MAX_LEN {
        return Err(CallbackProblem::Malformed);
    }
    let url = Url::parse(&format!("http://127.0.0.1{target}")).map_err(|_| CallbackProblem::Malformed)?;
    if url.path() != CALLBACK_PATH || url.fragment().is_some() || !target.starts_with('/') {
        return Err(CallbackProblem::Malformed);
    }
    unique_params(&url)
}

fn unique_params(url: &Url) -> Result<Vec<(String, String)>, CallbackProblem> {
    let params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let mut keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        // A repeated parameter could sign one value and act on another.
        return Err(CallbackProblem::Malformed);
    }
    Ok(params)
}

/// The value of `name`, if present.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEME: &str = "app.counterline";

    #[test]
    fn the_registered_shape_is_accepted() {
        let params = parse("app.counterline://oauth/callback?code=a&state=b", SCHEME).unwrap();
        assert_eq!(param(&params, "code"), Some("a"));
        assert_eq!(redirect_uri(SCHEME).as_str(), "app.counterline://oauth/callback");
    }

    #[test]
    fn anything_else_is_malformed() {
        for raw in [
            "not a url",
            "other.app://oauth/callback?state=x",
            "app.counterline://evil/callback?state=x",
            "app.counterline://oauth/other?state=x",
            "app.counterline://user@oauth/callback?state=x",
            "app.counterline://oauth:99/callback?state=x",
            "app.counterline://oauth/callback?state=x#frag",
            "app.counterline://oauth/callback?state=x&state=y",
        ] {
            assert_eq!(parse(raw, SCHEME), Err(CallbackProblem::Malformed), "{raw}");
        }
        assert_eq!(parse(&format!("app.counterline://oauth/callback?x={}", "a".repeat(9000)), SCHEME), Err(CallbackProblem::Malformed));
    }
}
