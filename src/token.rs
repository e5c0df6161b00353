//! Bearer tokens: `Authorization` parsing, Magento JWTs (issue, verify, decode) and
//! the shape of legacy opaque tokens (spec §3.2, §6.3, §6.4).
//!
//! ```
//! use mage_policy::token::{self, JwtAlg, JwtKey, UserKind, VerifyOptions};
//!
//! let key = JwtKey::from_crypt_key("8f2c1d9e4b7a60315c9e2f4a7d1b3c5e").unwrap();
//! let t = token::issue(&key, JwtAlg::HS256, UserKind::Customer, 5, 1_700_000_000, 60).unwrap();
//! assert!(t.starts_with("eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ."));
//! let claims = token::verify(&t, &key, &VerifyOptions::new(JwtAlg::HS256, 1_700_000_100)).unwrap();
//! assert_eq!((claims.uid, claims.utypid), (5, 3));
//! let late = token::verify(&t, &key, &VerifyOptions::new(JwtAlg::HS256, 1_700_003_600));
//! assert_eq!(late.unwrap_err().reason(), "expired");
//! ```

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use crate::crypto::{self, Hash};
use crate::jsonparse::Object;

/// Longest bearer token accepted (Magento's are ~150 bytes).
pub const MAX_TOKEN_LEN: usize = 8 * 1024;

/// The token of an `Authorization: Bearer <token>` header, the way Magento's token
/// context reads it: exactly two parts separated by one space, scheme `bearer` in any
/// case. Anything else is "no token" (not an error). Surrounding whitespace is
/// ignored, as HTTP servers strip it before PHP sees the header.
pub fn bearer(authorization: &str) -> Option<&str> {
    let value = authorization.trim_matches(|c| c == ' ' || c == '\t');
    let mut parts = value.split(' ');
    let (Some(scheme), Some(token), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    scheme.eq_ignore_ascii_case("bearer").then_some(token)
}

/// What a bearer token looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenShape {
    /// Three base64url parts: a JWT.
    Jwt,
    /// 32 characters of `[0-9a-z]`: a legacy opaque token (or an integration access
    /// token). Only the store's database can validate it: it "needs the origin".
    Opaque,
    /// Neither: Magento would find no user for it.
    Unknown,
}

/// Classify a bearer token by its shape.
pub fn shape(token: &str) -> TokenShape {
    // One pass: three non-empty base64url parts separated by dots.
    let (mut dots, mut part, mut b64url) = (0, 0usize, true);
    for &c in token.as_bytes() {
        if c == b'.' {
            b64url &= part > 0;
            dots += 1;
            part = 0;
        } else {
            b64url &= c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
            part += 1;
        }
    }
    if b64url && dots == 2 && part > 0 {
        TokenShape::Jwt
    } else if token.len() == 32
        && token
            .bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
    {
        TokenShape::Opaque
    } else {
        TokenShape::Unknown
    }
}

/// The HMAC key Magento signs JWTs with.
///
/// HMAC replaces a key longer than the hash's block by its digest, so the 2048-byte
/// Magento key would be hashed on every signature; here it is keyed once per
/// algorithm (padded key blocks included), and each signature hashes only the token.
#[derive(Clone)]
pub struct JwtKey {
    /// The keyed HMAC states for HS256, HS384 and HS512.
    keyed: [crypto::MacKey; 3],
}

impl std::fmt::Debug for JwtKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKey(…)")
    }
}

impl JwtKey {
    /// From `crypt/key` in `app/etc/env.php` (spec §6.3): trimmed, split on
    /// whitespace, the **last** key kept (the newest after rotation), padded with `&`
    /// on both sides to 2048 bytes (left gets the smaller half); keys of 2048 bytes or
    /// more are used as they are.
    pub fn from_crypt_key(crypt_key: &str) -> Result<JwtKey, JwtError> {
        let last = crypt_key
            .split_ascii_whitespace()
            .last()
            .ok_or_else(|| JwtError::Key("crypt/key is empty".into()))?;
        Ok(JwtKey::from_bytes(&pad_key(last.as_bytes())))
    }

    /// Raw HMAC key bytes (for keys configured some other way).
    pub fn from_bytes(bytes: &[u8]) -> JwtKey {
        let keyed = [JwtAlg::HS256, JwtAlg::HS384, JwtAlg::HS512]
            .map(|alg| crypto::MacKey::new(alg.hash(), bytes));
        JwtKey { keyed }
    }

    fn mac(&self, alg: JwtAlg, data: &[u8]) -> Vec<u8> {
        self.keyed[alg as usize].mac(data)
    }
}

/// PHP `str_pad($key, 2048, '&', STR_PAD_BOTH)`: the left side gets the smaller half.
fn pad_key(key: &[u8]) -> Vec<u8> {
    if key.len() >= 2048 {
        return key.to_vec();
    }
    let pad = 2048 - key.len();
    let mut out = Vec::with_capacity(2048);
    out.resize(pad / 2, b'&');
    out.extend_from_slice(key);
    out.resize(2048, b'&');
    out
}

/// `webapi/jwtauth/jwt_alg` (the JWS algorithms; default HS256).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub enum JwtAlg {
    /// HMAC-SHA256 (Magento's default).
    #[default]
    HS256,
    /// HMAC-SHA384.
    HS384,
    /// HMAC-SHA512.
    HS512,
}

impl JwtAlg {
    /// `HS256`, `HS384` or `HS512`.
    pub fn name(self) -> &'static str {
        match self {
            JwtAlg::HS256 => "HS256",
            JwtAlg::HS384 => "HS384",
            JwtAlg::HS512 => "HS512",
        }
    }

    fn hash(self) -> Hash {
        match self {
            JwtAlg::HS256 => Hash::Sha256,
            JwtAlg::HS384 => Hash::Sha384,
            JwtAlg::HS512 => Hash::Sha512,
        }
    }
}

impl std::fmt::Display for JwtAlg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for JwtAlg {
    type Err = JwtError;
    fn from_str(s: &str) -> Result<Self, JwtError> {
        match s {
            "HS256" => Ok(JwtAlg::HS256),
            "HS384" => Ok(JwtAlg::HS384),
            "HS512" => Ok(JwtAlg::HS512),
            _ => Err(JwtError::Key(format!(
                "unsupported JWT algorithm `{s}` (HS256, HS384, HS512)"
            ))),
        }
    }
}

/// The user types Magento issues JWTs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserKind {
    /// `utypid` 2.
    Admin,
    /// `utypid` 3.
    Customer,
}

/// The claims of a Magento user token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Claims {
    /// User id.
    pub uid: u64,
    /// User type: 1 integration, 2 admin, 3 customer.
    pub utypid: u8,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// Not a compact JWS with JSON header and claims (or an odd form: JSON
    /// serialisation, `b64:false`, non-integer claims).
    #[error("malformed token: {0}")]
    Malformed(String),
    /// `alg` is not the configured algorithm (`none` included).
    #[error("algorithm `{found}` is not the configured {expected}")]
    BadAlg {
        /// The token's `alg`.
        found: String,
        /// The configured algorithm.
        expected: &'static str,
    },
    /// The signature does not match.
    #[error("signature mismatch")]
    BadSignature,
    /// `uid`, `utypid`, `iat` or `exp` is absent, null or 0.
    #[error("claim `{0}` is missing or empty")]
    MissingClaim(&'static str),
    /// `exp <= now` (not for integration tokens).
    #[error("token expired at {exp} (now {now})")]
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// The time it was checked at.
        now: i64,
    },
    /// Issued at or before the user's revocation time.
    #[error("token issued at {iat}, revoked for tokens issued up to {revoked_before}")]
    Revoked {
        /// The token's `iat`.
        iat: i64,
        /// `jwt_auth_revoked.revoke_before`.
        revoked_before: i64,
    },
    /// A key or setting problem (not the token's fault).
    #[error("{0}")]
    Key(String),
}

impl JwtError {
    /// `malformed`, `bad_alg`, `bad_signature`, `missing_claim`, `expired`, `revoked`
    /// or `bad_key`.
    pub fn reason(&self) -> &'static str {
        match self {
            JwtError::Malformed(_) => "malformed",
            JwtError::BadAlg { .. } => "bad_alg",
            JwtError::BadSignature => "bad_signature",
            JwtError::MissingClaim(_) => "missing_claim",
            JwtError::Expired { .. } => "expired",
            JwtError::Revoked { .. } => "revoked",
            JwtError::Key(_) => "bad_key",
        }
    }
}

/// Where revocations come from: `jwt_auth_revoked(user_type_id, user_id,
/// revoke_before)`, fed by the store.
pub trait Revocations {
    /// `revoke_before` for the user, if the user's tokens were revoked.
    fn revoked_before(&self, user_type: u8, user_id: u64) -> Option<i64>;
}

/// A short list of `((user_type, user_id), revoke_before)` (what a browser or edge
/// worker usually holds).
impl Revocations for Vec<((u8, u64), i64)> {
    fn revoked_before(&self, user_type: u8, user_id: u64) -> Option<i64> {
        self.iter()
            .find(|(k, _)| *k == (user_type, user_id))
            .map(|(_, v)| *v)
    }
}

impl<S: std::hash::BuildHasher> Revocations for HashMap<(u8, u64), i64, S> {
    fn revoked_before(&self, user_type: u8, user_id: u64) -> Option<i64> {
        self.get(&(user_type, user_id)).copied()
    }
}

/// Revocations in memory: one `revoke_before` per user, as `jwt_auth_revoked` keeps
/// one row per user rewritten with the time of each revocation — of two entries for
/// one user, the later wins.
///
/// ```
/// use mage_policy::token::{RevocationList, Revocations};
/// let mut r = RevocationList::default();
/// r.insert(3, 5, 1_700_000_000);
/// r.insert(3, 5, 1_600_000_000);
/// assert_eq!(r.revoked_before(3, 5), Some(1_700_000_000));
/// assert_eq!(r.revoked_before(2, 5), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevocationList(crate::fasthash::FastMap<(u8, u64), i64>);

impl RevocationList {
    /// Record that `user_type`/`user_id`'s tokens issued up to `revoke_before` are revoked.
    pub fn insert(&mut self, user_type: u8, user_id: u64, revoke_before: i64) {
        let e = self.0.entry((user_type, user_id)).or_insert(revoke_before);
        *e = (*e).max(revoke_before);
    }

    /// How many users have revocations.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Revocations for RevocationList {
    fn revoked_before(&self, user_type: u8, user_id: u64) -> Option<i64> {
        self.0.get(&(user_type, user_id)).copied()
    }
}

/// Magento's default JWT lifetime, minutes (`webapi/jwtauth/*_expiration`).
pub const DEFAULT_TTL_MINUTES: i64 = 60;

/// The lifetime Magento applies for a configured one (`ConfigReader`: ≤ 0 becomes 30).
pub fn effective_ttl_minutes(configured: i64) -> i64 {
    if configured <= 0 {
        30
    } else {
        configured
    }
}

/// `webapi/jwtauth/*_expiration` and the opaque-token lifetimes (spec §6.3–§6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenSettings {
    /// JWT TTL for customers, minutes (default 60; ≤ 0 means 30).
    pub customer_ttl_minutes: i64,
    /// JWT TTL for admins, minutes (default 60; ≤ 0 means 30).
    pub admin_ttl_minutes: i64,
    /// Opaque customer token lifetime, hours (default 1).
    pub opaque_customer_hours: i64,
    /// Opaque admin token lifetime, hours (default 4).
    pub opaque_admin_hours: i64,
}

impl Default for TokenSettings {
    fn default() -> Self {
        TokenSettings {
            customer_ttl_minutes: DEFAULT_TTL_MINUTES,
            admin_ttl_minutes: DEFAULT_TTL_MINUTES,
            opaque_customer_hours: 1,
            opaque_admin_hours: 4,
        }
    }
}

impl TokenSettings {
    /// The TTL Magento applies for `kind`, in minutes (`ConfigReader`: ≤ 0 becomes 30).
    pub fn ttl_minutes(&self, kind: UserKind) -> i64 {
        effective_ttl_minutes(match kind {
            UserKind::Admin => self.admin_ttl_minutes,
            UserKind::Customer => self.customer_ttl_minutes,
        })
    }
}

/// Sign `claims` in Magento's layout: header `{"kid":"1","alg":…}`, claims `uid`,
/// `utypid`, `iat`, `exp` in that order, compact, base64url without padding.
/// Any user type is accepted here (tests and interop); [`issue`] is Magento's issuer.
pub fn encode(key: &JwtKey, alg: JwtAlg, claims: &Claims) -> String {
    let header = format!(r#"{{"kid":"1","alg":"{}"}}"#, alg.name());
    let payload = format!(
        r#"{{"uid":{},"utypid":{},"iat":{},"exp":{}}}"#,
        claims.uid, claims.utypid, claims.iat, claims.exp
    );
    let signing_input = format!(
        "{}.{}",
        crypto::b64url(header.as_bytes()),
        crypto::b64url(payload.as_bytes())
    );
    let sig = key.mac(alg, signing_input.as_bytes());
    format!("{signing_input}.{}", crypto::b64url(&sig))
}

/// Magento's issuer (`JwtUserToken\Model\Issuer`): only admins and customers, id
/// non-zero, `exp = iat + ttl_minutes × 60`.
pub fn issue(
    key: &JwtKey,
    alg: JwtAlg,
    kind: UserKind,
    uid: u64,
    iat: i64,
    ttl_minutes: i64,
) -> Result<String, JwtError> {
    if uid == 0 {
        return Err(JwtError::Key("user id must be non-zero".into()));
    }
    let utypid = match kind {
        UserKind::Admin => 2,
        UserKind::Customer => 3,
    };
    let exp = ttl_minutes
        .checked_mul(60)
        .and_then(|s| iat.checked_add(s))
        .ok_or_else(|| JwtError::Key("expiry out of range".into()))?;
    Ok(encode(
        key,
        alg,
        &Claims {
            uid,
            utypid,
            iat,
            exp,
        },
    ))
}

/// What to verify against.
#[derive(Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The configured algorithm; the token's `alg` must equal it.
    pub alg: JwtAlg,
    /// The current time, Unix seconds.
    pub now: i64,
    /// Revocations, if the store feeds them.
    pub revocations: Option<&'a dyn Revocations>,
}

impl<'a> VerifyOptions<'a> {
    /// Verify with `alg` at `now`, without revocations.
    pub fn new(alg: JwtAlg, now: i64) -> VerifyOptions<'a> {
        VerifyOptions {
            alg,
            now,
            revocations: None,
        }
    }

    /// Consult `revocations` too.
    pub fn revocations(mut self, r: &'a dyn Revocations) -> VerifyOptions<'a> {
        self.revocations = Some(r);
        self
    }
}

struct Parts<'t> {
    signing_input: &'t str,
    /// `None`: the canonical header of the algorithm expected.
    header: Option<Object>,
    claims: Object,
    signature: Vec<u8>,
}

/// The three parts, decoded (`canonical`: a header segment that needs no decoding).
fn split<'t>(token: &'t str, canonical: &str) -> Result<Parts<'t>, JwtError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(JwtError::Malformed(format!(
            "longer than {MAX_TOKEN_LEN} bytes"
        )));
    }
    let mut it = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(JwtError::Malformed(
            "expected three dot-separated parts (compact JWS)".into(),
        ));
    };
    let json = |part: &str, what: &str| -> Result<Object, JwtError> {
        let bytes = crypto::b64url_decode(part)
            .ok_or_else(|| JwtError::Malformed(format!("{what} is not base64url")))?;
        crate::jsonparse::parse_object(&bytes)
            .map_err(|_| JwtError::Malformed(format!("{what} is not a JSON object")))
    };
    let header = if h == canonical {
        None
    } else {
        Some(json(h, "header")?)
    };
    let claims = json(p, "payload")?;
    let signature = crypto::b64url_decode(s)
        .ok_or_else(|| JwtError::Malformed("signature is not base64url".into()))?;
    Ok(Parts {
        signing_input: &token[..h.len() + 1 + p.len()],
        header,
        claims,
        signature,
    })
}

/// A claim as a positive integer: absent, null, false, 0, "" and "0" are "missing" (PHP
/// emptiness, as Magento's reader tests them); strings, floats and booleans otherwise
/// are refused rather than cast.
fn int_claim(claims: &Object, name: &'static str) -> Result<i64, JwtError> {
    match claims.get(name) {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Err(JwtError::MissingClaim(name)),
        Some(Value::String(s)) if s.is_empty() || s == "0" => Err(JwtError::MissingClaim(name)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(0) => Err(JwtError::MissingClaim(name)),
            Some(v) if v > 0 => Ok(v),
            _ => Err(JwtError::Malformed(format!(
                "claim `{name}` must be a positive integer"
            ))),
        },
        Some(_) => Err(JwtError::Malformed(format!(
            "claim `{name}` must be an integer"
        ))),
    }
}

/// Verify a Magento JWT (spec §6.3): compact form only; `alg` must equal the
/// configured algorithm (`none` and others refused, `kid` ignored); constant-time
/// signature check; claims present and non-zero; expired when `exp <= now` except for
/// integration tokens (type 1); revoked when `iat <= revoke_before`.
pub fn verify(token: &str, key: &JwtKey, opts: &VerifyOptions<'_>) -> Result<Claims, JwtError> {
    check_time(verify_signed(token, key, opts.alg)?, opts)
}

/// The header segment Magento's issuer writes for `alg` (`{"kid":"1","alg":…}`): a token
/// that carries exactly it needs no header decoding.
fn canonical_header(alg: JwtAlg) -> &'static str {
    match alg {
        JwtAlg::HS256 => "eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ",
        JwtAlg::HS384 => "eyJraWQiOiIxIiwiYWxnIjoiSFMzODQifQ",
        JwtAlg::HS512 => "eyJraWQiOiIxIiwiYWxnIjoiSFM1MTIifQ",
    }
}

/// Everything about a token that does not depend on the time: form, header, signature,
/// claims. The same bytes always give the same answer here.
fn verify_signed(token: &str, key: &JwtKey, alg: JwtAlg) -> Result<Claims, JwtError> {
    let parts = split(token, canonical_header(alg))?;
    if let Some(header) = &parts.header {
        if header.contains_key("b64") || header.contains_key("crit") {
            return Err(JwtError::Malformed(
                "`b64`/`crit` headers are not used by Magento tokens".into(),
            ));
        }
        let found = match header.get("alg") {
            Some(Value::String(a)) => a.as_str(),
            _ => return Err(JwtError::Malformed("header has no `alg`".into())),
        };
        if found != alg.name() {
            return Err(JwtError::BadAlg {
                found: found.chars().take(32).collect(),
                expected: alg.name(),
            });
        }
    }
    let expected = key.mac(alg, parts.signing_input.as_bytes());
    if !crypto::ct_eq(&expected, &parts.signature) {
        return Err(JwtError::BadSignature);
    }
    let uid = int_claim(&parts.claims, "uid")?;
    let utypid = int_claim(&parts.claims, "utypid")?;
    let iat = int_claim(&parts.claims, "iat")?;
    let exp = int_claim(&parts.claims, "exp")?;
    let utypid =
        u8::try_from(utypid).map_err(|_| JwtError::Malformed("`utypid` out of range".into()))?;
    Ok(Claims {
        uid: uid as u64,
        utypid,
        iat,
        exp,
    })
}

/// Expiry, then revocation: what a verified token's claims mean at `opts.now`.
fn check_time(claims: Claims, opts: &VerifyOptions<'_>) -> Result<Claims, JwtError> {
    // ExpirationValidator: integration tokens never expire.
    if claims.utypid != 1 && claims.exp <= opts.now {
        return Err(JwtError::Expired {
            exp: claims.exp,
            now: opts.now,
        });
    }
    if let Some(before) = opts
        .revocations
        .and_then(|r| r.revoked_before(claims.utypid, claims.uid))
    {
        // RevokedValidator: `<=`, so a token from the revocation second is dead too.
        if claims.iat <= before {
            return Err(JwtError::Revoked {
                iat: claims.iat,
                revoked_before: before,
            });
        }
    }
    Ok(claims)
}

/// Most tokens a [`VerifiedTokens`] keeps.
pub const MAX_VERIFIED_TOKENS: usize = 4096;
/// Most token bytes a [`VerifiedTokens`] keeps.
pub const MAX_VERIFIED_BYTES: usize = 1 << 20;

/// Tokens already verified with one key and algorithm, and their claims.
///
/// An edge sees a customer's token on every call of a session. Everything
/// [`verify`] checks except the time is a function of the token's bytes, the key and
/// the algorithm, so a byte-identical token has the same verdict and the same claims:
/// those are kept for tokens that verified, and expiry and revocation are checked
/// again, against the current time and revocations, on every use. Bounded: past
/// [`MAX_VERIFIED_TOKENS`] tokens or [`MAX_VERIFIED_BYTES`] bytes it starts again.
///
/// ```
/// use mage_policy::token::{self, JwtKey, UserKind, VerifiedTokens, VerifyOptions};
/// let key = JwtKey::from_crypt_key("8f2c1d9e4b7a60315c9e2f4a7d1b3c5e").unwrap();
/// let t = token::issue(&key, Default::default(), UserKind::Customer, 5, 1_700_000_000, 60).unwrap();
/// let mut seen = VerifiedTokens::default();
/// let opts = VerifyOptions::new(Default::default(), 1_700_000_100);
/// assert_eq!(seen.verify(&t, &key, &opts).unwrap().uid, 5);
/// assert_eq!(seen.verify(&t, &key, &opts).unwrap().uid, 5); // from the cache
/// let later = VerifyOptions::new(Default::default(), 1_700_003_600);
/// assert_eq!(seen.verify(&t, &key, &later).unwrap_err().reason(), "expired");
/// ```
#[derive(Debug, Default)]
pub struct VerifiedTokens {
    /// By a hash of the token's tail (the signature: random for genuine tokens, and
    /// only tokens that verified are kept); a hit still compares the whole token.
    claims: crate::fasthash::FastMap<u64, (Box<str>, Claims)>,
    bytes: usize,
}

fn tail_hash(token: &str) -> u64 {
    let b = token.as_bytes();
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ b.len() as u64;
    for &c in &b[b.len().saturating_sub(32)..] {
        h = (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl VerifiedTokens {
    /// The answer for a token verified before (`None`: not seen, or not kept).
    pub fn cached(
        &self,
        token: &str,
        opts: &VerifyOptions<'_>,
    ) -> Option<Result<Claims, JwtError>> {
        match self.claims.get(&tail_hash(token)) {
            Some((t, c)) if **t == *token => Some(check_time(*c, opts)),
            _ => None,
        }
    }

    /// [`verify`], answered from the tokens already verified where possible. The
    /// tokens kept must all have been verified with this `key` and `opts.alg`: keep one
    /// `VerifiedTokens` per key.
    pub fn verify(
        &mut self,
        token: &str,
        key: &JwtKey,
        opts: &VerifyOptions<'_>,
    ) -> Result<Claims, JwtError> {
        if let Some(r) = self.cached(token, opts) {
            return r;
        }
        let claims = verify_signed(token, key, opts.alg)?;
        if self.claims.len() >= MAX_VERIFIED_TOKENS || self.bytes + token.len() > MAX_VERIFIED_BYTES
        {
            self.claims.clear();
            self.bytes = 0;
        }
        self.bytes += token.len();
        self.claims.insert(tail_hash(token), (token.into(), claims));
        check_time(claims, opts)
    }

    /// How many tokens are kept.
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }
}

/// A token read without a key. **Not verified**: anyone can write these fields. Use
/// it to show a browser user when their session ends, never to decide access.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unverified {
    /// The protected header.
    pub header: Value,
    /// The claims.
    pub claims: Value,
    /// `uid`, if it is an integer.
    pub uid: Option<u64>,
    /// `utypid`, if it is an integer.
    pub utypid: Option<u64>,
    /// `iat`, if it is an integer.
    pub iat: Option<i64>,
    /// `exp`, if it is an integer.
    pub exp: Option<i64>,
    /// `exp - now`, when `now` was given (negative once expired).
    pub seconds_left: Option<i64>,
}

/// Read a JWT's header and claims without verifying anything.
pub fn decode(token: &str, now: Option<i64>) -> Result<Unverified, JwtError> {
    let parts = split(token, "")?;
    let get = |k: &str| parts.claims.get(k).and_then(Value::as_i64);
    let exp = get("exp");
    Ok(Unverified {
        uid: parts.claims.get("uid").and_then(Value::as_u64),
        utypid: parts.claims.get("utypid").and_then(Value::as_u64),
        iat: get("iat"),
        exp,
        seconds_left: match (exp, now) {
            (Some(e), Some(n)) => Some(e - n),
            _ => None,
        },
        header: Value::Object(parts.header.map(Object::into_map).unwrap_or_default()),
        claims: Value::Object(parts.claims.into_map()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_header_parsing_matches_token_user_context() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bEaReR abc"), Some("abc"));
        assert_eq!(bearer("  Bearer abc "), Some("abc"));
        assert_eq!(bearer("Bearer  abc"), None); // three parts
        assert_eq!(bearer("Bearer abc def"), None);
        assert_eq!(bearer("Bearer"), None);
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("OAuth oauth_token=\"x\""), None);
    }

    #[test]
    fn shapes() {
        assert_eq!(
            shape("abcdefghijklmnopqrstuvwxyz012345"),
            TokenShape::Opaque
        );
        assert_eq!(
            shape("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"),
            TokenShape::Unknown
        );
        assert_eq!(shape("a.b.c"), TokenShape::Jwt);
        assert_eq!(shape("a.b"), TokenShape::Unknown);
    }

    #[test]
    fn key_padding_gives_the_left_side_the_smaller_half() {
        let raw = pad_key(b"abc");
        assert_eq!(raw.len(), 2048);
        assert_eq!(&raw[1021..1025], b"&abc");
        assert_eq!(raw[1025], b'&');
        assert_eq!(raw.iter().filter(|&&c| c == b'&').count(), 2045);
        assert_eq!(raw[..1022].iter().filter(|&&c| c == b'&').count(), 1022);
        assert_eq!(pad_key(&[b'x'; 3000]).len(), 3000);
        // The keyed-once states sign exactly like the raw key, for every algorithm.
        let k = JwtKey::from_crypt_key("abc").unwrap();
        for alg in [JwtAlg::HS256, JwtAlg::HS384, JwtAlg::HS512] {
            assert_eq!(
                k.mac(alg, b"m"),
                crate::crypto::hmac(alg.hash(), &raw, b"m")
            );
            assert_eq!(k.mac(alg, b"m"), k.mac(alg, b"m")); // the state is not consumed
        }
        assert!(JwtKey::from_crypt_key(" \n ").is_err());
    }

    #[test]
    fn ttl_settings_turn_nonpositive_into_30() {
        let s = TokenSettings {
            customer_ttl_minutes: 0,
            admin_ttl_minutes: -5,
            ..TokenSettings::default()
        };
        assert_eq!(s.ttl_minutes(UserKind::Customer), 30);
        assert_eq!(s.ttl_minutes(UserKind::Admin), 30);
        assert_eq!(TokenSettings::default().ttl_minutes(UserKind::Admin), 60);
    }
}
