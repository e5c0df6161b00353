//! OAuth 1.0a for Magento integrations: signing, verification, and the token
//! exchange (spec §7).
//!
//! The signature base string differs between implementations, so it comes in named
//! profiles: [`Profile::Rfc5849`] (identical to oauthlib), [`Profile::Magento247`]
//! (laminas-oauth, spec §7.1–§7.2) and [`Profile::Magento248`] (Magento's own `Hmac`
//! helper, spec §7.6).
//!
//! ```
//! use mage_policy::oauth::{self, ClientCredentials, Profile, SignOptions, SignedRequest};
//!
//! let creds = ClientCredentials {
//!     consumer_key: "a".repeat(32), consumer_secret: "c".repeat(32),
//!     token: Some("b".repeat(32)), token_secret: Some("d".repeat(32)),
//! };
//! let req = SignedRequest {
//!     method: "GET",
//!     url: "https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10",
//!     content_type: None, body: None,
//! };
//! let mut opts = SignOptions::new(Profile::Magento247, 1_700_000_000);
//! opts.nonce = Some("n0nce".into());
//! let signed = oauth::sign(&req, &creds, &opts).unwrap();
//! // The worked example of spec §7.2:
//! assert_eq!(signed.signature, "j658MLJVyE0eQrmibIujUgCD2VAJPEGDvsgkP0D/Zmw=");
//! assert!(signed.authorization.starts_with("OAuth oauth_consumer_key=\"aaaa"));
//! ```

mod encode;
mod handshake;
mod params;
mod sign;
mod url;
mod verify;

pub use encode::{percent_encode, strnatcmp};
pub use handshake::{
    access_token_request, parse_activation, parse_token_response, request_token_request,
    Activation, TokenPair, CONSUMER_KEY_WINDOW,
};
pub use params::{SignedRequest, MAX_PARAMS};
pub use sign::{base_string, sign, signature, ClientCredentials, SignOptions, Signed, Signer};
pub use verify::{
    verify, ConsumerRecord, CredentialStore, IntegrationRef, MemoryCredentials, MemoryNonces,
    NonceCheck, NonceStore, TokenKind, TokenRecord, Verified, VerifyOptions,
};

use serde::Serialize;

/// Which implementation's signature base string to produce or check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Profile {
    /// RFC 5849, as oauthlib computes it.
    #[serde(rename = "rfc5849")]
    Rfc5849,
    /// Magento 2.4.7 (laminas-oauth): natural-order sort, normalised URL, `+` kept.
    #[serde(rename = "magento-2.4.7")]
    Magento247,
    /// Magento 2.4.8 (`Helper\Signature\Hmac`): URL as sent, byte-order sort, query
    /// re-parsed with `parse_str`.
    #[serde(rename = "magento-2.4.8")]
    Magento248,
}

impl Profile {
    /// `rfc5849`, `magento-2.4.7` or `magento-2.4.8`.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Rfc5849 => "rfc5849",
            Profile::Magento247 => "magento-2.4.7",
            Profile::Magento248 => "magento-2.4.8",
        }
    }

    fn is_magento(self) -> bool {
        self != Profile::Rfc5849
    }
}

impl std::str::FromStr for Profile {
    type Err = OAuthError;
    fn from_str(s: &str) -> Result<Self, OAuthError> {
        match s {
            "rfc5849" => Ok(Profile::Rfc5849),
            "magento-2.4.7" | "magento" => Ok(Profile::Magento247),
            "magento-2.4.8" => Ok(Profile::Magento248),
            _ => Err(OAuthError::bad_request(
                "bad-profile",
                format!("unknown profile `{s}` (rfc5849, magento-2.4.7, magento-2.4.8)"),
            )),
        }
    }
}

/// `oauth_signature_method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum SignatureMethod {
    /// The only method Magento accepts.
    #[serde(rename = "HMAC-SHA256")]
    HmacSha256,
    /// RFC 5849 profile only.
    #[serde(rename = "HMAC-SHA1")]
    HmacSha1,
    /// RFC 5849 profile only (oauthlib extension).
    #[serde(rename = "HMAC-SHA512")]
    HmacSha512,
    /// RFC 5849 profile only: the key itself, for use over TLS.
    #[serde(rename = "PLAINTEXT")]
    Plaintext,
}

impl SignatureMethod {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha256 => "HMAC-SHA256",
            SignatureMethod::HmacSha1 => "HMAC-SHA1",
            SignatureMethod::HmacSha512 => "HMAC-SHA512",
            SignatureMethod::Plaintext => "PLAINTEXT",
        }
    }

    /// Parse a wire name (exact, as Magento compares it).
    pub fn parse(s: &str) -> Option<SignatureMethod> {
        Some(match s {
            "HMAC-SHA256" => SignatureMethod::HmacSha256,
            "HMAC-SHA1" => SignatureMethod::HmacSha1,
            "HMAC-SHA512" => SignatureMethod::HmacSha512,
            "PLAINTEXT" => SignatureMethod::Plaintext,
            _ => return None,
        })
    }
}

/// An OAuth failure with Magento's status and message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct OAuthError {
    /// HTTP status: 400 (input), 401 (authentication) or 500.
    pub status: u16,
    /// A stable code, e.g. `bad-signature`, `nonce-used`.
    pub code: &'static str,
    /// The message with its arguments filled in.
    pub message: String,
    /// Magento's raw phrase (`%1`, `%fieldName` left in) and its arguments, for the
    /// REST body.
    #[serde(skip)]
    phrase: Option<(&'static str, Vec<(String, String)>)>,
    /// The required parameters that were missing (several: Magento aggregates them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

impl OAuthError {
    pub(crate) fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        OAuthError {
            status,
            code,
            message: message.into(),
            phrase: None,
            missing: Vec::new(),
        }
    }
    pub(crate) fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        OAuthError::new(400, code, message)
    }
    pub(crate) fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        OAuthError::new(401, code, message)
    }
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        OAuthError::new(500, "internal", message)
    }
    /// A Magento phrase with placeholders: `args` are (placeholder name, value).
    pub(crate) fn phrase(
        status: u16,
        code: &'static str,
        raw: &'static str,
        args: Vec<(String, String)>,
    ) -> Self {
        let mut message = raw.to_string();
        for (k, v) in &args {
            message = message.replace(&format!("%{k}"), v);
        }
        OAuthError {
            status,
            code,
            message,
            phrase: Some((raw, args)),
            missing: Vec::new(),
        }
    }

    /// The JSON body Magento's REST API sends for this failure (spec §3.7): the raw
    /// phrase with its placeholders, and `parameters`.
    pub fn rest_body(&self) -> String {
        if self.missing.len() > 1 {
            let mut out = String::from(
                r#"{"message":"One or more input exceptions have occurred.","errors":["#,
            );
            for (i, name) in self.missing.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(r#"{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"#);
                crate::json::php_string(&mut out, name);
                out.push_str("}}");
            }
            out.push_str("]}");
            return out;
        }
        let mut out = String::from("{\"message\":");
        match &self.phrase {
            Some((raw, args)) => {
                crate::json::php_string(&mut out, raw);
                if !args.is_empty() {
                    let positional = args.iter().all(|(k, _)| k.parse::<usize>().is_ok());
                    out.push_str(if positional {
                        ",\"parameters\":["
                    } else {
                        ",\"parameters\":{"
                    });
                    for (i, (k, v)) in args.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        if !positional {
                            crate::json::php_string(&mut out, k);
                            out.push(':');
                        }
                        crate::json::php_string(&mut out, v);
                    }
                    out.push(if positional { ']' } else { '}' });
                }
            }
            None => crate::json::php_string(&mut out, &self.message),
        }
        out.push('}');
        out
    }

    /// The body of Magento's `/oauth/token/*` endpoints: `oauth_problem=<message>`
    /// (trailing period removed, form-encoded).
    pub fn oauth_problem_body(&self) -> String {
        let msg = self.message.trim_end_matches('.');
        format!("oauth_problem={}", form_encode(msg))
    }
}

/// PHP `urlencode` (spaces as `+`).
pub(crate) fn form_encode(s: &str) -> String {
    percent_encode(s).replace("%20", "+").replace('~', "%7E")
}
