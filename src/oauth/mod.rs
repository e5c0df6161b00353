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
mod error;
mod handshake;
mod params;
mod sign;
mod url;
mod verify;

pub use encode::{percent_encode, strnatcmp};
pub use error::OAuthError;
pub use handshake::{
    access_token_request, parse_activation, parse_token_response, request_token_request,
    Activation, TokenPair, CONSUMER_KEY_WINDOW,
};
pub use params::{SignedRequest, MAX_PARAMS};
pub use sign::{base_string, sign, signature, ClientCredentials, SignOptions, Signed, Signer};
pub use verify::{
    verify, ConsumerRecord, CredentialStore, IntegrationRef, MemoryCredentials, MemoryNonces,
    NonceCheck, NonceStore, PreparedKey, TokenKind, TokenRecord, Verified, VerifyOptions,
};

use serde::Serialize;

/// Which implementation's signature base string to produce or check (default:
/// `magento-2.4.7`, the Magento release this crate models).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub enum Profile {
    /// RFC 5849, as oauthlib computes it.
    #[serde(rename = "rfc5849")]
    Rfc5849,
    /// Magento 2.4.7 (laminas-oauth): natural-order sort, normalised URL, `+` kept.
    #[serde(rename = "magento-2.4.7")]
    #[default]
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

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Profile {
    type Err = OAuthError;
    fn from_str(s: &str) -> Result<Self, OAuthError> {
        match s {
            "rfc5849" => Ok(Profile::Rfc5849),
            "magento-2.4.7" | "magento" => Ok(Profile::Magento247),
            "magento-2.4.8" => Ok(Profile::Magento248),
            _ => Err(OAuthError::BadProfile(s.chars().take(64).collect())),
        }
    }
}

/// `oauth_signature_method` (default HMAC-SHA256, the only one Magento accepts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub enum SignatureMethod {
    /// The only method Magento accepts.
    #[serde(rename = "HMAC-SHA256")]
    #[default]
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

/// PHP `urlencode` (spaces as `+`).
pub(crate) fn form_encode(s: &str) -> String {
    percent_encode(s).replace("%20", "+").replace('~', "%7E")
}
