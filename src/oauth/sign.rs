//! Signing requests as an integration (or any OAuth 1.0a client).

use serde::Serialize;

use super::encode::percent_encode;
use super::params::{self, PhpMap, SignedRequest, Val};
use super::{OAuthError, Profile, SignatureMethod};
use crate::crypto::{self, Hash};

/// What the client holds: consumer key and secret, and (after the token exchange)
/// the access token and its secret.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ClientCredentials {
    /// `oauth_consumer_key`.
    pub consumer_key: String,
    /// The consumer secret.
    pub consumer_secret: String,
    /// `oauth_token` (absent for the request-token call).
    pub token: Option<String>,
    /// The token secret.
    pub token_secret: Option<String>,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("consumer_key", &self.consumer_key)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

/// How to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOptions {
    /// Base-string profile.
    pub profile: Profile,
    /// Signature method (default HMAC-SHA256, the only one Magento accepts).
    pub method: SignatureMethod,
    /// `oauth_timestamp`, Unix seconds (the engine has no clock of its own).
    pub timestamp: u64,
    /// `oauth_nonce`; `None` draws Magento's shape (32 × `[0-9a-z]`) from the
    /// platform's secure random source.
    pub nonce: Option<String>,
    /// `realm` for the header (never signed).
    pub realm: Option<String>,
    /// Further protocol parameters (`oauth_callback`, `oauth_verifier`).
    pub extra: Vec<(String, String)>,
    /// Send `oauth_version="1.0"` (default true).
    pub version: bool,
}

impl SignOptions {
    /// HMAC-SHA256 under `profile` at `timestamp`, random nonce, with `oauth_version`.
    pub fn new(profile: Profile, timestamp: u64) -> SignOptions {
        SignOptions {
            profile,
            method: SignatureMethod::HmacSha256,
            timestamp,
            nonce: None,
            realm: None,
            extra: Vec::new(),
            version: true,
        }
    }
}

/// A signed request: the header to send and what went into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signed {
    /// The `Authorization` header value.
    pub authorization: String,
    /// The signature base string (for debugging; PLAINTEXT does not use it).
    pub base_string: String,
    /// `oauth_signature`, Base64 (not percent-encoded).
    pub signature: String,
    /// The nonce used.
    pub nonce: String,
    /// The timestamp used.
    pub timestamp: u64,
}

/// The HMAC key `enc(consumer_secret)&enc(token_secret)`.
pub(crate) fn signing_key(consumer_secret: &str, token_secret: &str) -> String {
    format!(
        "{}&{}",
        percent_encode(consumer_secret),
        percent_encode(token_secret)
    )
}

/// Compute the signature of `base` with `key`.
pub(crate) fn compute(method: SignatureMethod, key: &str, base: &str) -> String {
    let hash = match method {
        SignatureMethod::Plaintext => return key.to_string(),
        SignatureMethod::HmacSha1 => Hash::Sha1,
        SignatureMethod::HmacSha256 => Hash::Sha256,
        SignatureMethod::HmacSha512 => Hash::Sha512,
    };
    crypto::b64(&crypto::hmac(hash, key.as_bytes(), base.as_bytes()))
}

/// The signature of a given base string: HMAC of `base` under
/// `enc(consumer_secret)&enc(token_secret)`, Base64; for PLAINTEXT the key itself.
pub fn signature(
    method: SignatureMethod,
    consumer_secret: &str,
    token_secret: &str,
    base: &str,
) -> String {
    compute(method, &signing_key(consumer_secret, token_secret), base)
}

/// The signature base string `profile` computes for `req` with the protocol
/// parameters `protocol` (everything `oauth_*` the header carries).
pub fn base_string(
    profile: Profile,
    req: &SignedRequest<'_>,
    protocol: &[(String, String)],
) -> Result<String, OAuthError> {
    let map = PhpMap(
        protocol
            .iter()
            .map(|(k, v)| (k.clone(), Val::Str(v.clone())))
            .collect(),
    );
    let collected = params::collect(profile, req, &map)?;
    Ok(params::base_string(profile, req.method, &collected))
}

/// Sign `req`: builds the protocol parameters, the base string and the header.
pub fn sign(
    req: &SignedRequest<'_>,
    creds: &ClientCredentials,
    opts: &SignOptions,
) -> Result<Signed, OAuthError> {
    if opts.profile.is_magento() && opts.method != SignatureMethod::HmacSha256 {
        return Err(OAuthError::phrase(
            400,
            "unsupported-signature-method",
            "Signature method %1 is not supported",
            vec![("1".into(), opts.method.name().into())],
        ));
    }
    let nonce = match &opts.nonce {
        Some(n) if n.is_empty() || (opts.profile.is_magento() && n == "0") => {
            return Err(OAuthError::bad_request(
                "bad-nonce",
                "the nonce must not be empty (Magento also treats \"0\" as missing)",
            ))
        }
        Some(n) => n.clone(),
        None => crypto::random_token(32).map_err(OAuthError::internal)?,
    };
    let mut protocol: Vec<(String, String)> = vec![
        ("oauth_consumer_key".into(), creds.consumer_key.clone()),
        ("oauth_nonce".into(), nonce.clone()),
        ("oauth_signature_method".into(), opts.method.name().into()),
        ("oauth_timestamp".into(), opts.timestamp.to_string()),
    ];
    if let Some(t) = &creds.token {
        protocol.push(("oauth_token".into(), t.clone()));
    }
    if opts.version {
        protocol.push(("oauth_version".into(), "1.0".into()));
    }
    for (k, v) in &opts.extra {
        if !k.starts_with("oauth_") || k == "oauth_signature" {
            return Err(OAuthError::bad_request(
                "bad-parameter",
                format!("extra protocol parameter `{k}` must start with oauth_ (and not be oauth_signature)"),
            ));
        }
        protocol.retain(|(x, _)| x != k);
        protocol.push((k.clone(), v.clone()));
    }
    let base = base_string(opts.profile, req, &protocol)?;
    let key = signing_key(
        &creds.consumer_secret,
        creds.token_secret.as_deref().unwrap_or(""),
    );
    let signature = compute(opts.method, &key, &base);

    let mut header = String::from("OAuth ");
    let mut first = true;
    let mut push = |k: &str, v: &str| {
        if !first {
            header.push_str(", ");
        }
        first = false;
        header.push_str(&percent_encode(k));
        header.push_str("=\"");
        header.push_str(&percent_encode(v));
        header.push('"');
    };
    if let Some(realm) = &opts.realm {
        push("realm", realm);
    }
    for (k, v) in &protocol {
        push(k, v);
    }
    push("oauth_signature", &signature);
    Ok(Signed {
        authorization: header,
        base_string: base,
        signature,
        nonce,
        timestamp: opts.timestamp,
    })
}
