//! Percent-encoding, PHP's natural-order comparison, and form decoding.

use std::cmp::Ordering;

fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 / RFC 5849 §3.6 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~`,
/// upper-case hex, UTF-8 bytes. Identical to PHP `rawurlencode` (and laminas
/// `Utility::urlEncode`).
pub fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + b.len() / 2 + 8);
    let mut run = 0;
    for (i, &c) in b.iter().enumerate() {
        if !unreserved(c) {
            out.extend_from_slice(&b[run..i]);
            out.extend_from_slice(&[b'%', HEX[(c >> 4) as usize], HEX[(c & 15) as usize]]);
            run = i + 1;
        }
    }
    out.extend_from_slice(&b[run..]);
    String::from_utf8(out).expect("percent-encoded output is ASCII")
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, then `%XX`.
pub fn form_decode(s: &str) -> String {
    crate::php::urldecode(s).into_owned()
}

/// Split a query string or form body into decoded pairs; a piece without `=` is a name
/// with an empty value; empty pieces are skipped (RFC 5849 §3.4.1.3.1, oauthlib).
pub fn form_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (form_decode(k), form_decode(v)),
            None => (form_decode(p), String::new()),
        })
        .collect()
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C')
}

/// PHP `strnatcmp` (`strnatcmp_ex`, case-sensitive): runs of digits compare as
/// numbers (`a9 < a10`); a run starting with `0` compares digit by digit from the
/// left (`a001 < a01 < a1`); leading zeros of the whole string are skipped;
/// whitespace runs are skipped.
pub fn strnatcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.is_empty() || b.is_empty() {
        return a.len().cmp(&b.len());
    }
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    let (mut ai, mut bi) = (0usize, 0usize);
    let mut leading = true;
    loop {
        let mut ca = at(a, ai);
        let mut cb = at(b, bi);
        while leading && ca == b'0' && ai + 1 < a.len() && a[ai + 1].is_ascii_digit() {
            ai += 1;
            ca = a[ai];
        }
        while leading && cb == b'0' && bi + 1 < b.len() && b[bi + 1].is_ascii_digit() {
            bi += 1;
            cb = b[bi];
        }
        leading = false;
        while is_space(ca) {
            ai += 1;
            ca = at(a, ai);
        }
        while is_space(cb) {
            bi += 1;
            cb = at(b, bi);
        }
        if ca.is_ascii_digit() && cb.is_ascii_digit() {
            let fractional = ca == b'0' || cb == b'0';
            let r = if fractional {
                compare_left(a, &mut ai, b, &mut bi)
            } else {
                compare_right(a, &mut ai, b, &mut bi)
            };
            if r != Ordering::Equal {
                return r;
            }
            match (ai >= a.len(), bi >= b.len()) {
                (true, true) => return Ordering::Equal,
                (true, false) => return Ordering::Less,
                (false, true) => return Ordering::Greater,
                _ => {}
            }
            ca = a[ai];
            cb = b[bi];
        }
        match ca.cmp(&cb) {
            Ordering::Equal => {}
            other => return other,
        }
        ai += 1;
        bi += 1;
        match (ai >= a.len(), bi >= b.len()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
    }
}

fn digit_at(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// Right-aligned numbers: the longer run wins; equal lengths: the first difference.
fn compare_right(a: &[u8], ai: &mut usize, b: &[u8], bi: &mut usize) -> Ordering {
    let mut bias = Ordering::Equal;
    loop {
        match (digit_at(a, *ai), digit_at(b, *bi)) {
            (false, false) => return bias,
            (false, true) => return Ordering::Less,
            (true, false) => return Ordering::Greater,
            (true, true) => {
                if bias == Ordering::Equal {
                    bias = a[*ai].cmp(&b[*bi]);
                }
            }
        }
        *ai += 1;
        *bi += 1;
    }
}

/// Left-aligned numbers (a run starting with 0): the first difference wins.
fn compare_left(a: &[u8], ai: &mut usize, b: &[u8], bi: &mut usize) -> Ordering {
    loop {
        match (digit_at(a, *ai), digit_at(b, *bi)) {
            (false, false) => return Ordering::Equal,
            (false, true) => return Ordering::Less,
            (true, false) => return Ordering::Greater,
            (true, true) => match a[*ai].cmp(&b[*bi]) {
                Ordering::Equal => {}
                other => return other,
            },
        }
        *ai += 1;
        *bi += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v5_percent_encoding_table() {
        for (input, want) in [
            ("abcABC123", "abcABC123"),
            ("-._~", "-._~"),
            ("%", "%25"),
            ("+", "%2B"),
            ("&=*", "%26%3D%2A"),
            ("\n", "%0A"),
            (" ", "%20"),
            ("\u{7f}", "%7F"),
            ("\u{80}", "%C2%80"),
            ("\u{3001}", "%E3%80%81"),
        ] {
            assert_eq!(percent_encode(input), want, "{input:?}");
        }
    }

    #[test]
    fn natural_order_matches_php() {
        let mut v = vec!["a10", "a9", "a1", "a01", "a001", "A2", "oauth_nonce", "a"];
        v.sort_by(|x, y| strnatcmp(x, y));
        assert_eq!(
            v,
            ["A2", "a", "a001", "a01", "a1", "a9", "a10", "oauth_nonce"]
        );
        assert_eq!(strnatcmp("x2-g8", "x2-y7"), Ordering::Less);
        assert_eq!(strnatcmp("img12", "img10"), Ordering::Greater);
        assert_eq!(strnatcmp("01", "1"), Ordering::Equal); // leading zeros skipped
        assert_eq!(strnatcmp("", "a"), Ordering::Less);
        assert_eq!(strnatcmp("a1b", "a1"), Ordering::Greater);
        assert_eq!(strnatcmp("f%5B10%5D", "f%5B9%5D"), Ordering::Greater);
    }
}
