//! Signing requests as an integration (or any OAuth 1.0a client).

use serde::Serialize;

use super::encode::{encode_into, percent_encode, Escape};
use super::params::{self, Bytes, PhpMap, SignedRequest, Val};
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

/// Borrowed parameter bytes.
fn b(s: &str) -> Bytes<'_> {
    Bytes::Borrowed(s.as_bytes())
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
            .map(|(k, v)| (b(k), Val::Str(b(v))))
            .collect(),
    );
    let collected = params::collect(profile, req, map)?;
    Ok(params::base_string(profile, req.method, &collected))
}

/// Sign `req`: builds the protocol parameters, the base string and the header.
/// (To sign many requests with the same credentials, make a [`Signer`] once.)
pub fn sign(
    req: &SignedRequest<'_>,
    creds: &ClientCredentials,
    opts: &SignOptions,
) -> Result<Signed, OAuthError> {
    Signer::new(creds, opts.profile, opts.method)?.sign(req, opts)
}

/// Credentials ready to sign with: the HMAC key (`enc(consumer_secret)&enc(token_secret)`)
/// is encoded and keyed once, so each signature costs only the base string and its
/// hash.
///
/// ```
/// use mage_policy::oauth::{ClientCredentials, Profile, SignOptions, SignatureMethod, SignedRequest, Signer};
///
/// let creds = ClientCredentials {
///     consumer_key: "ck".into(),
///     consumer_secret: "cs".into(),
///     token: Some("tk".into()),
///     token_secret: Some("ts".into()),
/// };
/// let signer = Signer::new(&creds, Profile::Magento247, SignatureMethod::HmacSha256).unwrap();
/// let req = SignedRequest { method: "GET", url: "https://shop.example/rest/V1/products", content_type: None, body: None };
/// let mut opts = SignOptions::new(Profile::Magento247, 1_700_000_000);
/// opts.nonce = Some("n0nce".into());
/// let signed = signer.sign(&req, &opts).unwrap();
/// assert!(signed.authorization.starts_with("OAuth oauth_consumer_key=\"ck\""));
/// assert_eq!(signed, mage_policy::oauth::sign(&req, &creds, &opts).unwrap());
/// ```
#[derive(Clone)]
pub struct Signer {
    consumer_key: String,
    token: Option<String>,
    profile: Profile,
    method: SignatureMethod,
    key: Key,
}

#[derive(Clone)]
enum Key {
    Mac(Box<crypto::MacKey>),
    /// PLAINTEXT sends the encoded key itself.
    Plain(String),
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("consumer_key", &self.consumer_key)
            .field("token", &self.token)
            .field("profile", &self.profile)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// Prepare `creds` for `profile` and `method`. The Magento profiles accept only
    /// HMAC-SHA256 (spec §7.3), so other methods are refused here, as Magento would.
    pub fn new(
        creds: &ClientCredentials,
        profile: Profile,
        method: SignatureMethod,
    ) -> Result<Signer, OAuthError> {
        if profile.is_magento() && method != SignatureMethod::HmacSha256 {
            return Err(OAuthError::UnsupportedSignatureMethod(method.name().into()));
        }
        let key = signing_key(
            &creds.consumer_secret,
            creds.token_secret.as_deref().unwrap_or(""),
        );
        let key = match method {
            SignatureMethod::Plaintext => Key::Plain(key),
            SignatureMethod::HmacSha1 => {
                Key::Mac(Box::new(crypto::MacKey::new(Hash::Sha1, key.as_bytes())))
            }
            SignatureMethod::HmacSha256 => {
                Key::Mac(Box::new(crypto::MacKey::new(Hash::Sha256, key.as_bytes())))
            }
            SignatureMethod::HmacSha512 => {
                Key::Mac(Box::new(crypto::MacKey::new(Hash::Sha512, key.as_bytes())))
            }
        };
        Ok(Signer {
            consumer_key: creds.consumer_key.clone(),
            token: creds.token.clone(),
            profile,
            method,
            key,
        })
    }

    /// The base-string profile this signer signs under.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The signature method this signer signs with.
    pub fn method(&self) -> SignatureMethod {
        self.method
    }

    /// Sign `req`. `opts.profile` and `opts.method` must be the signer's (an error
    /// otherwise); the rest (timestamp, nonce, realm, extra parameters, version) is
    /// per request.
    pub fn sign(&self, req: &SignedRequest<'_>, opts: &SignOptions) -> Result<Signed, OAuthError> {
        if opts.profile != self.profile || opts.method != self.method {
            return Err(OAuthError::BadOptions(format!(
                "this signer signs {} under {}; the options ask for {} under {}",
                self.method.name(),
                self.profile.name(),
                opts.method.name(),
                opts.profile.name()
            )));
        }
        let nonce = match &opts.nonce {
            Some(n) if n.is_empty() || (opts.profile.is_magento() && n == "0") => {
                return Err(OAuthError::BadNonce)
            }
            Some(n) => n.clone(),
            None => crypto::random_token(32).map_err(OAuthError::Internal)?,
        };
        let mut digits = itoa::Buffer::new();
        let timestamp = digits.format(opts.timestamp);
        // The protocol parameters borrow from the signer and the options: no copies.
        let mut protocol = PhpMap(Vec::with_capacity(6 + opts.extra.len()));
        protocol.0.extend([
            (b("oauth_consumer_key"), Val::Str(b(&self.consumer_key))),
            (b("oauth_nonce"), Val::Str(b(&nonce))),
            (b("oauth_signature_method"), Val::Str(b(self.method.name()))),
            (b("oauth_timestamp"), Val::Str(b(timestamp))),
        ]);
        if let Some(t) = &self.token {
            protocol.0.push((b("oauth_token"), Val::Str(b(t))));
        }
        if opts.version {
            protocol.0.push((b("oauth_version"), Val::Str(b("1.0"))));
        }
        for (k, v) in &opts.extra {
            if !k.starts_with("oauth_") || k == "oauth_signature" {
                return Err(OAuthError::BadParameter(k.chars().take(200).collect()));
            }
            // A repeated name moves to the end, as the header lists it.
            protocol.0.retain(|(x, _)| **x != *k.as_bytes());
            protocol.0.push((b(k), Val::Str(b(v))));
        }
        let mut header = Vec::with_capacity(384);
        header.extend_from_slice(b"OAuth ");
        let push = |header: &mut Vec<u8>, k: &[u8], v: &[u8]| {
            if header.len() > 6 {
                header.extend_from_slice(b", ");
            }
            encode_into(header, k, Escape::Once);
            header.extend_from_slice(b"=\"");
            encode_into(header, v, Escape::Once);
            header.push(b'"');
        };
        if let Some(realm) = &opts.realm {
            push(&mut header, b"realm", realm.as_bytes());
        }
        for (k, v) in &protocol.0 {
            if let Val::Str(v) = v {
                push(&mut header, k, v);
            }
        }
        let collected = params::collect(opts.profile, req, protocol)?;
        let base = params::base_string(opts.profile, req.method, &collected);
        let signature = match &self.key {
            Key::Plain(key) => key.clone(),
            Key::Mac(key) => crypto::b64(&key.mac(base.as_bytes())),
        };
        push(&mut header, b"oauth_signature", signature.as_bytes());
        Ok(Signed {
            authorization: String::from_utf8(header).expect("the header is ASCII"),
            base_string: base,
            signature,
            nonce,
            timestamp: opts.timestamp,
        })
    }
}
