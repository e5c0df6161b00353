//! Reading JSON input through one parse into a `serde_json::Value` and typed getters
//! that say which member is wrong, instead of a derived `Deserialize` per struct (every
//! derive instantiates serde's deserializer again, and the module ships to browsers).

use serde_json::{Map, Value};

/// Input of the wrong shape: what was being read (`sources.jwt`, `request`, …) and
/// what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {message}")]
pub struct InputError {
    /// The argument or member being read, e.g. `sources.jwt`.
    pub what: String,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    /// An error about `what`.
    pub fn new(what: impl Into<String>, message: impl Into<String>) -> InputError {
        InputError {
            what: what.into(),
            message: message.into(),
        }
    }
}

/// Parse `text` as JSON (the engine's strict parser: 64 levels deep at most).
pub fn parse(text: &str, what: &str) -> Result<Value, InputError> {
    crate::jsonparse::parse(text.as_bytes()).map_err(|e| InputError::new(what, e.to_string()))
}

/// An object being read, and its name for error messages.
#[derive(Clone, Copy)]
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    what: &'a str,
}

/// `v` as an object, or an error naming `what`.
pub fn obj<'a>(v: &'a Value, what: &'a str) -> Result<Obj<'a>, InputError> {
    match v {
        Value::Object(map) => Ok(Obj { map, what }),
        _ => Err(InputError::new(what, "expected an object")),
    }
}

impl<'a> Obj<'a> {
    fn err(&self, key: &str, expected: &str) -> InputError {
        InputError::new(self.what, format!("`{key}` must be {expected}"))
    }

    /// The object's name in messages.
    pub fn what(&self) -> &'a str {
        self.what
    }

    /// A member; `null` reads as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// Refuse members not in `known` (a misspelt option must not be ignored).
    pub fn only(&self, known: &[&str]) -> Result<(), InputError> {
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(InputError::new(
                self.what,
                format!(
                    "unknown member `{}` (expected {})",
                    k.chars().take(64).collect::<String>(),
                    known.join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    /// A nested object, if present.
    pub fn object(&self, key: &str, what: &'a str) -> Result<Option<Obj<'a>>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => obj(v, what).map(Some),
            Some(_) => Err(self.err(key, "an object")),
        }
    }

    /// A string member, if present.
    pub fn str(&self, key: &str) -> Result<Option<&'a str>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.err(key, "a string")),
        }
    }

    /// A string member that must be present.
    pub fn req_str(&self, key: &str) -> Result<&'a str, InputError> {
        self.str(key)?.ok_or_else(|| self.err(key, "a string"))
    }

    /// A boolean member (absent: `false`).
    pub fn bool(&self, key: &str) -> Result<bool, InputError> {
        Ok(self.opt_bool(key)?.unwrap_or(false))
    }

    /// A boolean member, if present.
    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.err(key, "true or false")),
        }
    }

    /// A number member, if present.
    pub fn num(&self, key: &str) -> Result<Option<f64>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.err(key, "a number")),
            Some(_) => Err(self.err(key, "a number")),
        }
    }

    /// A whole number in `0..=max`, if present.
    pub fn uint(&self, key: &str, max: u64) -> Result<Option<u64>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .filter(|v| *v <= max)
                .map(Some)
                .ok_or_else(|| self.err(key, &format!("a whole number from 0 to {max}"))),
            Some(_) => Err(self.err(key, "a whole number")),
        }
    }

    /// A whole number (negative allowed), if present.
    pub fn int(&self, key: &str) -> Result<Option<i64>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.err(key, "a whole number")),
            Some(_) => Err(self.err(key, "a whole number")),
        }
    }

    /// An array member (absent: empty).
    pub fn list(&self, key: &str) -> Result<&'a [Value], InputError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(self.err(key, "an array")),
        }
    }

    /// An array of strings, if present.
    pub fn strings(&self, key: &str) -> Result<Option<Vec<String>>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| self.err(key, "an array of strings"))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(self.err(key, "an array of strings")),
        }
    }

    /// `[[name, value], …]` string pairs (absent: empty).
    pub fn pairs(&self, key: &str) -> Result<Vec<(String, String)>, InputError> {
        self.list(key)?
            .iter()
            .map(|p| match p.as_array().map(Vec::as_slice) {
                Some([Value::String(k), Value::String(v)]) => Ok((k.clone(), v.clone())),
                _ => Err(self.err(key, "an array of [name, value] string pairs")),
            })
            .collect()
    }

    /// The members, in document order.
    pub fn entries(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.map.iter()
    }
}
