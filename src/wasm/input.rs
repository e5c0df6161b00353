//! Reading JSON input through one `serde_json::Value` parse and typed getters, instead
//! of a derived `Deserialize` per struct: every derive monomorphises serde_json's
//! deserializer again, and the module ships to browsers.

use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

use super::bad_input;

pub(super) struct Obj<'a> {
    map: &'a Map<String, Value>,
    what: &'static str,
}

pub(super) fn parse(text: &str, what: &'static str) -> Result<Value, JsValue> {
    crate::jsonparse::parse(text.as_bytes()).map_err(|e| bad_input(what, e))
}

pub(super) fn obj<'a>(v: &'a Value, what: &'static str) -> Result<Obj<'a>, JsValue> {
    match v {
        Value::Object(map) => Ok(Obj { map, what }),
        _ => Err(bad_input(what, "expected an object")),
    }
}

impl<'a> Obj<'a> {
    fn err(&self, key: &str, expected: &str) -> JsValue {
        bad_input(self.what, format!("`{key}` must be {expected}"))
    }

    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn str(&self, key: &str) -> Result<Option<&'a str>, JsValue> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.err(key, "a string")),
        }
    }

    pub fn req_str(&self, key: &str) -> Result<&'a str, JsValue> {
        self.str(key)?.ok_or_else(|| self.err(key, "a string"))
    }

    pub fn bool(&self, key: &str) -> Result<bool, JsValue> {
        match self.get(key) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(self.err(key, "true or false")),
        }
    }

    pub fn num(&self, key: &str) -> Result<Option<f64>, JsValue> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.err(key, "a number")),
            Some(_) => Err(self.err(key, "a number")),
        }
    }

    pub fn list(&self, key: &str) -> Result<&'a [Value], JsValue> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(self.err(key, "an array")),
        }
    }

    pub fn strings(&self, key: &str) -> Result<Option<Vec<String>>, JsValue> {
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

    /// `[[k, v], …]` string pairs.
    pub fn pairs(&self, key: &str) -> Result<Vec<(String, String)>, JsValue> {
        self.list(key)?
            .iter()
            .map(|p| match p.as_array().map(Vec::as_slice) {
                Some([Value::String(k), Value::String(v)]) => Ok((k.clone(), v.clone())),
                _ => Err(self.err(key, "an array of [name, value] string pairs")),
            })
            .collect()
    }
}
