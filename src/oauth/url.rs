//! URL parsing and the base-string URI of each profile.

use std::borrow::Cow;

use super::encode::percent_encode;
use super::OAuthError;

/// The parts of an absolute http(s) URL, as sent (nothing decoded or normalised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    /// The port text after `:`, `Some("")` for a bare `:`.
    pub port: Option<&'a str>,
    pub path: &'a str,
    pub query: Option<&'a str>,
}

pub(crate) fn parse(url: &str) -> Result<Url<'_>, OAuthError> {
    let bad = |why: &str| {
        OAuthError::BadUrl(format!(
            "cannot sign URL `{}`: {why}",
            url.chars().take(200).collect::<String>()
        ))
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("missing scheme"))?;
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
    {
        return Err(bad("bad scheme"));
    }
    let rest = rest.split('#').next().unwrap_or("");
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..auth_end];
    let after = &rest[auth_end..];
    // Userinfo is not part of the base-string URI.
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let close = v6.find(']').ok_or_else(|| bad("unclosed IPv6 literal"))?;
        let host = &hostport[..close + 2];
        match &hostport[close + 2..] {
            "" => (host, None),
            p => (
                host,
                Some(
                    p.strip_prefix(':')
                        .ok_or_else(|| bad("junk after IPv6 literal"))?,
                ),
            ),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Err(bad("missing host"));
    }
    if !host.starts_with('[') && host.contains(':') {
        return Err(bad("bad port"));
    }
    if let Some(p) = port {
        if !p.is_empty() && !matches!(p.parse::<u32>(), Ok(1..=65535)) {
            return Err(bad("bad port"));
        }
    }
    let (path, query) = match after.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (after, None),
    };
    Ok(Url {
        scheme,
        host,
        port,
        path,
        query,
    })
}

fn default_port(scheme: &str, port: &str) -> bool {
    port.is_empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443")
}

/// oauthlib's `base_string_uri` (RFC 5849 §3.4.1.2): scheme and host lower-cased,
/// default and empty ports dropped, empty path `/`, path otherwise as sent with raw
/// spaces encoded.
pub(crate) fn rfc5849(u: &Url<'_>) -> String {
    let scheme = u.scheme.to_ascii_lowercase();
    let mut out = format!("{scheme}://{}", u.host.to_ascii_lowercase());
    if let Some(p) = u.port {
        let p = p.trim_start_matches('0');
        if !default_port(&scheme, p) {
            out.push(':');
            out.push_str(p);
        }
    }
    out.push_str(if u.path.is_empty() { "/" } else { u.path });
    out.replace(' ', "%20")
}

/// laminas-oauth `normaliseBaseSignatureUrl` + laminas-uri `normalize` (Magento
/// 2.4.7, spec §7.2): scheme and host lower-cased, default ports dropped, dot segments
/// removed, escapes of unreserved and `:@&=+$,/;%` characters decoded (others
/// upper-cased), then everything outside the path character set percent-encoded.
pub(crate) fn laminas(u: &Url<'_>) -> Result<String, OAuthError> {
    let scheme = u.scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(OAuthError::BadUrl(
            "Invalid URL provided; must be an HTTP or HTTPS scheme".into(),
        ));
    }
    let mut out = String::with_capacity(scheme.len() + u.host.len() + u.path.len() + 16);
    out.push_str(&scheme);
    out.push_str("://");
    out.push_str(u.host);
    out.make_ascii_lowercase(); // scheme and host
    if let Some(p) = u.port {
        if !default_port(&scheme, p) {
            out.push(':');
            out.push_str(p);
        }
    }
    let before = out.len();
    encode_path(&mut out, &decode_allowed(&remove_dot_segments(u.path)));
    if out.len() == before {
        out.push('/');
    }
    Ok(out)
}

/// Magento 2.4.8 `Hmac::buildRequestUrl`: `scheme://host[:port]path` as `parse_url`
/// returns them — no case folding, no port or path normalisation.
pub(crate) fn raw(u: &Url<'_>) -> String {
    let mut out = format!("{}://{}", u.scheme, u.host);
    if let Some(p) = u.port.filter(|p| !p.is_empty()) {
        out.push(':');
        out.push_str(p.trim_start_matches('0'));
    }
    out.push_str(u.path);
    out
}

/// RFC 3986 §5.2.4 as laminas-uri writes it (a remaining `"0"` ends the loop: PHP
/// truthiness).
fn remove_dot_segments(path: &str) -> Cow<'_, str> {
    if !path.split('/').any(|seg| seg == "." || seg == "..")
        && path != "0"
        && !path.starts_with("0")
    {
        return Cow::Borrowed(path);
    }
    let mut input = path.to_string();
    let mut output = String::new();
    let pop = |output: &mut String| {
        if let Some(i) = output.rfind('/') {
            output.truncate(i);
        }
    };
    while !input.is_empty() && input != "0" {
        if input == ".." || input == "." {
            break;
        } else if input == "/." {
            input = "/".into();
        } else if input == "/.." {
            input = "/".into();
            pop(&mut output);
        } else if input.starts_with("/../") {
            input = format!("/{}", &input[4..]);
            pop(&mut output);
        } else if input.starts_with("/./") || input.starts_with("./") {
            input = input[2..].to_string();
        } else if input.starts_with("../") {
            input = input[3..].to_string();
        } else {
            let end = input[1.min(input.len())..]
                .find('/')
                .map_or(input.len(), |i| i + 1);
            output.push_str(&input[..end]);
            input = input[end..].to_string();
        }
    }
    Cow::Owned(output)
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// `decodeUrlEncodedChars`: `%XX` whose character is unreserved or one of
/// `:@&=+$,/;%` is decoded; any other escape is upper-cased.
fn decode_allowed(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                let c = h * 16 + l;
                if c.is_ascii_alphanumeric() || b"-._~:@&=+$,/;%".contains(&c) {
                    out.push(c);
                } else {
                    out.extend_from_slice(&[
                        b'%',
                        b[i + 1].to_ascii_uppercase(),
                        b[i + 2].to_ascii_uppercase(),
                    ]);
                }
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// laminas-uri's path characters: `[A-Za-z0-9_.~-()/:@&=+$,;%]`.
const PATH_CHARS: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'_' | b'.'
                    | b'~'
                    | b'-'
                    | b'('
                    | b')'
                    | b'/'
                    | b':'
                    | b'@'
                    | b'&'
                    | b'='
                    | b'+'
                    | b'$'
                    | b','
                    | b';'
                    | b'%'
            );
        c += 1;
    }
    t
};

/// `encodePath`: runs of characters outside `[A-Za-z0-9_.~-()/:@&=+$,;%]`, and any
/// `%` not followed by two hex digits, are `rawurlencode`d.
fn encode_path(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let allowed = |c: u8| PATH_CHARS[c as usize];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            let ok = i + 2 < b.len() && hex_val(b[i + 1]).is_some() && hex_val(b[i + 2]).is_some();
            out.push_str(if ok { "%" } else { "%25" });
            i += 1;
        } else if allowed(c) {
            let start = i;
            while i < b.len() && allowed(b[i]) && b[i] != b'%' {
                i += 1;
            }
            out.push_str(&s[start..i]);
        } else {
            let start = i;
            while i < b.len() && !allowed(b[i]) && b[i] != b'%' {
                i += 1;
            }
            // Non-ASCII runs are whole UTF-8 sequences (they never contain ASCII).
            out.push_str(&percent_encode(&s[start..i]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_rfc_base_string_uri() {
        let f = |u: &str| parse(u).map(|p| rfc5849(&p));
        assert_eq!(
            f("http://EXAMPLE.COM:80/r%20v/X?id=123").unwrap(),
            "http://example.com/r%20v/X"
        );
        assert_eq!(
            f("https://www.example.net:8080/?q=1").unwrap(),
            "https://www.example.net:8080/"
        );
        assert_eq!(f("HTTP://h:443/").unwrap(), "http://h:443/");
        assert_eq!(f("HTTPS://h:80/").unwrap(), "https://h:80/");
        assert_eq!(f("http://h:/").unwrap(), "http://h/");
        assert_eq!(f("http://h").unwrap(), "http://h/");
        assert_eq!(f("http://h/a b/").unwrap(), "http://h/a%20b/");
        for bad in [
            "http://h:0/",
            "http://h:-1/",
            "http://h:65536/",
            "http://h:3.14/",
            "http://h:BAD/",
            "http://h:42:42/",
            "//h/",
            "http:///x",
        ] {
            assert!(f(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn laminas_normalisation() {
        let f = |u: &str| laminas(&parse(u).unwrap()).unwrap();
        assert_eq!(
            f("https://Shop.Example.com:443/rest/V1/products/ABC%2F123"),
            "https://shop.example.com/rest/V1/products/ABC/123"
        );
        assert_eq!(f("http://h:8080/a/./b/../c"), "http://h:8080/a/c");
        assert_eq!(f("http://h/%7e%41%3f"), "http://h/~A%3F");
        assert_eq!(f("http://h/%2541"), "http://h/%41");
        assert_eq!(f("http://h/é x"), "http://h/%C3%A9%20x");
        assert_eq!(f("http://h/100%"), "http://h/100%25");
        assert_eq!(f("http://h"), "http://h/");
        assert!(laminas(&parse("ftp://h/").unwrap()).is_err());
    }

    #[test]
    fn raw_keeps_everything_as_sent() {
        let f = |u: &str| raw(&parse(u).unwrap());
        assert_eq!(
            f("https://Shop.example.com:443/rest/V1/x%2Fy?q=1"),
            "https://Shop.example.com:443/rest/V1/x%2Fy"
        );
        assert_eq!(f("https://h"), "https://h");
    }
}
