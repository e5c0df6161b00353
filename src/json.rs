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

/// Append the decimal form of `v` (what `{v}` prints) without the formatting
/// machinery, which is the larger part of a hot path's cost at opt-level "z".
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn push_int(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_uint(out, v.unsigned_abs());
}

/// [`push_int`] for unsigned values (64-bit arithmetic: 128-bit division is a slow
/// library call in wasm).
pub(crate) fn push_uint(out: &mut String, v: u64) {
    let mut digits = [0u8; 20];
    let mut n = v;
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(d as char);
    }
}

/// Compact JSON of a `serde_json::Value`, written without serde's serializer (whose
/// machinery would otherwise be instantiated in the wasm build). Same output as
/// `serde_json::to_string` (tested against it).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn to_string(v: &serde_json::Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn write_value(out: &mut String, v: &serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => json_string(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, x);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, k);
                out.push(':');
                write_value(out, x);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal as serde_json writes it (only `"`, `\\` and control
/// characters escaped).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// An object from (key, value) pairs, built without `json!` (which goes through
/// serde's serializer for every value).
pub(crate) fn obj<const N: usize>(pairs: [(&str, serde_json::Value); N]) -> serde_json::Value {
    serde_json::Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// `Some(s)` as a string value, `None` as null.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn opt_str(s: Option<&str>) -> serde_json::Value {
    s.map(|s| serde_json::Value::String(s.to_string()))
        .unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_matches_serde_json() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"a":[1,-2,3.5,1e300,null,true,false],"b":"q\"\\/\n\r\t\u0001\u001f é 😀","c":{},"d":[],"e":{"f":{"g":18446744073709551615}}}"#,
        )
        .unwrap();
        assert_eq!(to_string(&v), serde_json::to_string(&v).unwrap());
        assert_eq!(
            to_string(&obj([("x", 1.into()), ("y", opt_str(None))])),
            r#"{"x":1,"y":null}"#
        );
    }

    #[test]
    fn integers_print_like_display() {
        for v in [0i64, 7, -7, 10, 1_700_000_000, i64::MIN, i64::MAX] {
            let mut s = String::from("x");
            push_int(&mut s, v);
            assert_eq!(s, format!("x{v}"));
        }
        for v in [0u64, 9, 10, u64::MAX] {
            let mut s = String::new();
            push_uint(&mut s, v);
            assert_eq!(s, v.to_string());
        }
    }

    #[test]
    fn escapes_like_php() {
        let mut s = String::new();
        php_string(&mut s, "a/b \"c\" é 😀\n");
        assert_eq!(s, r#""a\/b \"c\" \u00e9 \ud83d\ude00\n""#);
    }
}
