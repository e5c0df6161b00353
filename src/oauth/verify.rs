//! Verifying signed API calls the way Magento does (spec §7.3–§7.4): protocol checks
//! in Magento's order, the nonce recorded before the signature is checked, and a
//! constant-time signature comparison.

use std::collections::{HashSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::params::{self, PhpMap, SignedRequest, Val};
use super::sign::{compute, signing_key};
use super::{OAuthError, Profile, SignatureMethod};
use crate::crypto;

/// `oauth_consumer` (+ the integration that owns it).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsumerRecord {
    /// `entity_id`.
    pub id: u64,
    /// `key` (32 characters in Magento).
    pub key: String,
    /// `secret`.
    pub secret: String,
    /// `updated_at` (Unix seconds): the request-token window starts here.
    #[serde(default)]
    pub updated_at: Option<i64>,
    /// The integration owning the consumer: (`integration_id`, active).
    #[serde(default)]
    pub integration: Option<IntegrationRef>,
}

impl std::fmt::Debug for ConsumerRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsumerRecord")
            .field("id", &self.id)
            .field("key", &self.key)
            .field("integration", &self.integration)
            .finish_non_exhaustive()
    }
}

/// An integration as OAuth sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationRef {
    /// `integration_id`.
    pub id: u64,
    /// `status == 1`.
    pub active: bool,
}

/// `oauth_token.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// A request token (handshake step 2).
    Request,
    /// An access token: what signed API calls carry.
    Access,
    /// The verifier row created on activation.
    Verifier,
}

/// `oauth_token`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// `token`.
    pub token: String,
    /// `secret`.
    pub secret: String,
    /// `consumer_id`.
    pub consumer_id: u64,
    /// `type`.
    pub kind: TokenKind,
    /// `revoked`.
    #[serde(default)]
    pub revoked: bool,
    /// `verifier`.
    #[serde(default)]
    pub verifier: Option<String>,
}

impl std::fmt::Debug for TokenRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRecord")
            .field("token", &self.token)
            .field("consumer_id", &self.consumer_id)
            .field("kind", &self.kind)
            .field("revoked", &self.revoked)
            .finish_non_exhaustive()
    }
}

/// Where consumers and tokens come from (the store's database, a cache, a file).
pub trait CredentialStore {
    /// The consumer with this key.
    fn consumer(&self, key: &str) -> Option<ConsumerRecord>;
    /// The token row with this token value (any type).
    fn token(&self, token: &str) -> Option<TokenRecord>;
    /// The HMAC-SHA256 key of `consumer` and `token`, prepared ahead (see
    /// [`PreparedKey`]); `None`: it is derived for the request.
    fn signing_key(
        &self,
        _consumer: &ConsumerRecord,
        _token: &TokenRecord,
    ) -> Option<&PreparedKey> {
        None
    }
}

/// A consumer/token pair's HMAC-SHA256 signing key, made ready once. Magento's key
/// (`enc(consumer secret)&enc(token secret)`, 65 bytes) is longer than a SHA-256
/// block, so HMAC hashes it before use: keying from scratch costs four of the eleven
/// compressions of a typical signed request.
#[derive(Clone)]
pub struct PreparedKey {
    /// Made from these secrets (checked on use: a key never answers for others).
    consumer_secret: String,
    token_secret: String,
    key: crypto::MacKey,
}

impl std::fmt::Debug for PreparedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PreparedKey(..)")
    }
}

impl PreparedKey {
    /// The key of `consumer_secret` and `token_secret`.
    pub fn new(consumer_secret: &str, token_secret: &str) -> PreparedKey {
        PreparedKey {
            consumer_secret: consumer_secret.to_string(),
            token_secret: token_secret.to_string(),
            key: crypto::MacKey::new(
                crypto::Hash::Sha256,
                signing_key(consumer_secret, token_secret).as_bytes(),
            ),
        }
    }

    fn fits(&self, consumer_secret: &str, token_secret: &str) -> bool {
        self.consumer_secret == consumer_secret && self.token_secret == token_secret
    }
}

/// Result of recording a nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceCheck {
    /// Not seen before; now recorded.
    Fresh,
    /// Already used by this consumer.
    Reused,
    /// Longer than 32 characters and its first 32 collide with a stored nonce
    /// (Magento stores nonces truncated to `varchar(32)`).
    Collision,
}

/// Remembers nonces per consumer (Magento: `oauth_nonce`, primary key (nonce, consumer)).
pub trait NonceStore {
    /// Check and record `nonce` for `consumer_id` at `now`.
    fn check_and_record(
        &mut self,
        consumer_id: u64,
        nonce: &str,
        timestamp: i64,
        now: i64,
    ) -> NonceCheck;
}

/// One consumer's nonces: arrival order (for eviction) and a set (for lookup).
type ConsumerNonces = (VecDeque<(String, i64)>, HashSet<String>);

/// A bounded in-memory nonce store: per consumer at most `capacity` nonces, each
/// kept `retention` seconds after it was recorded (oldest evicted first).
///
/// Keys compare like Magento's MySQL column: the first 32 characters, ASCII case
/// folded, trailing spaces ignored. As in Magento, a replay older than the retention
/// window is not detected (Magento purges by the client's timestamp after 120 min).
#[derive(Debug, Clone)]
pub struct MemoryNonces {
    /// Most nonces kept per consumer (default 100,000).
    pub capacity: usize,
    /// Seconds a nonce is remembered (default 7,200, Magento's cleanup age).
    pub retention: i64,
    seen: crate::fasthash::FastMap<u64, ConsumerNonces>,
}

impl Default for MemoryNonces {
    fn default() -> Self {
        MemoryNonces {
            capacity: 100_000,
            retention: 7_200,
            seen: Default::default(),
        }
    }
}

impl MemoryNonces {
    /// A store with the given bounds.
    pub fn new(capacity: usize, retention: i64) -> Self {
        MemoryNonces {
            capacity: capacity.max(1),
            retention,
            seen: Default::default(),
        }
    }
}

/// The nonce as `oauth_nonce.nonce` (`varchar(32)`, case-insensitive collation,
/// trailing spaces ignored) compares it: the first 32 characters, ASCII-lowercased,
/// trailing spaces dropped — written in one pass into one allocation.
fn nonce_key(nonce: &str) -> String {
    let mut key = String::with_capacity(nonce.len().min(128));
    for c in nonce.chars().take(32) {
        key.push(c.to_ascii_lowercase());
    }
    let kept = key.trim_end_matches(' ').len();
    key.truncate(kept);
    key
}

impl NonceStore for MemoryNonces {
    fn check_and_record(
        &mut self,
        consumer_id: u64,
        nonce: &str,
        _timestamp: i64,
        now: i64,
    ) -> NonceCheck {
        let (order, set) = self.seen.entry(consumer_id).or_default();
        while order
            .front()
            .is_some_and(|(_, at)| *at < now - self.retention)
        {
            if let Some((k, _)) = order.pop_front() {
                set.remove(&k);
            }
        }
        let key = nonce_key(nonce);
        if set.contains(&key) {
            return if nonce.chars().count() > 32 {
                NonceCheck::Collision
            } else {
                NonceCheck::Reused
            };
        }
        while order.len() >= self.capacity {
            if let Some((k, _)) = order.pop_front() {
                set.remove(&k);
            }
        }
        set.insert(key.clone());
        order.push_back((key, now));
        NonceCheck::Fresh
    }
}

/// Consumers and tokens in memory, e.g. from the command line's JSON file:
/// `{"consumers":{"<key>":{"secret":"…"}},"tokens":{"<token>":{"secret":"…",
/// "consumer":"<key>","type":"access"}}}`.
#[derive(Debug, Clone, Default)]
pub struct MemoryCredentials {
    consumers: Vec<ConsumerRecord>,
    tokens: Vec<TokenRecord>,
    /// key → position in `consumers`, token → position in `tokens`.
    consumer_index: crate::fasthash::FastMap<String, u32>,
    token_index: crate::fasthash::FastMap<String, u32>,
    /// Per token (same positions): its signing key, when its consumer is known.
    keys: Vec<Option<PreparedKey>>,
}

impl MemoryCredentials {
    /// Add a consumer.
    pub fn add_consumer(&mut self, c: ConsumerRecord) {
        let id = c.id;
        match self.consumer_index.get(&c.key) {
            Some(&i) => self.consumers[i as usize] = c,
            None => {
                self.consumer_index
                    .insert(c.key.clone(), self.consumers.len() as u32);
                self.consumers.push(c);
            }
        }
        // Its tokens' keys follow its secret.
        for i in 0..self.tokens.len() {
            if self.tokens[i].consumer_id == id {
                self.keys[i] = self.prepared(&self.tokens[i]);
            }
        }
    }

    fn prepared(&self, t: &TokenRecord) -> Option<PreparedKey> {
        let c = self
            .consumers
            .iter()
            .rev()
            .find(|c| c.id == t.consumer_id)?;
        (t.kind == TokenKind::Access).then(|| PreparedKey::new(&c.secret, &t.secret))
    }

    /// Add a token row.
    pub fn add_token(&mut self, t: TokenRecord) {
        let key = self.prepared(&t);
        match self.token_index.get(&t.token) {
            Some(&i) => {
                self.tokens[i as usize] = t;
                self.keys[i as usize] = key;
            }
            None => {
                self.token_index
                    .insert(t.token.clone(), self.tokens.len() as u32);
                self.tokens.push(t);
                self.keys.push(key);
            }
        }
    }

    /// Read the JSON file format. Consumer ids count from 1 in key order unless
    /// given; a consumer's integration defaults to an active one with the consumer's id.
    pub fn from_json(text: &str) -> Result<MemoryCredentials, String> {
        let root = crate::jsonparse::parse(text.as_bytes())
            .map_err(|e| format!("credentials file: {e}"))?;
        MemoryCredentials::from_value(&root)
    }

    /// [`from_json`](Self::from_json) on an already parsed document.
    pub fn from_value(root: &serde_json::Value) -> Result<MemoryCredentials, String> {
        // Read through serde_json::Value rather than derived structs: this also runs
        // in the browser module, where every derive costs size.
        use serde_json::Value;
        type Entry = (String, serde_json::Map<String, Value>);
        let err = |m: String| format!("credentials file: {m}");
        if !matches!(root, Value::Object(_) | Value::Null) {
            return Err(err(
                "expected an object with `consumers` and `tokens`".into()
            ));
        }
        let section = |name: &str| -> Result<Vec<Entry>, String> {
            match root.get(name) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Object(m)) => {
                    let mut entries: Vec<Entry> = Vec::new();
                    for (k, v) in m {
                        match v {
                            Value::Object(o) => entries.push((k.clone(), o.clone())),
                            _ => return Err(err(format!("{name}.{k} must be an object"))),
                        }
                    }
                    crate::sort::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
                    Ok(entries)
                }
                Some(_) => Err(err(format!("`{name}` must be an object"))),
            }
        };
        let string = |o: &serde_json::Map<String, Value>,
                      k: &str,
                      at: &str|
         -> Result<Option<String>, String> {
            match o.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(err(format!("{at}.{k} must be a string"))),
            }
        };
        let mut out = MemoryCredentials::default();
        for (i, (key, c)) in section("consumers")?.into_iter().enumerate() {
            let at = format!("consumers.{key}");
            let secret = string(&c, "secret", &at)?
                .ok_or_else(|| err(format!("{at}.secret is required")))?;
            let id = c.get("id").and_then(Value::as_u64).unwrap_or(i as u64 + 1);
            let integration = match c.get("integration") {
                Some(Value::Object(o)) => IntegrationRef {
                    id: o
                        .get("id")
                        .and_then(Value::as_u64)
                        .ok_or_else(|| err(format!("{at}.integration.id must be a number")))?,
                    active: o.get("active").and_then(Value::as_bool).unwrap_or(true),
                },
                _ => IntegrationRef { id, active: true },
            };
            out.add_consumer(ConsumerRecord {
                id,
                key,
                secret,
                updated_at: c.get("updatedAt").and_then(Value::as_i64),
                integration: Some(integration),
            });
        }
        for (token, t) in section("tokens")? {
            let at = format!("tokens.{token}");
            let secret = string(&t, "secret", &at)?
                .ok_or_else(|| err(format!("{at}.secret is required")))?;
            let consumer = string(&t, "consumer", &at)?
                .ok_or_else(|| err(format!("{at}.consumer is required")))?;
            let kind = match string(&t, "type", &at)?.as_deref() {
                Some("access") => TokenKind::Access,
                Some("request") => TokenKind::Request,
                Some("verifier") => TokenKind::Verifier,
                _ => {
                    return Err(err(format!(
                        "{at}.type must be access, request or verifier"
                    )))
                }
            };
            let consumer_id = out
                .consumer(&consumer)
                .map(|c| c.id)
                .ok_or_else(|| err(format!("token {token} names unknown consumer {consumer}")))?;
            out.add_token(TokenRecord {
                token,
                secret,
                consumer_id,
                kind,
                revoked: t.get("revoked").and_then(Value::as_bool).unwrap_or(false),
                verifier: string(&t, "verifier", &at)?,
            });
        }
        Ok(out)
    }
}

impl CredentialStore for MemoryCredentials {
    fn consumer(&self, key: &str) -> Option<ConsumerRecord> {
        self.consumer_index
            .get(key)
            .map(|&i| self.consumers[i as usize].clone())
    }
    fn token(&self, token: &str) -> Option<TokenRecord> {
        self.token_index
            .get(token)
            .map(|&i| self.tokens[i as usize].clone())
    }
    fn signing_key(&self, _consumer: &ConsumerRecord, token: &TokenRecord) -> Option<&PreparedKey> {
        let &i = self.token_index.get(&token.token)?;
        self.keys.get(i as usize)?.as_ref()
    }
}

/// Verification settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Base-string profile.
    pub profile: Profile,
    /// Current time, Unix seconds.
    pub now: i64,
    /// Largest accepted `oauth_timestamp - now` (Magento: 600).
    pub max_future: i64,
    /// Oldest accepted `now - oauth_timestamp`; Magento has no lower bound (`None`).
    pub max_age: Option<i64>,
}

impl VerifyOptions {
    /// Magento's rules for the Magento profiles; for `rfc5849` also a 600 s lower
    /// bound (oauthlib's default).
    pub fn new(profile: Profile, now: i64) -> VerifyOptions {
        VerifyOptions {
            profile,
            now,
            max_future: 600,
            max_age: if profile.is_magento() {
                None
            } else {
                Some(600)
            },
        }
    }
}

/// A request whose signature checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The consumer.
    pub consumer: ConsumerRecord,
    /// The access token.
    pub token: TokenRecord,
}

impl Verified {
    /// The caller Magento sees: the consumer's integration when it is active
    /// (otherwise a guest, spec §7.4).
    pub fn integration_id(&self) -> Option<u64> {
        self.consumer.integration.filter(|i| i.active).map(|i| i.id)
    }
}

fn missing(names: Vec<&'static str>) -> OAuthError {
    OAuthError::MissingParameter(names.iter().map(|s| s.to_string()).collect())
}

/// The protocol parameters of a request (`None`: not an OAuth request), for `profile`.
pub(crate) fn protocol_params<'a>(
    profile: Profile,
    req: &SignedRequest<'a>,
    authorization: Option<&'a str>,
) -> Result<Option<PhpMap<'a>>, OAuthError> {
    let Some(header) = authorization else {
        return Ok(None);
    };
    params::check_count(header, ',', "Authorization header")?;
    if profile.is_magento() {
        let Some(mut map) = params::magento_header(header) else {
            return Ok(None);
        };
        // oauth_* form fields count only when the header gave none (spec §7.1).
        if map.0.is_empty()
            && req
                .content_type
                .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
        {
            for (k, v) in params::parse_str(req.body.unwrap_or("")).0 {
                if params::is_protocol(&k) {
                    map.set(k, v);
                }
            }
        }
        Ok(Some(map))
    } else {
        Ok(params::rfc_header(header)?.map(|(p, _realm)| {
            PhpMap(
                p.into_iter()
                    .map(|(k, v)| (k.into_bytes().into(), Val::Str(v.into_bytes().into())))
                    .collect(),
            )
        }))
    }
}

/// Check the protocol parameters (spec §7.3 steps 1–6) and return the consumer;
/// records the nonce. `required` extends the default set.
pub(crate) fn check_protocol(
    p: &PhpMap,
    required: &[&'static str],
    store: &dyn CredentialStore,
    nonces: &mut dyn NonceStore,
    opts: &VerifyOptions,
) -> Result<ConsumerRecord, OAuthError> {
    let magento = opts.profile.is_magento();
    // 1. oauth_version, when present, must be exactly 1.0.
    if let Some(v) = p.get("oauth_version") {
        let v = String::from_utf8_lossy(v.bytes());
        if v != "1.0" {
            return Err(OAuthError::BadVersion(v.chars().take(64).collect()));
        }
    }
    // 2. Required parameters. Magento tests them with PHP `empty()`: absent, "" and
    // "0" are missing; the RFC profile only requires them present and non-empty.
    let mut names = vec![
        "oauth_consumer_key",
        "oauth_signature",
        "oauth_signature_method",
        "oauth_nonce",
        "oauth_timestamp",
    ];
    names.extend_from_slice(required);
    let absent: Vec<&'static str> = names
        .into_iter()
        .filter(|n| !matches!(p.get_str(n), Some(v) if !(v.is_empty() || magento && v == "0")))
        .collect();
    if !absent.is_empty() {
        return Err(missing(absent));
    }
    let get = |n: &str| p.get_str(n).unwrap_or_default();
    // 3. Token length.
    if magento {
        if let Some(t) = p.get_str("oauth_token") {
            if t.chars().count() != 32 {
                return Err(OAuthError::BadTokenLength);
            }
        }
    }
    // 4. Signature method.
    let method = SignatureMethod::parse(&get("oauth_signature_method"));
    if method.is_none() || (magento && method != Some(SignatureMethod::HmacSha256)) {
        return Err(OAuthError::UnsupportedSignatureMethod(
            get("oauth_signature_method").chars().take(64).collect(),
        ));
    }
    // 5. Consumer.
    let key = get("oauth_consumer_key");
    if magento && key.chars().count() != 32 {
        return Err(OAuthError::BadConsumerKeyLength);
    }
    let consumer = store.consumer(&key).ok_or(OAuthError::UnknownConsumer)?;
    // 6. Timestamp (inside Magento's nonce validation, hence its message), then the
    // nonce, which is recorded before any later check can fail.
    let ts = crate::php::int_cast(&get("oauth_timestamp"));
    let too_old = opts.max_age.is_some_and(|age| ts < opts.now - age);
    if ts <= 0 || ts > opts.now + opts.max_future || too_old {
        return Err(OAuthError::BadTimestamp);
    }
    match nonces.check_and_record(consumer.id, &get("oauth_nonce"), ts, opts.now) {
        NonceCheck::Fresh => {}
        NonceCheck::Reused => {
            return Err(OAuthError::NonceUsed {
                consumer_id: consumer.id,
            })
        }
        NonceCheck::Collision => return Err(OAuthError::NonceCollision),
    }
    Ok(consumer)
}

/// Compare the received signature with the one `profile` computes (constant time).
pub(crate) fn check_signature(
    profile: Profile,
    req: &SignedRequest<'_>,
    p: &PhpMap,
    consumer_secret: &str,
    token_secret: &str,
    prepared: Option<&PreparedKey>,
) -> Result<(), OAuthError> {
    let collected = params::collect(profile, req, p.clone())?;
    let base = params::base_string(profile, req.method, &collected);
    let method = SignatureMethod::parse(&p.get_str("oauth_signature_method").unwrap_or_default())
        .unwrap_or(SignatureMethod::HmacSha256);
    let expected = match prepared {
        Some(k)
            if method == SignatureMethod::HmacSha256 && k.fits(consumer_secret, token_secret) =>
        {
            crypto::b64(&k.key.mac(base.as_bytes()))
        }
        _ => compute(method, &signing_key(consumer_secret, token_secret), &base),
    };
    let received: &[u8] = match p.get("oauth_signature") {
        Some(Val::Str(s)) => s,
        _ => b"",
    };
    if crypto::ct_eq(expected.as_bytes(), received) {
        Ok(())
    } else {
        Err(OAuthError::BadSignature)
    }
}

/// Verify a signed API call (spec §7.3–§7.4). `Ok(None)`: the request is not an
/// OAuth request at all (no `OAuth ` in `authorization`). Errors carry Magento's
/// status and message; the nonce is burnt even when a later check fails.
pub fn verify(
    req: &SignedRequest<'_>,
    authorization: Option<&str>,
    store: &dyn CredentialStore,
    nonces: &mut dyn NonceStore,
    opts: &VerifyOptions,
) -> Result<Option<Verified>, OAuthError> {
    let Some(p) = protocol_params(opts.profile, req, authorization)? else {
        return Ok(None);
    };
    let consumer = check_protocol(&p, &["oauth_token"], store, nonces, opts)?;
    // Token\Provider::validateAccessTokenRequest
    let token_value = p.get_str("oauth_token").unwrap_or_default();
    let token = store.token(&token_value).ok_or(OAuthError::UnknownToken)?;
    if token.consumer_id != consumer.id {
        return Err(OAuthError::TokenConsumerMismatch);
    }
    if token.kind != TokenKind::Access {
        return Err(OAuthError::NotAccessToken);
    }
    if token.revoked {
        return Err(OAuthError::TokenRevoked);
    }
    let prepared = store.signing_key(&consumer, &token);
    check_signature(
        opts.profile,
        req,
        &p,
        &consumer.secret,
        &token.secret,
        prepared,
    )?;
    Ok(Some(Verified { consumer, token }))
}
