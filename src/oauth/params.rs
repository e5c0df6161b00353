//! Which parameters a request signs, per profile, and the signature base string.

use std::cmp::Ordering;

use super::encode::{encode_into, form_pairs, percent_encoded, strnatcmp};
use super::url::{self, Url};
use super::{OAuthError, Profile};
use crate::php::{rawurldecode, urldecode};

/// Most protocol or request parameters one request may carry (hostile input bound):
/// a header, query string or form body with more pieces is refused with 400
/// `too-many-parameters` (PHP's own `max_input_vars` is 1000 too).
pub const MAX_PARAMS: usize = 1000;

/// Refuse `text` when it splits into more than [`MAX_PARAMS`] pieces on `sep`.
pub(crate) fn check_count(text: &str, sep: char, what: &str) -> Result<(), OAuthError> {
    if text.split(sep).nth(MAX_PARAMS).is_some() {
        return Err(OAuthError::bad_request(
            "too-many-parameters",
            format!("more than {MAX_PARAMS} parameters in the {what}"),
        ));
    }
    Ok(())
}

/// A collected parameter value: PHP arrays (from `a[b]=…` form fields) only matter as
/// "an array" — 2.4.7 signs them as `Array`, 2.4.8 fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    Str(String),
    Array,
}

/// An insertion-ordered PHP array with string keys: assignment to an existing key
/// replaces the value in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PhpMap(pub Vec<(String, Val)>);

impl PhpMap {
    pub fn set(&mut self, k: String, v: Val) {
        match self.0.iter_mut().find(|(x, _)| *x == k) {
            Some(slot) => slot.1 = v,
            None => self.0.push((k, v)),
        }
    }
    pub fn get(&self, k: &str) -> Option<&Val> {
        self.0.iter().find(|(x, _)| x == k).map(|(_, v)| v)
    }
    pub fn get_str(&self, k: &str) -> Option<&str> {
        match self.get(k) {
            Some(Val::Str(s)) => Some(s),
            _ => None,
        }
    }
}

/// Magento's `_isProtocolParameter`: the *unanchored* regex `oauth_[a-z_-]+`
/// (so `xoauth_foo` counts too).
pub(crate) fn is_protocol(name: &str) -> bool {
    let b = name.as_bytes();
    (0..b.len()).any(|i| {
        b[i..].starts_with(b"oauth_")
            && b.get(i + 6)
                .is_some_and(|c| c.is_ascii_lowercase() || *c == b'_' || *c == b'-')
    })
}

/// The Authorization header as Magento 2.4.7/2.4.8 read it (spec §7.1): `oauth `
/// anywhere (any case), then `,`-separated `name=value` pieces; names matching
/// `oauth_[a-z_-]+` kept, `rawurldecode`d, values unquoted and `rawurldecode`d; later
/// duplicates win. `None`: not an OAuth header.
pub(crate) fn magento_header(header: &str) -> Option<PhpMap> {
    let lower = header.to_ascii_lowercase();
    let at = lower.find("oauth ")?;
    let mut out = PhpMap::default();
    for piece in header[at + 6..].split(',').take(MAX_PARAMS) {
        let Some((name, value)) = piece.trim_matches(php_ws).split_once('=') else {
            continue;
        };
        if is_protocol(name) {
            out.set(
                rawurldecode(name).into_owned(),
                Val::Str(rawurldecode(value.trim_matches('"')).into_owned()),
            );
        }
    }
    Some(out)
}

fn php_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\x0B')
}

/// Protocol parameters and `realm` of an RFC 5849 header.
pub(crate) type RfcHeader = (Vec<(String, String)>, Option<String>);

/// RFC 5849 §3.5.1 header parsing (oauthlib): scheme `OAuth`, then comma-separated
/// `name="value"` pairs, both percent-decoded. `realm` is returned separately.
pub(crate) fn rfc_header(header: &str) -> Result<Option<RfcHeader>, OAuthError> {
    let h = header.trim();
    // Bytes, not `&h[..5]`: a multi-byte character there is not a char boundary
    // (found by the `oauth` fuzz target).
    if h.len() < 6
        || !h.as_bytes()[..5].eq_ignore_ascii_case(b"oauth")
        || !h.as_bytes()[5].is_ascii_whitespace()
    {
        return Ok(None);
    }
    let mut params = Vec::new();
    let mut realm = None;
    for piece in h[6..].split(',').take(MAX_PARAMS) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        let (name, value) = piece.split_once('=').ok_or_else(|| {
            OAuthError::bad_request(
                "bad-header",
                format!("malformed Authorization header parameter `{piece}`"),
            )
        })?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .ok_or_else(|| {
                OAuthError::bad_request(
                    "bad-header",
                    format!("Authorization header value of `{name}` is not quoted"),
                )
            })?;
        let name = rawurldecode(name.trim()).into_owned();
        let value = rawurldecode(value).into_owned();
        if name == "realm" {
            realm = Some(value);
        } else {
            params.push((name, value));
        }
    }
    Ok(Some((params, realm)))
}

/// PHP `parse_str`, as far as signatures can see it: pairs split on `&` and `=`,
/// `urldecode`d; leading spaces of names dropped; `.` and ` ` in names become `_`;
/// `name[…]` makes the base name an array (an unmatched `[` becomes `_`).
pub(crate) fn parse_str(s: &str) -> PhpMap {
    let mut out = PhpMap::default();
    for piece in s.split('&').filter(|p| !p.is_empty()).take(MAX_PARAMS) {
        let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
        let k = urldecode(k);
        let k = k.trim_start_matches(' ');
        let k = k.split('\0').next().unwrap_or("");
        let (base, array) = match k.find('[') {
            Some(i) if k[i..].contains(']') => (&k[..i], true),
            Some(i) => {
                let mangled = format!("{}_{}", mangle(&k[..i]), &k[i + 1..]);
                if !mangled.is_empty() {
                    out.set(mangled, Val::Str(urldecode(v).into_owned()));
                }
                continue;
            }
            None => (k, false),
        };
        if base.is_empty() {
            continue;
        }
        let value = if array {
            Val::Array
        } else {
            Val::Str(urldecode(v).into_owned())
        };
        out.set(mangle(base), value);
    }
    out
}

fn mangle(name: &str) -> String {
    name.replace(['.', ' '], "_")
}

/// `_extractQueryStringParams`: only pieces with exactly one `=`, names and values
/// `rawurldecode`d (`+` stays `+`), protocol names skipped, later duplicates win.
fn magento_query(params: &mut PhpMap, query: &str) {
    for piece in query.split('&').take(MAX_PARAMS) {
        let mut kv = piece.split('=');
        if let (Some(k), Some(v), None) = (kv.next(), kv.next(), kv.next()) {
            if !is_protocol(k) {
                params.set(
                    rawurldecode(k).into_owned(),
                    Val::Str(rawurldecode(v).into_owned()),
                );
            }
        }
    }
}

/// A request as signing sees it.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// HTTP method (upper-cased for the base string).
    pub method: &'a str,
    /// Absolute URL as sent: scheme, Host header, request URI.
    pub url: &'a str,
    /// `Content-Type`, if any.
    pub content_type: Option<&'a str>,
    /// The body, if any (only form-encoded bodies are signed).
    pub body: Option<&'a str>,
}

/// Everything the base string is built from, collected per profile.
pub(crate) struct Collected {
    pub uri: String,
    /// (name, value) pairs, unencoded, `oauth_signature` excluded.
    pub pairs: Vec<(String, Val)>,
}

/// Collect what `profile` signs: `protocol` is the oauth_* set (from the header when
/// verifying, or the parameters being signed when signing).
pub(crate) fn collect(
    profile: Profile,
    req: &SignedRequest<'_>,
    protocol: PhpMap,
) -> Result<Collected, OAuthError> {
    let u: Url<'_> = url::parse(req.url)?;
    check_count(u.query.unwrap_or(""), '&', "query string")?;
    if is_form(req.content_type, profile.is_magento()) {
        check_count(req.body.unwrap_or(""), '&', "form body")?;
    }
    match profile {
        Profile::Rfc5849 => {
            let mut pairs: Vec<(String, Val)> = protocol
                .0
                .into_iter()
                .filter(|(k, _)| k != "oauth_signature" && k != "realm")
                .collect();
            for (k, v) in form_pairs(u.query.unwrap_or(""))
                .into_iter()
                .take(MAX_PARAMS)
            {
                pairs.push((k, Val::Str(v)));
            }
            if is_form(req.content_type, false) {
                for (k, v) in form_pairs(req.body.unwrap_or(""))
                    .into_iter()
                    .take(MAX_PARAMS)
                {
                    pairs.push((k, Val::Str(v)));
                }
            }
            Ok(Collected {
                uri: url::rfc5849(&u),
                pairs,
            })
        }
        Profile::Magento247 | Profile::Magento248 => {
            let mut params = protocol;
            // Form bodies only for a Content-Type starting (case-sensitively) with
            // application/x-www-form-urlencoded; oauth_* body fields only if the
            // header gave none.
            if is_form(req.content_type, true) {
                let header_empty = params.0.is_empty();
                for (k, v) in parse_str(req.body.unwrap_or("")).0 {
                    if !is_protocol(&k) || header_empty {
                        if profile == Profile::Magento248 && v == Val::Array {
                            return Err(OAuthError::internal("array fields in a form body make Magento 2.4.8 fail (rawurlencode of an array)"));
                        }
                        params.set(k, v);
                    }
                }
            }
            magento_query(&mut params, u.query.unwrap_or(""));
            if profile == Profile::Magento247 {
                let uri = url::laminas(&u)?;
                let pairs = params
                    .0
                    .into_iter()
                    .filter(|(k, _)| k != "oauth_signature")
                    .collect();
                return Ok(Collected { uri, pairs });
            }
            // 2.4.8 Hmac::buildRequestParams: array_merge with parse_str(query), then
            // removeNestedArrays; non-scalar values are skipped unless the key has `[`.
            for (k, v) in parse_str(u.query.unwrap_or("")).0 {
                params.set(k, v);
            }
            let bracketed: Vec<String> = params
                .0
                .iter()
                .filter(|(k, _)| k.contains('[') && k.contains(']'))
                .map(|(k, _)| k[..k.find('[').unwrap_or(0)].to_string())
                .collect();
            params
                .0
                .retain(|(k, v)| !(matches!(v, Val::Array) && bracketed.iter().any(|b| b == k)));
            let mut pairs = Vec::new();
            for (k, v) in params.0 {
                if php_int_key(&k) {
                    return Err(OAuthError::internal(format!(
                        "numeric parameter name `{k}` makes Magento 2.4.8 fail (integer array key)"
                    )));
                }
                if k == "oauth_signature" {
                    continue;
                }
                match v {
                    Val::Str(_) => pairs.push((k, v)),
                    Val::Array if k.contains('[') => {
                        return Err(OAuthError::internal(
                            "array parameter values make Magento 2.4.8 fail",
                        ));
                    }
                    Val::Array => {} // isValidValue: skipped
                }
            }
            Ok(Collected {
                uri: url::raw(&u),
                pairs,
            })
        }
    }
}

fn is_form(content_type: Option<&str>, magento: bool) -> bool {
    const FORM: &str = "application/x-www-form-urlencoded";
    match content_type {
        None => false,
        Some(ct) if magento => ct.starts_with(FORM),
        Some(ct) => ct
            .split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case(FORM)),
    }
}

/// A string PHP turns into an integer array key: `0` or `-?[1-9][0-9]*` within i64.
fn php_int_key(k: &str) -> bool {
    let digits = k.strip_prefix('-').unwrap_or(k);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|c| c.is_ascii_digit())
        && (digits == "0" && k == "0" || !digits.starts_with('0'));
    canonical && k.parse::<i64>().is_ok()
}

fn val_str(v: &Val) -> &str {
    match v {
        Val::Str(s) => s,
        Val::Array => "Array",
    }
}

/// PHP 8 `ksort` (SORT_REGULAR) on string keys: numeric strings compare as numbers,
/// everything else byte for byte.
fn ksort_cmp(a: &str, b: &str) -> Ordering {
    if crate::php::is_numeric(a) && crate::php::is_numeric(b) {
        let (x, y) = (
            a.trim().parse::<f64>().unwrap_or(0.0),
            b.trim().parse::<f64>().unwrap_or(0.0),
        );
        if let Some(o) = x.partial_cmp(&y) {
            if o != Ordering::Equal {
                return o;
            }
        }
    }
    a.as_bytes().cmp(b.as_bytes())
}

/// A stable binary-insertion sort that tolerates comparisons which are not a total
/// order. PHP's comparisons of mixed numeric and non-numeric keys are not transitive
/// (`"10" < "9a"`, `"9a" < "9"`, `"9" < "10"`), and Rust's slice sorts may panic on such
/// input (found by the `oauth` fuzz target). For consistent keys the result is the
/// stable order PHP 8 gives; for inconsistent ones PHP's own result depends on its
/// algorithm, and the signature may then differ from Magento's (manual::magento_quirks).
fn stable_sort<T: Copy>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let x = v[i];
        // First position in the sorted prefix whose element is greater than `x`.
        let (mut lo, mut hi) = (0, i);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if cmp(&x, &v[mid]) == Ordering::Less {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        v.copy_within(lo..i, lo + 1);
        v[lo] = x;
    }
}

/// The signature base string (`METHOD&uri&params`) of `collected` under `profile`.
pub(crate) fn base_string(profile: Profile, method: &str, c: &Collected) -> String {
    let pairs = &c.pairs;
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    match profile {
        // RFC 5849 §3.4.1.3.2: by encoded name, then encoded value, byte order.
        Profile::Rfc5849 => {
            let enc: Vec<_> = pairs
                .iter()
                .map(|(k, v)| (percent_encoded(k), percent_encoded(val_str(v))))
                .collect();
            order.sort_by(|&i, &j| enc[i].cmp(&enc[j]));
        }
        // laminas toByteValueOrderedQueryString: uksort(strnatcmp) on encoded names
        // (PHP 8 sorts are stable).
        Profile::Magento247 => {
            let names: Vec<_> = pairs.iter().map(|(k, _)| percent_encoded(k)).collect();
            stable_sort(&mut order, |&i, &j| strnatcmp(&names[i], &names[j]));
        }
        // Hmac::normalizeParameters: ksort on the decoded names.
        Profile::Magento248 => {
            stable_sort(&mut order, |&i, &j| ksort_cmp(&pairs[i].0, &pairs[j].0))
        }
    }
    // METHOD & enc(uri) & enc(k1=v1&k2=v2…), written into one buffer: the outer
    // encoding of `=` and `&` is `%3D` and `%26`, of `%` in the inner encoding `%25`.
    let size: usize = pairs.iter().map(|(k, v)| k.len() + val_str(v).len()).sum();
    let mut out =
        Vec::with_capacity(16 + method.len() + c.uri.len() * 2 + size * 3 + pairs.len() * 6);
    out.extend(method.bytes().map(|b| b.to_ascii_uppercase()));
    out.push(b'&');
    encode_into(&mut out, c.uri.as_bytes(), b"%");
    out.push(b'&');
    for (n, &i) in order.iter().enumerate() {
        if n > 0 {
            out.extend_from_slice(b"%26");
        }
        let (k, v) = &pairs[i];
        encode_into(&mut out, k.as_bytes(), b"%25");
        out.extend_from_slice(b"%3D");
        encode_into(&mut out, val_str(v).as_bytes(), b"%25");
    }
    String::from_utf8(out).expect("the base string is ASCII (method bytes aside, kept as UTF-8)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_parameter_regex_is_unanchored() {
        assert!(is_protocol("oauth_token"));
        assert!(is_protocol("xoauth_foo"));
        assert!(is_protocol("oauth_a-b"));
        assert!(!is_protocol("oauth_"));
        assert!(!is_protocol("oauth_X"));
        assert!(!is_protocol("realm"));
        assert!(!is_protocol("searchCriteria"));
    }

    #[test]
    fn magento_header_parsing() {
        let m = magento_header(r#"Basic x, OAuth realm="r", oauth_token="a%20b", xoauth_x="1", foo="2", oauth_nonce="n", oauth_nonce="m""#).unwrap();
        assert_eq!(m.get_str("oauth_token"), Some("a b"));
        assert_eq!(m.get_str("xoauth_x"), Some("1"));
        assert_eq!(m.get("foo"), None);
        assert_eq!(m.get("realm"), None);
        assert_eq!(m.get_str("oauth_nonce"), Some("m"));
        assert!(magento_header("Bearer abc").is_none());
    }

    #[test]
    fn headers_with_multibyte_characters_up_front_are_not_oauth_not_a_panic() {
        for h in [
            "OAu\u{2603}h x",
            "\u{e9}\u{e9}\u{e9}x",
            "OAut\u{e9} a=\"b\"",
            "\u{1f600}\u{1f600}",
        ] {
            assert!(matches!(rfc_header(h), Ok(None)), "{h:?}");
            assert!(magento_header(h).is_none(), "{h:?}");
        }
    }

    #[test]
    fn parse_str_subset() {
        let m = parse_str("a.b=1&c+d=2&e[f]=3&g[=4&%20h=5&debug&x=1=2");
        assert_eq!(m.get_str("a_b"), Some("1"));
        assert_eq!(m.get_str("c_d"), Some("2"));
        assert_eq!(m.get("e"), Some(&Val::Array));
        assert_eq!(m.get_str("g_"), Some("4"));
        assert_eq!(m.get_str("h"), Some("5"));
        assert_eq!(m.get_str("debug"), Some(""));
        assert_eq!(m.get_str("x"), Some("1=2"));
    }

    #[test]
    fn sorting_is_stable_and_survives_inconsistent_comparisons() {
        let mut v: Vec<usize> = (0..50).rev().collect();
        stable_sort(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, (0..50).collect::<Vec<_>>());
        let mut pairs = vec![(1, 'a'), (0, 'b'), (1, 'c'), (0, 'd')];
        stable_sort(&mut pairs, |a, b| a.0.cmp(&b.0));
        assert_eq!(pairs, [(0, 'b'), (0, 'd'), (1, 'a'), (1, 'c')]);
        // PHP 8's numeric-string comparison is not transitive; no panic, a permutation.
        let keys = ["10", "9a", "9", "1e1", " 9", "09", "a", "10", "9a"];
        let mut idx: Vec<usize> = (0..keys.len()).collect();
        stable_sort(&mut idx, |&i, &j| ksort_cmp(keys[i], keys[j]));
        let mut seen = idx.clone();
        seen.sort();
        assert_eq!(seen, (0..keys.len()).collect::<Vec<_>>());
    }

    #[test]
    fn php_integer_keys() {
        for k in ["0", "9", "-3", "123"] {
            assert!(php_int_key(k), "{k}");
        }
        for k in ["01", "-0", "1.5", "1e3", "", "a", "99999999999999999999"] {
            assert!(!php_int_key(k), "{k}");
        }
    }
}
