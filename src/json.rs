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

/// [`push_int`] for unsigned values.
pub(crate) fn push_uint(out: &mut String, v: u64) {
    out.push_str(uint_digits(&mut [0; 20], v));
}

/// The decimal digits of `v`, written into `buf` (64-bit arithmetic: 128-bit division
/// is a slow library call in wasm).
pub(crate) fn uint_digits(buf: &mut [u8; 20], mut v: u64) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[at..]).unwrap_or_default() // ASCII digits: always UTF-8
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
pub(crate) fn write_value(out: &mut String, v: &serde_json::Value) {
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
pub(crate) fn json_string(out: &mut String, s: &str) {
    out.push('"');
    // Runs without anything to escape are copied whole (escapes are ASCII, so every
    // cut falls on a character boundary).
    let mut start = 0;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        let escape = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            8 => "\\b",
            12 => "\\f",
            0..=31 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(b"0123456789abcdef"[usize::from(c >> 4)]));
            out.push(char::from(b"0123456789abcdef"[usize::from(c & 15)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// A JSON object written straight into a string: hot outputs (decisions) skip
/// `serde_json::Value`, whose maps allocate and hash every key.
pub(crate) struct ObjWriter<'a> {
    out: &'a mut String,
    members: usize,
}

impl<'a> ObjWriter<'a> {
    /// Open an object at the end of `out`.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjWriter { out, members: 0 }
    }
    /// Start member `k`: its value is written into the returned string.
    pub fn key(&mut self, k: &str) -> &mut String {
        if self.members > 0 {
            self.out.push(',');
        }
        self.members += 1;
        json_string(self.out, k);
        self.out.push(':');
        self.out
    }
    pub fn str(&mut self, k: &str, v: &str) {
        json_string(self.key(k), v);
    }
    /// A string, or `null`.
    pub fn opt_str(&mut self, k: &str, v: Option<&str>) {
        match v {
            Some(v) => self.str(k, v),
            None => self.key(k).push_str("null"),
        }
    }
    pub fn uint(&mut self, k: &str, v: u64) {
        push_uint(self.key(k), v);
    }
    pub fn bool(&mut self, k: &str, v: bool) {
        self.key(k).push_str(if v { "true" } else { "false" });
    }
    /// An array of strings.
    pub fn strs<'s>(&mut self, k: &str, list: impl IntoIterator<Item = &'s str>) {
        let out = self.key(k);
        out.push('[');
        for (i, s) in list.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string(out, s);
        }
        out.push(']');
    }
    /// An object of string members.
    pub fn pairs<'s>(&mut self, k: &str, list: impl IntoIterator<Item = (&'s str, &'s str)>) {
        let mut o = ObjWriter::new(self.key(k));
        for (k, v) in list {
            o.str(k, v);
        }
        o.end();
    }
    /// Close the object.
    pub fn end(self) {
        self.out.push('}');
    }
}

/// An object from (key, value) pairs, built without `json!` (which goes through
/// serde's serializer for every value).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
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

    proptest::proptest! {
        /// Any string, control characters and non-ASCII included, as serde_json writes it.
        #[test]
        fn strings_match_serde_json(s in "(\\PC|[\u{0}-\u{1f}\"\\\\/]){0,40}") {
            let v = serde_json::Value::String(s);
            proptest::prop_assert_eq!(to_string(&v), serde_json::to_string(&v).unwrap());
        }
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
