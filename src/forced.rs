//! Forced parameters: a route's `<data><parameter>` entries applied to the request
//! input the way `ParamsOverrider` does (spec §4).
//!
//! ```
//! use mage_policy::forced::{apply, Placeholders};
//! use mage_policy::{ParamDef, Principal};
//! use serde_json::json;
//!
//! let forced = [
//!     ParamDef { name: "customer.id".into(), force: true, value: Some("%customer_id%".into()) },
//!     ParamDef { name: "customer.group_id".into(), force: true, value: Some("%customer_group_id%".into()) },
//! ];
//! let mut body = json!({"customer": {"id": 99, "groupId": 7}});
//! let values = Placeholders { customer_group_id: Some(json!(1)), ..Placeholders::default() };
//! apply(&forced, &Principal::customer(5, 1), &values, &mut body).unwrap();
//! // camelCase keys that already exist are overwritten in place (spec §4.2 example).
//! assert_eq!(body, json!({"customer": {"id": 5, "groupId": 1}}));
//! ```

use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::ParamDef;
use crate::php::snake_to_camel;
use crate::principal::Principal;

/// Values for the placeholders that need data the engine does not have. They are
/// used only when the caller is a customer; for everyone else every placeholder
/// resolves to `null`, as in Magento (spec §4.1).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placeholders {
    /// `%customer_group_id%`: the customer's group.
    pub customer_group_id: Option<Value>,
    /// `%customer_website_id%`: the customer's website (defaults to the principal's).
    pub customer_website_id: Option<Value>,
    /// `%customer_store_id%`: the customer's store.
    pub customer_store_id: Option<Value>,
    /// `%cart_id%`: the customer's active cart.
    pub cart: Option<Cart>,
    /// Further placeholders registered by third-party modules: (`%name%`, value).
    pub extra: Vec<(String, Value)>,
}

/// The outcome of Magento's active-cart lookup.
#[derive(Debug, Clone, PartialEq)]
pub enum Cart {
    /// The active cart's id.
    Active(Value),
    /// The customer has no active cart: Magento answers 404.
    NoActiveCart,
}

/// Why forced parameters could not be applied. Each maps to Magento's answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ForcedParamError {
    /// 404 `Current customer does not have an active cart.`
    #[error("Current customer does not have an active cart.")]
    NoActiveCart,
    /// A placeholder's value was needed but the caller did not supply it.
    #[error("no value supplied for placeholder {placeholder} (forced parameter `{parameter}`)")]
    MissingValue {
        /// The placeholder, e.g. `%cart_id%`.
        placeholder: String,
        /// The forced parameter that needs it.
        parameter: String,
    },
    /// The input holds a scalar where the parameter path needs an object; PHP fails
    /// with an internal error (500).
    #[error("cannot force `{parameter}`: `{at}` holds a scalar value, not an object")]
    ScalarInTheWay {
        /// The forced parameter.
        parameter: String,
        /// The key that holds the scalar.
        at: String,
    },
    /// The input is not a JSON object.
    #[error("the request input must be a JSON object to force parameters")]
    NotAnObject,
}

impl ForcedParamError {
    /// The HTTP status Magento answers with.
    pub fn status(&self) -> u16 {
        match self {
            ForcedParamError::NoActiveCart => 404,
            ForcedParamError::NotAnObject => 400,
            ForcedParamError::MissingValue { .. } | ForcedParamError::ScalarInTheWay { .. } => 500,
        }
    }
}

/// One parameter that was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applied {
    /// The configured name (`customer.id`).
    pub name: String,
    /// The value written.
    pub value: Value,
}

const KNOWN: [&str; 5] = [
    "%customer_id%",
    "%customer_group_id%",
    "%customer_website_id%",
    "%customer_store_id%",
    "%cart_id%",
];

fn resolve(
    def: &ParamDef,
    principal: &Principal,
    values: &Placeholders,
) -> Result<Value, ForcedParamError> {
    let Some(text) = def.value.as_deref() else {
        return Ok(Value::Null);
    };
    // Only the *entire* text can be a placeholder (spec §4.2 step 3).
    let extra = values.extra.iter().find(|(k, _)| k == text);
    if !KNOWN.contains(&text) && extra.is_none() {
        return Ok(Value::String(text.to_string()));
    }
    let Principal::Customer { id, website_id, .. } = principal else {
        // Every core overrider answers null for non-customers.
        return Ok(extra.map(|(_, v)| v.clone()).unwrap_or(Value::Null));
    };
    let missing = || ForcedParamError::MissingValue {
        placeholder: text.to_string(),
        parameter: def.name.clone(),
    };
    match text {
        "%customer_id%" => Ok(Value::from(*id)),
        "%customer_group_id%" => values.customer_group_id.clone().ok_or_else(missing),
        "%customer_website_id%" => Ok(values
            .customer_website_id
            .clone()
            .unwrap_or_else(|| Value::from(*website_id))),
        "%customer_store_id%" => values.customer_store_id.clone().ok_or_else(missing),
        "%cart_id%" => match &values.cart {
            Some(Cart::Active(v)) => Ok(v.clone()),
            Some(Cart::NoActiveCart) => Err(ForcedParamError::NoActiveCart),
            None => Err(missing()),
        },
        _ => Ok(extra.map(|(_, v)| v.clone()).unwrap_or(Value::Null)),
    }
}

/// Apply `forced` (a route's parameters, in config order) to `input`, a JSON object
/// holding the request input (body merged with request params, spec §4.3).
/// Returns what was written.
pub fn apply(
    forced: &[ParamDef],
    principal: &Principal,
    values: &Placeholders,
    input: &mut Value,
) -> Result<Vec<Applied>, ForcedParamError> {
    let Value::Object(map) = input else {
        return Err(ForcedParamError::NotAnObject);
    };
    let mut applied = Vec::new();
    for def in forced {
        let keys: Vec<&str> = def.name.split('.').collect();
        if def.force || !is_set(map, &keys) {
            let value = resolve(def, principal, values)?;
            set_nested(map, &keys, value.clone(), &def.name)?;
            applied.push(Applied {
                name: def.name.clone(),
                value,
            });
        }
    }
    Ok(applied)
}

/// `convertKeysToCamelCase` (later keys win when two spell the same camelCase name);
/// plain lists are not descended into.
fn camel_keys(map: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in map {
        let v = match v {
            Value::Object(inner) => Value::Object(camel_keys(inner)),
            other => other.clone(),
        };
        out.insert(snake_to_camel(k).into_owned(), v);
    }
    out
}

/// `isNestedArrayValueSet`: walk the camelCased path with PHP `isset` (null = absent).
fn is_set(map: &Map<String, Value>, keys: &[&str]) -> bool {
    let camel = Value::Object(camel_keys(map));
    let mut cur = &camel;
    for k in keys {
        let k = snake_to_camel(k);
        let next = match cur {
            Value::Object(m) => m.get(k.as_ref()),
            Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        match next {
            Some(v) if !v.is_null() => cur = v,
            _ => return false,
        }
    }
    true
}

fn isset(map: &Map<String, Value>, key: &str) -> bool {
    map.get(key).is_some_and(|v| !v.is_null())
}

/// The object at `map[key]`, created when absent or null. PHP turns `false` into an
/// array too; any other scalar is a fatal error there.
fn child_object<'m>(
    map: &'m mut Map<String, Value>,
    key: &str,
    parameter: &str,
) -> Result<&'m mut Map<String, Value>, ForcedParamError> {
    let slot = map.entry(key.to_string()).or_insert(Value::Null);
    if matches!(slot, Value::Null | Value::Bool(false)) {
        *slot = Value::Object(Map::new());
    }
    if let Value::Array(list) = slot {
        // A PHP list with a string key written into it becomes a map.
        let as_map: Map<String, Value> = std::mem::take(list)
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect();
        *slot = Value::Object(as_map);
    }
    match slot {
        Value::Object(m) => Ok(m),
        _ => Err(ForcedParamError::ScalarInTheWay {
            parameter: parameter.to_string(),
            at: key.to_string(),
        }),
    }
}

/// `setNestedArrayValue` (spec §4.2 step 4): intermediate keys as written if set,
/// else their camelCase form; the last key overwrites its camelCase form when that
/// is set, else is written as given.
fn set_nested(
    map: &mut Map<String, Value>,
    keys: &[&str],
    value: Value,
    parameter: &str,
) -> Result<(), ForcedParamError> {
    let (last, path) = keys
        .split_last()
        .expect("split('.') yields at least one key");
    let mut cur = map;
    for k in path {
        let key = if isset(cur, k) {
            k.to_string()
        } else {
            snake_to_camel(k).into_owned()
        };
        cur = child_object(cur, &key, parameter)?;
    }
    let camel = snake_to_camel(last);
    if isset(cur, &camel) {
        cur.insert(camel.into_owned(), value);
    } else {
        cur.insert(last.to_string(), value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(name: &str, force: bool, value: &str) -> ParamDef {
        ParamDef {
            name: name.into(),
            force,
            value: if value == "null" {
                None
            } else {
                Some(value.into())
            },
        }
    }

    fn customer() -> Principal {
        Principal::customer(5, 1)
    }

    #[test]
    fn spec_4_2_examples() {
        let vals = Placeholders {
            customer_group_id: Some(json!(1)),
            cart: Some(Cart::Active(json!(42))),
            ..Default::default()
        };
        let forced = |name: &str, value: &str, mut input: Value| {
            apply(&[p(name, true, value)], &customer(), &vals, &mut input).unwrap();
            input
        };
        // snake key without a camel twin is overwritten as written
        assert_eq!(
            forced(
                "customer.group_id",
                "%customer_group_id%",
                json!({"customer": {"group_id": 7}})
            ),
            json!({"customer": {"group_id": 1}})
        );
        // cart_item is not cartItem: a new cartItem object is created next to it
        assert_eq!(
            forced(
                "cartItem.quote_id",
                "%cart_id%",
                json!({"cart_item": {"sku": "x"}})
            ),
            json!({"cart_item": {"sku": "x"}, "cartItem": {"quote_id": 42}})
        );
        // camelCase present: written in place
        assert_eq!(
            forced(
                "cartItem.quote_id",
                "%cart_id%",
                json!({"cartItem": {"quoteId": 9, "sku": "x"}})
            ),
            json!({"cartItem": {"quoteId": 42, "sku": "x"}})
        );
        // query param override
        assert_eq!(
            forced("customerId", "%customer_id%", json!({"customerId": "7"})),
            json!({"customerId": 5})
        );
    }

    #[test]
    fn force_false_only_fills_absent_values() {
        let d = [p("a.b_c", false, "dflt")];
        let mut present = json!({"a": {"bC": 1}});
        apply(
            &d,
            &Principal::Guest,
            &Placeholders::default(),
            &mut present,
        )
        .unwrap();
        assert_eq!(present, json!({"a": {"bC": 1}}));
        // snake-case input counts as present too (keys are camelCased for the check)
        let mut snake = json!({"a": {"b_c": 1}});
        apply(&d, &Principal::Guest, &Placeholders::default(), &mut snake).unwrap();
        assert_eq!(snake, json!({"a": {"b_c": 1}}));
        // null counts as absent
        let mut null = json!({"a": {"bC": null}});
        apply(&d, &Principal::Guest, &Placeholders::default(), &mut null).unwrap();
        assert_eq!(null, json!({"a": {"bC": null, "b_c": "dflt"}}));
    }

    #[test]
    fn placeholders_are_null_for_non_customers_and_exact_only() {
        let d = [
            p("x", true, "%customer_id%"),
            p("y", true, " %customer_id% "),
            p("z", true, "null"),
        ];
        let mut v = json!({});
        apply(&d, &Principal::Guest, &Placeholders::default(), &mut v).unwrap();
        assert_eq!(v, json!({"x": null, "y": " %customer_id% ", "z": null}));
    }

    #[test]
    fn missing_values_and_carts_are_errors_not_guesses() {
        let d = [p("cartItem.quote_id", true, "%cart_id%")];
        let mut v = json!({});
        let e = apply(&d, &customer(), &Placeholders::default(), &mut v).unwrap_err();
        assert!(matches!(e, ForcedParamError::MissingValue { .. }));
        let vals = Placeholders {
            cart: Some(Cart::NoActiveCart),
            ..Default::default()
        };
        let e = apply(&d, &customer(), &vals, &mut v).unwrap_err();
        assert_eq!(
            (e.status(), e.to_string().as_str()),
            (404, "Current customer does not have an active cart.")
        );
    }

    #[test]
    fn scalars_in_the_way_fail_like_php() {
        let d = [p("customer.id", true, "%customer_id%")];
        let mut v = json!({"customer": "x"});
        assert!(matches!(
            apply(&d, &customer(), &Placeholders::default(), &mut v),
            Err(ForcedParamError::ScalarInTheWay { .. })
        ));
        let mut v = json!({"customer": false});
        apply(&d, &customer(), &Placeholders::default(), &mut v).unwrap();
        assert_eq!(v, json!({"customer": {"id": 5}}));
        let mut v = json!({"customer": [1]});
        apply(&d, &customer(), &Placeholders::default(), &mut v).unwrap();
        assert_eq!(v, json!({"customer": {"0": 1, "id": 5}}));
        assert_eq!(
            apply(&d, &customer(), &Placeholders::default(), &mut json!([1])),
            Err(ForcedParamError::NotAnObject)
        );
    }
}
