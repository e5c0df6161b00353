//! Failures as the front ends report them: a code (`EINPUT`, `ECONFIG`, `EBUNDLE`,
//! `EOAUTH`, `EJWT`), a message and the details of each kind, as one JSON object
//! that the JS layer rethrows as an `Error` subclass and the command line prints.

use serde_json::{json, Value};

use super::input::InputError;
use crate::bundle::BundleError;
use crate::oauth::OAuthError;
use crate::token::JwtError;
use crate::ConfigError;

/// Why a front-end call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Failure {
    /// An argument of the wrong shape (`EINPUT`).
    #[error(transparent)]
    Input(#[from] InputError),
    /// The configuration does not load (`ECONFIG`, with diagnostics).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A bundle that cannot be loaded (`EBUNDLE`).
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// OAuth (`EOAUTH`, with Magento's status and body).
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    /// A JWT key or setting problem (`EJWT`, with a reason).
    #[error(transparent)]
    Jwt(#[from] JwtError),
}

impl Failure {
    /// `EINPUT`, `ECONFIG`, `EBUNDLE`, `EOAUTH` or `EJWT`.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Input(_) => "EINPUT",
            Failure::Config(_) => "ECONFIG",
            Failure::Bundle(_) => "EBUNDLE",
            Failure::OAuth(_) => "EOAUTH",
            Failure::Jwt(_) => "EJWT",
        }
    }

    /// `{"code","message",…}`: ECONFIG adds `diagnostics`; EOAUTH `status`,
    /// `oauthCode`, `body` (and `missing`); EJWT `reason`; EINPUT `argument`.
    pub fn to_value(&self) -> Value {
        let mut v = json!({ "code": self.code(), "message": self.to_string() });
        let extra = match self {
            Failure::Input(e) => json!({ "argument": e.what }),
            Failure::Config(e) => {
                json!({ "diagnostics": super::output::diagnostic_values(&e.diagnostics) })
            }
            Failure::Bundle(_) => json!({}),
            Failure::OAuth(e) => {
                let mut o =
                    json!({ "status": e.status(), "oauthCode": e.code(), "body": e.rest_body() });
                if !e.missing().is_empty() {
                    o["missing"] = json!(e.missing());
                }
                o
            }
            Failure::Jwt(e) => json!({ "reason": e.reason() }),
        };
        if let (Value::Object(m), Value::Object(x)) = (&mut v, extra) {
            m.extend(x);
        }
        v
    }

    /// [`to_value`](Self::to_value) as text.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }
}
