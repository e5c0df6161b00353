//! JSON exactly as PHP's `json_encode` writes it with default flags: `/` escaped as
//! `\/`, non-ASCII as lower-case `\uXXXX` (UTF-16), no spaces.

use std::fmt::Write;

/// Append `s` as a PHP-style JSON string literal.
pub(crate) fn php_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() && (c as u32) >= 0x20 => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{:04x}", unit);
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_php() {
        let mut s = String::new();
        php_string(&mut s, "a/b \"c\" é 😀\n");
        assert_eq!(s, r#""a\/b \"c\" \u00e9 \ud83d\ude00\n""#);
    }
}
