//! OAuth failures with Magento's statuses, messages and REST bodies.

use crate::json::php_string;

/// An OAuth failure. Verification failures carry Magento's status and message (spec
/// §7.3, in the order Magento checks); the others describe input the caller got
/// wrong. [`code`](OAuthError::code) is a stable kebab-case name for each case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OAuthError {
    /// 400: `oauth_version` is present and not `1.0`.
    #[error("The \"{0}\" Oauth version isn't supported.")]
    BadVersion(String),
    /// 400: required protocol parameters are missing (Magento lists them all).
    #[error("{}", missing_message(.0))]
    MissingParameter(Vec<String>),
    /// 400: `oauth_token` is not 32 characters long.
    #[error("The token length is invalid. Check the length and try again.")]
    BadTokenLength,
    /// 400: a signature method the profile does not accept (Magento: HMAC-SHA256 only).
    #[error("Signature method {0} is not supported")]
    UnsupportedSignatureMethod(String),
    /// 401: the consumer key is not 32 characters long.
    #[error("Consumer key is not the correct length")]
    BadConsumerKeyLength,
    /// 401: no consumer has this key.
    #[error("A consumer having the specified key does not exist")]
    UnknownConsumer,
    /// 401: the timestamp is in the future by more than the allowed skew (or not a
    /// positive number); Magento reports it as a nonce failure.
    #[error("An error occurred validating the nonce")]
    BadTimestamp,
    /// 401: the consumer already used this nonce.
    #[error("The nonce is already being used by the consumer with ID {consumer_id}")]
    NonceUsed {
        /// The consumer's `entity_id`.
        consumer_id: u64,
    },
    /// 401: a nonce longer than 32 characters whose first 32 collide with a stored one
    /// (`oauth_nonce.nonce` is `varchar(32)`: the insert fails).
    #[error("An error occurred validating the nonce")]
    NonceCollision,
    /// 401: no token row has this value.
    #[error("Specified token does not exist")]
    UnknownToken,
    /// 401: the token belongs to another consumer.
    #[error("Token is not associated with the specified consumer")]
    TokenConsumerMismatch,
    /// 401: a request or verifier token used for an API call.
    #[error("Token is not an access token")]
    NotAccessToken,
    /// 401: the access token was revoked.
    #[error("Access token has been revoked")]
    TokenRevoked,
    /// 401: the signature does not match.
    #[error("The signature is invalid. Verify and try again.")]
    BadSignature,
    /// 401: the request carries no OAuth parameters at all (a verifier was asked).
    #[error("not an OAuth request (no OAuth Authorization header)")]
    NotOAuth,
    /// 400: an `Authorization: OAuth …` header that cannot be read.
    #[error("{0}")]
    BadHeader(String),
    /// 400: a URL that cannot be signed or verified.
    #[error("{0}")]
    BadUrl(String),
    /// 400: more than [`MAX_PARAMS`](super::MAX_PARAMS) parameters in one place.
    #[error("more than {max} parameters in the {0}", max = super::MAX_PARAMS)]
    TooManyParameters(&'static str),
    /// 400: an unknown profile name.
    #[error("unknown profile `{0}` (rfc5849, magento-2.4.7, magento-2.4.8)")]
    BadProfile(String),
    /// 400: signing options that do not fit the signer.
    #[error("{0}")]
    BadOptions(String),
    /// 400: an empty nonce (Magento also treats `"0"` as missing).
    #[error("the nonce must not be empty (Magento also treats \"0\" as missing)")]
    BadNonce,
    /// 400: an extra protocol parameter that is not `oauth_…` (or is `oauth_signature`).
    #[error("extra protocol parameter `{0}` must start with oauth_ (and not be oauth_signature)")]
    BadParameter(String),
    /// 400: a handshake message lacks a field.
    #[error("activation POST has no `{0}`")]
    MissingField(String),
    /// 401: the store's token endpoint answered `oauth_problem=…`.
    #[error("{0}")]
    OAuthProblem(String),
    /// 500: what Magento itself fails on (some 2.4.8 inputs), or no random source.
    #[error("{0}")]
    Internal(String),
}

fn missing_message(names: &[String]) -> String {
    match names {
        [one] => format!("\"{one}\" is required. Enter and try again."),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|n| format!("\"{n}\" is required"))
                .collect();
            format!(
                "One or more input exceptions have occurred: {}",
                list.join(", ")
            )
        }
    }
}

impl OAuthError {
    /// The HTTP status Magento answers with: 400 (input), 401 (authentication) or 500.
    pub fn status(&self) -> u16 {
        use OAuthError::*;
        match self {
            BadConsumerKeyLength
            | UnknownConsumer
            | BadTimestamp
            | NonceUsed { .. }
            | NonceCollision
            | UnknownToken
            | TokenConsumerMismatch
            | NotAccessToken
            | TokenRevoked
            | BadSignature
            | OAuthProblem(_)
            | NotOAuth => 401,
            Internal(_) => 500,
            _ => 400,
        }
    }

    /// A stable kebab-case name: `bad-signature`, `nonce-used`, …
    pub fn code(&self) -> &'static str {
        use OAuthError::*;
        match self {
            BadVersion(_) => "bad-version",
            MissingParameter(_) => "missing-parameter",
            BadTokenLength => "bad-token-length",
            UnsupportedSignatureMethod(_) => "unsupported-signature-method",
            BadConsumerKeyLength => "bad-consumer-key-length",
            UnknownConsumer => "unknown-consumer",
            BadTimestamp => "bad-timestamp",
            NonceUsed { .. } => "nonce-used",
            NonceCollision => "nonce-collision",
            UnknownToken => "unknown-token",
            TokenConsumerMismatch => "token-consumer-mismatch",
            NotAccessToken => "not-access-token",
            TokenRevoked => "token-revoked",
            BadSignature => "bad-signature",
            NotOAuth => "not-oauth",
            BadHeader(_) => "bad-header",
            BadUrl(_) => "bad-url",
            TooManyParameters(_) => "too-many-parameters",
            BadProfile(_) => "bad-profile",
            BadOptions(_) => "bad-options",
            BadNonce => "bad-nonce",
            BadParameter(_) => "bad-parameter",
            MissingField(_) => "missing-field",
            OAuthProblem(_) => "oauth-problem",
            Internal(_) => "internal",
        }
    }

    /// The missing required parameters ([`OAuthError::MissingParameter`]), else empty.
    pub fn missing(&self) -> &[String] {
        match self {
            OAuthError::MissingParameter(names) => names,
            _ => &[],
        }
    }

    /// The JSON body Magento's REST API sends for this failure (spec §3.7): the raw
    /// phrase with its placeholders, and `parameters`.
    pub fn rest_body(&self) -> String {
        let mut out = String::from("{\"message\":");
        let positional = |out: &mut String, raw: &str, arg: &str| {
            php_string(out, raw);
            out.push_str(",\"parameters\":[");
            php_string(out, arg);
            out.push(']');
        };
        match self {
            OAuthError::MissingParameter(names) if names.len() > 1 => {
                out.push_str(r#""One or more input exceptions have occurred.","errors":["#);
                for (i, name) in names.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(r#"{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"#);
                    php_string(&mut out, name);
                    out.push_str("}}");
                }
                out.push(']');
            }
            OAuthError::MissingParameter(names) => {
                php_string(&mut out, "\"%fieldName\" is required. Enter and try again.");
                out.push_str(",\"parameters\":{\"fieldName\":");
                php_string(&mut out, names.first().map_or("", String::as_str));
                out.push('}');
            }
            OAuthError::BadVersion(v) => {
                positional(&mut out, "The \"%1\" Oauth version isn't supported.", v)
            }
            OAuthError::UnsupportedSignatureMethod(m) => {
                positional(&mut out, "Signature method %1 is not supported", m)
            }
            OAuthError::NonceUsed { consumer_id } => positional(
                &mut out,
                "The nonce is already being used by the consumer with ID %1",
                itoa::Buffer::new().format(*consumer_id),
            ),
            other => php_string(&mut out, &other.to_string()),
        }
        out.push('}');
        out
    }

    /// The body of Magento's `/oauth/token/*` endpoints: `oauth_problem=<message>`
    /// (trailing period removed, form-encoded).
    pub fn oauth_problem_body(&self) -> String {
        let message = self.to_string();
        format!(
            "oauth_problem={}",
            super::form_encode(message.trim_end_matches('.'))
        )
    }
}
