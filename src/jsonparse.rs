//! A small strict JSON parser producing `serde_json::Value`. It exists for the wasm
//! build: `serde_json::from_str` instantiates serde's whole deserializer machinery,
//! which is the largest single block of the shipped module. Behaviour matches
//! serde_json (tested against it): the same documents are accepted, duplicate keys
//! resolve last-wins, integers that fit i64/u64 stay integers, `-0` and everything
//! else are floats, and nesting is limited (serde_json: 128; here 64).

use serde_json::{Map, Number, Value};

/// Deepest accepted nesting of arrays and objects.
pub(crate) const MAX_DEPTH: usize = 64;

/// Where and why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonError {
    pub offset: usize,
    pub message: &'static str,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

struct P<'a> {
    b: &'a [u8],
    i: usize,
}

impl P<'_> {
    fn err<T>(&self, message: &'static str) -> Result<T, JsonError> {
        Err(JsonError {
            offset: self.i,
            message,
        })
    }
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn expect(&mut self, c: u8, message: &'static str) -> Result<(), JsonError> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            self.err(message)
        }
    }
    fn literal(&mut self, s: &[u8], v: Value) -> Result<Value, JsonError> {
        if self.b[self.i..].starts_with(s) {
            self.i += s.len();
            Ok(v)
        } else {
            self.err("expected value")
        }
    }
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .b
            .get(self.i..self.i + 4)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit));
        let Some(d) = digits else {
            return self.err("invalid escape");
        };
        let v = d
            .iter()
            .fold(0u32, |v, &c| v * 16 + (c as char).to_digit(16).unwrap_or(0));
        self.i += 4;
        Ok(v)
    }
    fn string(&mut self) -> Result<String, JsonError> {
        self.expect(b'"', "expected string")?;
        let mut out = String::new();
        loop {
            let start = self.i;
            while self.i < self.b.len()
                && !matches!(self.b[self.i], b'"' | b'\\')
                && self.b[self.i] >= 0x20
            {
                self.i += 1;
            }
            match std::str::from_utf8(&self.b[start..self.i]) {
                Ok(s) => out.push_str(s),
                Err(_) => return self.err("invalid unicode"),
            }
            match self.peek() {
                None => return self.err("EOF while parsing a string"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let Some(c) = self.peek() else {
                        return self.err("EOF while parsing a string");
                    };
                    self.i += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if !self.b[self.i..].starts_with(b"\\u") {
                                    return self.err("lone leading surrogate in hex escape");
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.err("lone leading surrogate in hex escape");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(cp) {
                                Some(ch) => out.push(ch),
                                None => return self.err("invalid unicode code point"),
                            }
                        }
                        _ => return self.err("invalid escape"),
                    }
                }
                Some(_) => return self.err("control character while parsing a string"),
            }
        }
    }
    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - start
    }
    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.err("invalid number"),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.i += 1;
            integer = false;
            if self.digits() == 0 {
                return self.err("invalid number");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            integer = false;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return self.err("invalid number");
            }
        }
        let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("");
        if integer && text != "-0" {
            if let Ok(v) = text.parse::<i64>() {
                return Ok(Value::Number(v.into()));
            }
            if let Ok(v) = text.parse::<u64>() {
                return Ok(Value::Number(v.into()));
            }
        }
        match text.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Ok(Value::Number(n)),
            None => JsonError {
                offset: start,
                message: "number out of range",
            }
            .into_err(),
        }
    }
    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth >= MAX_DEPTH {
            return self.err("recursion limit exceeded");
        }
        self.ws();
        match self.peek() {
            None => self.err("EOF while parsing a value"),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'[') => {
                self.i += 1;
                let mut list = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Ok(Value::Array(list));
                }
                loop {
                    list.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::Array(list));
                        }
                        _ => return self.err("expected `,` or `]`"),
                    }
                }
            }
            Some(b'{') => {
                let mut map = Map::new();
                self.object(depth, |k, v| {
                    map.insert(k, v);
                })?;
                Ok(Value::Object(map))
            }
            Some(_) => self.number(),
        }
    }
    /// An object at the cursor (`{` next), each member handed to `member` in order.
    fn object(
        &mut self,
        depth: usize,
        mut member: impl FnMut(String, Value),
    ) -> Result<(), JsonError> {
        self.expect(b'{', "expected object")?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            let k = self.string()?;
            self.ws();
            self.expect(b':', "expected `:`")?;
            let v = self.value(depth + 1)?;
            member(k, v);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return self.err("expected `,` or `}`"),
            }
        }
    }
}

/// A top-level JSON object kept as its members in document order: for small objects
/// read a few times (JWT headers and claims) this skips building a hash map. Lookups
/// see the last of duplicate keys, as `serde_json`'s map (and PHP) do.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Object(pub Vec<(String, Value)>);

impl Object {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    pub fn into_map(self) -> Map<String, Value> {
        let mut map = Map::new();
        for (k, v) in self.0 {
            map.insert(k, v);
        }
        map
    }
}

/// Parse a document that must be a JSON object (anything else is an error).
pub(crate) fn parse_object(text: &[u8]) -> Result<Object, JsonError> {
    let mut p = P { b: text, i: 0 };
    p.ws();
    let mut members = Vec::with_capacity(4);
    p.object(0, |k, v| members.push((k, v)))?;
    p.ws();
    if p.i != text.len() {
        return p.err("trailing characters");
    }
    Ok(Object(members))
}

impl JsonError {
    fn into_err<T>(self) -> Result<T, JsonError> {
        Err(self)
    }
}

/// Parse a whole document.
pub(crate) fn parse(text: &[u8]) -> Result<Value, JsonError> {
    let mut p = P { b: text, i: 0 };
    let v = p.value(0)?;
    p.ws();
    if p.i != text.len() {
        return p.err("trailing characters");
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Equal, except that floats may differ in the last place: serde_json's default
    /// float parsing is not correctly rounded; ours (Rust's) is.
    fn close(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) if x.is_f64() && y.is_f64() => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                x == y || ((x - y) / x).abs() < 1e-15
            }
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| close(a, b))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
            }
            _ => a == b,
        }
    }

    fn same(text: &str) {
        let ours = parse(text.as_bytes());
        let theirs = serde_json::from_str::<Value>(text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert!(close(a, b), "{text:?}: {a:?} vs {b:?}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    #[test]
    fn agrees_with_serde_json() {
        for t in [
            r#"{"uid":5,"utypid":3,"iat":1700000000,"exp":1700003600}"#,
            r#" { "a" : "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00" , "b":-0,"c":1.5,"d":1e3,"e":true,"f":false,"g":null,"h":{"x":[1,{"y":[]}]},"i":[]} "#,
            r#"{"a":1,"a":2,"b":3}"#,
            "{}",
            "[]",
            "0",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1e400",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "-",
            "tru",
            "nul",
            "\"\u{1}\"",
            "\"\\x\"",
            "[1] x",
            "",
            " ",
            "{'a':1}",
            "[[[]]]",
            "\"\\u00zz\"",
            "1E+2",
            "1e-2",
            "-0.0",
            "[\"a\",{\"b\":[null,true,false,-3.25e-7]}]",
        ] {
            same(t);
        }
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert!(parse(deep.as_bytes()).is_err());
        let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(parse(ok.as_bytes()).is_ok());
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|v| Value::Number(v.into())),
            any::<u64>().prop_map(|v| Value::Number(v.into())),
            (-1e300f64..1e300).prop_map(|f| Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null)),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec((any::<String>(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn round_trips_like_serde_json(v in arb_json()) {
            // Rust's float printing round-trips and our parsing is correctly rounded, so
            // the original value comes back exactly.
            let text = serde_json::to_string(&v).unwrap();
            prop_assert_eq!(parse(text.as_bytes()).unwrap(), v.clone());
            prop_assert!(close(&parse(text.as_bytes()).unwrap(), &serde_json::from_str::<Value>(&text).unwrap()));
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            prop_assert_eq!(parse(pretty.as_bytes()).unwrap(), v.clone());
        }

        #[test]
        fn never_panics_and_agrees_on_validity(s in "[\\[\\]{}\",:0-9eE+\\-.a-z\\\\ ]{0,24}") {
            same(&s);
        }

        /// `parse_object` accepts exactly the documents that are JSON objects, and
        /// every key reads as in serde_json's map (duplicates: the last wins).
        #[test]
        fn objects_as_member_lists_agree_with_serde_json(
            s in "\\{(\"[ab]\":(1|\"x\"|\\[\\]|\\{\\}|null),?){0,5}\\}|[\\[\\]{}\",:0-9a-z ]{0,16}"
        ) {
            let ours = parse_object(s.as_bytes());
            match serde_json::from_str::<Value>(&s) {
                Ok(Value::Object(map)) => {
                    let obj = ours.expect("serde_json accepted an object");
                    for k in ["a", "b", "c"] {
                        prop_assert_eq!(obj.get(k), map.get(k));
                    }
                    prop_assert_eq!(obj.into_map(), map);
                }
                _ => prop_assert!(ours.is_err(), "{s:?}"),
            }
        }
    }
}
