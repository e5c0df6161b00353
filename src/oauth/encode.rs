//! Percent-encoding, PHP's natural-order comparison, and form decoding.

use std::cmp::Ordering;

/// RFC 3986 unreserved characters, as a table: this runs once per byte of every
/// signed parameter, and a lookup beats the comparisons at every optimisation level.
const UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        c += 1;
    }
    t
};

fn unreserved(b: u8) -> bool {
    UNRESERVED[b as usize]
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 / RFC 5849 §3.6 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~`,
/// upper-case hex, UTF-8 bytes. Identical to PHP `rawurlencode` (and laminas
/// `Utility::urlEncode`).
pub fn percent_encode(s: &str) -> String {
    String::from_utf8(percent_encoded(s.as_bytes()).into_owned())
        .expect("percent-encoded output is ASCII")
}

/// [`percent_encode`] of bytes, borrowing when nothing needs encoding (the common case
/// for parameter names, which only need encoding to be sorted).
pub(crate) fn percent_encoded(s: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if s.iter().all(|&b| unreserved(b)) {
        std::borrow::Cow::Borrowed(s)
    } else {
        let mut out = Vec::with_capacity(s.len() + s.len() / 2 + 8);
        encode_into(&mut out, s, Escape::Once);
        std::borrow::Cow::Owned(out)
    }
}

/// How [`encode_into`] writes an escape.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escape {
    /// `%XX`: one encoding.
    Once,
    /// `%25XX`: the encoding of the encoding, what the signature base string holds
    /// for parameter names and values (`%` of the inner encoding is itself encoded;
    /// nothing else changes, because the inner output is unreserved or `%XX`).
    Twice,
}

/// Append the percent-encoding of `s` to `out`.
pub(crate) fn encode_into(out: &mut Vec<u8>, s: &[u8], escape: Escape) {
    // Runs of unreserved bytes (most of any parameter) are found with the table and
    // copied at once, each escape is one constant-shaped copy: at opt-level "z"
    // every `Vec` method stays an out-of-line call, so calls per byte are what cost.
    out.reserve(s.len());
    let mut i = 0;
    while i < s.len() {
        let start = i;
        while i < s.len() && UNRESERVED[s[i] as usize] {
            i += 1;
        }
        out.extend_from_slice(&s[start..i]);
        while i < s.len() && !UNRESERVED[s[i] as usize] {
            let (hi, lo) = (HEX[(s[i] >> 4) as usize], HEX[(s[i] & 15) as usize]);
            match escape {
                Escape::Once => out.extend_from_slice(&[b'%', hi, lo]),
                Escape::Twice => out.extend_from_slice(&[b'%', b'2', b'5', hi, lo]),
            }
            i += 1;
        }
    }
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
    strnatcmp_bytes(a.as_bytes(), b.as_bytes())
}

/// [`strnatcmp`] on bytes (PHP strings).
pub(crate) fn strnatcmp_bytes(a: &[u8], b: &[u8]) -> Ordering {
    natcmp(a, b, true)
}

/// `strnatcmp_ex`; `skip_prefix` first skips the common prefix of bytes that are
/// neither digits nor whitespace, which compares equal in every state of the loop
/// (parameter names share `oauth_`; tested against the plain loop).
fn natcmp(a: &[u8], b: &[u8], skip_prefix: bool) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return a.len().cmp(&b.len());
    }
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    let (mut ai, mut bi) = (0usize, 0usize);
    let mut leading = true;
    if skip_prefix {
        let mut k = 0;
        while k < a.len()
            && k < b.len()
            && a[k] == b[k]
            && !a[k].is_ascii_digit()
            && !is_space(a[k])
        {
            k += 1;
        }
        if k > 0 {
            match (k >= a.len(), k >= b.len()) {
                (true, true) => return Ordering::Equal,
                (true, false) => return Ordering::Less,
                (false, true) => return Ordering::Greater,
                _ => {}
            }
            (ai, bi, leading) = (k, k, false);
        }
    }
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

    /// The definition, byte by byte: what the buffered encoder must produce.
    fn reference(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    proptest::proptest! {
        /// Long, multi-byte and mixed inputs: runs of both kinds, at both ends.
        #[test]
        fn buffered_encoding_matches_the_definition(s in "(\\PC|[ %&=+]){0,700}") {
            proptest::prop_assert_eq!(percent_encode(&s), reference(&s));
            let mut twice = b"prefix".to_vec();
            encode_into(&mut twice, s.as_bytes(), Escape::Twice);
            let want = format!("prefix{}", reference(&s).replace('%', "%25"));
            proptest::prop_assert_eq!(String::from_utf8(twice).unwrap(), want.clone());
            proptest::prop_assert_eq!(percent_encode(&percent_encode(&s)), want[6..].to_string());
            proptest::prop_assert_eq!(percent_encoded(s.as_bytes()).to_vec(), reference(&s).into_bytes());
        }
    }

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

    proptest::proptest! {
        /// Skipping the common prefix changes no result.
        #[test]
        fn prefix_skip_is_invisible(a in "[a0 1_.]{0,12}", b in "[a0 1_.]{0,12}", p in "[a_ ]{0,4}") {
            let (a, b) = (format!("{p}{a}"), format!("{p}{b}"));
            proptest::prop_assert_eq!(
                natcmp(a.as_bytes(), b.as_bytes(), true),
                natcmp(a.as_bytes(), b.as_bytes(), false)
            );
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
