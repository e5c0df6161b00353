//! The handful of PHP semantics Magento's behaviour depends on, transcribed exactly.
//!
//! Magento is PHP; where it uses a PHP cast, loose comparison or decoder, the engine
//! must reproduce PHP's rules, not Rust's or the RFCs'.

use std::borrow::Cow;

/// PHP `trim()` with its default character list `" \t\n\r\0\x0B"`.
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\x0B'))
}

/// PHP `(bool)` of a string: only `""` and `"0"` are false.
pub fn bool_cast(s: &str) -> bool {
    !(s.is_empty() || s == "0")
}

/// PHP `filter_var($s, FILTER_VALIDATE_BOOLEAN)` used as a condition: true only for
/// `1`, `true`, `on`, `yes` (any case, surrounding whitespace ignored).
pub fn filter_bool(s: &str) -> bool {
    let t = s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0B'));
    ["1", "true", "on", "yes"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w))
}

/// A PHP numeric string, as `is_numeric_string_ex` classifies it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Numeric {
    Int(i64),
    /// A float, and whether it came from an integer literal that overflowed
    /// (-1 below `i64::MIN`, +1 above `i64::MAX`, 0 otherwise).
    Float(f64, i8),
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C')
}

/// Length of the longest numeric prefix after leading whitespace:
/// `(start, end, is_integer_form)`, or None when there is no digit.
fn numeric_prefix(s: &[u8]) -> Option<(usize, usize, bool)> {
    let mut i = 0;
    while i < s.len() && is_ws(s[i]) {
        i += 1;
    }
    let start = i;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        i += 1;
    }
    let int_start = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    let mut integer = true;
    if i < s.len() && s[i] == b'.' {
        let mut j = i + 1;
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
        }
        let frac = j - i - 1;
        if digits + frac > 0 {
            digits += frac;
            integer = false;
            i = j;
        }
    }
    if digits == 0 {
        return None;
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        let mut j = i + 1;
        if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            integer = false;
            i = j;
        }
    }
    Some((start, i, integer))
}

fn numeric_string(s: &str) -> Option<Numeric> {
    let b = s.as_bytes();
    let (start, end, integer) = numeric_prefix(b)?;
    // PHP 8 allows trailing whitespace, nothing else.
    if !b[end..].iter().all(|&c| is_ws(c)) {
        return None;
    }
    let text = &s[start..end];
    if integer {
        match text.parse::<i64>() {
            Ok(v) => Some(Numeric::Int(v)),
            Err(_) => {
                let f: f64 = text.parse().ok()?;
                Some(Numeric::Float(
                    f,
                    if text.starts_with('-') { -1 } else { 1 },
                ))
            }
        }
    } else {
        text.parse::<f64>().ok().map(|f| Numeric::Float(f, 0))
    }
}

/// Whether PHP considers `s` a numeric string (`is_numeric`, PHP 8 rules).
pub fn is_numeric(s: &str) -> bool {
    numeric_string(s).is_some()
}

/// PHP 8 loose string equality `$a == $b` (both operands strings), following
/// `zendi_smart_str_equals`: numeric strings compare as numbers (`"1" == "01" ==
/// "1.0" == "1e0"`), everything else byte for byte.
pub fn loose_eq(a: &str, b: &str) -> bool {
    let (Some(x), Some(y)) = (numeric_string(a), numeric_string(b)) else {
        return a == b;
    };
    match (x, y) {
        (Numeric::Int(p), Numeric::Int(q)) => p == q,
        (Numeric::Float(p, o1), Numeric::Float(q, o2)) => {
            if o1 != 0 && o1 == o2 && p - q == 0.0 {
                return a == b; // both overflowed the same way: precision lost
            }
            if p == q && !p.is_finite() {
                return a == b;
            }
            p == q
        }
        (Numeric::Int(p), Numeric::Float(q, o2)) => o2 == 0 && (p as f64) == q,
        (Numeric::Float(p, o1), Numeric::Int(q)) => o1 == 0 && p == (q as f64),
    }
}

/// PHP `(int)` of a string: leading whitespace, then the longest numeric prefix
/// (floats truncate toward zero, out-of-range saturates), else 0.
pub fn int_cast(s: &str) -> i64 {
    let b = s.as_bytes();
    let Some((start, end, integer)) = numeric_prefix(b) else {
        return 0;
    };
    let text = &s[start..end];
    if integer {
        if let Ok(v) = text.parse::<i64>() {
            return v;
        }
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_nan() => 0,
        Ok(f) => f as i64, // `as` saturates
        Err(_) => 0,
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn percent_decode(s: &str, plus_is_space: bool) -> Cow<'_, str> {
    match percent_decode_bytes(s.as_bytes(), plus_is_space) {
        Cow::Borrowed(_) => Cow::Borrowed(s),
        // PHP strings are bytes; decoded values that are not UTF-8 are shown with
        // U+FFFD replacement characters.
        Cow::Owned(out) => match String::from_utf8(out) {
            Ok(s) => Cow::Owned(s),
            Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        },
    }
}

/// PHP `urldecode()` (`plus_is_space`) or `rawurldecode()` on bytes, as PHP has them:
/// `%FF` decodes to the byte 0xFF (what OAuth signatures re-encode), borrowing when
/// there is nothing to decode.
pub(crate) fn percent_decode_bytes(b: &[u8], plus_is_space: bool) -> Cow<'_, [u8]> {
    if !b.iter().any(|&c| c == b'%' || (plus_is_space && c == b'+')) {
        return Cow::Borrowed(b);
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    Cow::Owned(out)
}

/// PHP `urldecode()`: `+` is a space, `%XX` is decoded, a malformed escape stays.
pub fn urldecode(s: &str) -> Cow<'_, str> {
    percent_decode(s, true)
}

/// PHP `rawurldecode()`: like [`urldecode`] but `+` stays `+`.
pub fn rawurldecode(s: &str) -> Cow<'_, str> {
    percent_decode(s, false)
}

/// `SimpleDataObjectConverter::snakeCaseToCamelCase`: `ucwords` over `_`-separated
/// words, spaces removed, first character lower-cased (`group_id` → `groupId`,
/// `Group_ID` → `groupID`).
pub fn snake_to_camel(s: &str) -> Cow<'_, str> {
    if !s.contains('_') && !s.contains(' ') && !s.starts_with(|c: char| c.is_ascii_uppercase()) {
        return Cow::Borrowed(s);
    }
    let spaced = s.replace('_', " ");
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in spaced.chars() {
        // ucwords' default delimiters: space, tab, CR, LF, form feed, vertical tab.
        let delim = matches!(c, ' ' | '\t' | '\r' | '\n' | '\x0C' | '\x0B');
        if at_word_start && !delim {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = delim;
    }
    let out = out.replace(' ', "");
    // lcfirst
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => Cow::Owned(first.to_ascii_lowercase().to_string() + chars.as_str()),
        None => Cow::Owned(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bool_cast_only_empty_and_zero_are_false() {
        assert!(!bool_cast(""));
        assert!(!bool_cast("0"));
        assert!(bool_cast("false"));
        assert!(bool_cast("0.0"));
        assert!(bool_cast(" "));
    }

    #[test]
    fn filter_bool_accepts_the_four_true_words() {
        for t in ["1", "true", "TRUE", " on ", "Yes"] {
            assert!(filter_bool(t), "{t}");
        }
        for f in ["0", "false", "off", "no", "", "2", "y", "truee"] {
            assert!(!filter_bool(f), "{f}");
        }
    }

    #[test]
    fn loose_eq_follows_php8() {
        assert!(loose_eq("1", "01"));
        assert!(loose_eq("1", "1.0"));
        assert!(loose_eq("1", "1e0"));
        assert!(loose_eq("100", "1e2"));
        assert!(loose_eq(" 1", "1"));
        assert!(loose_eq("1 ", "1")); // PHP 8: trailing whitespace allowed
        assert!(!loose_eq("1a", "1"));
        assert!(!loose_eq("abc", "ABC"));
        assert!(loose_eq("abc", "abc"));
        assert!(!loose_eq("0x1A", "26"));
        assert!(loose_eq("-0", "0"));
        assert!(loose_eq(".5", "0.5"));
        assert!(!loose_eq("", "0"));
        assert!(loose_eq("1.", "1"));
        // Both overflow to the same float: PHP falls back to a string comparison.
        assert!(!loose_eq("9223372036854775808", "9223372036854775809"));
        assert!(loose_eq("9223372036854775808", "9223372036854775808"));
        assert!(loose_eq("9223372036854775807", "9223372036854775807"));
        assert!(!loose_eq("9223372036854775807", "9223372036854775806"));
    }

    #[test]
    fn int_cast_takes_the_numeric_prefix() {
        assert_eq!(int_cast("10"), 10);
        assert_eq!(int_cast(" 10abc"), 10);
        assert_eq!(int_cast("abc"), 0);
        assert_eq!(int_cast("1e3"), 1000);
        assert_eq!(int_cast("-2.9"), -2);
        assert_eq!(int_cast("99999999999999999999"), i64::MAX);
    }

    #[test]
    fn urldecode_matches_php() {
        assert_eq!(urldecode("a+b"), "a b");
        assert_eq!(urldecode("m%65"), "me");
        assert_eq!(urldecode("%zz%4"), "%zz%4");
        assert_eq!(urldecode("100%"), "100%");
        assert_eq!(rawurldecode("a+b%20c"), "a+b c");
        assert_eq!(urldecode("%ff"), "\u{fffd}");
    }

    #[test]
    fn camel_case_matches_magento() {
        assert_eq!(snake_to_camel("group_id"), "groupId");
        assert_eq!(snake_to_camel("quote_id"), "quoteId");
        assert_eq!(snake_to_camel("Group_ID"), "groupID");
        assert_eq!(snake_to_camel("customerId"), "customerId");
        assert_eq!(snake_to_camel("a__b"), "aB");
        assert_eq!(snake_to_camel("id"), "id");
        assert_eq!(snake_to_camel("Id"), "id");
    }

    #[test]
    fn trim_uses_php_default_set() {
        assert_eq!(trim(" \t/V1/x\n\0"), "/V1/x");
    }
}
