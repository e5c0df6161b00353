//! JWT and OAuth on the front ends: the inputs they take and the JSON they answer.
//!
//! * JWT verified: `{"valid":true,"uid":5,"utypid":3,"iat":…,"exp":…}` or
//!   `{"valid":false,"reason":"expired","message":"…"}` (reasons: `malformed`,
//!   `bad_alg`, `bad_signature`, `missing_claim`, `expired`, `revoked`, `bad_key`).
//! * JWT decoded: `{"header","claims","uid","utypid","iat","exp","secondsLeft"}`.
//! * OAuth signed: `{"authorization","baseString","signature","nonce","timestamp"}`.
//! * OAuth verified: `{"valid":true,"consumerKey","token","integration"}` or
//!   `{"valid":false,"status","message","body"}` (Magento's status, message and body).

use serde::Serialize;
use serde_json::json;

use super::input::InputError;
use super::keys::KeyCache;
use super::Failure;
use crate::oauth::{
    self, ClientCredentials, MemoryCredentials, MemoryNonces, OAuthError, Profile, SignOptions,
    SignatureMethod, Signed, SignedRequest, Signer, Verified, VerifyOptions,
};
use crate::token::{self, Claims, JwtAlg, JwtError, RevocationList, UserKind};

/// `customer`, `admin` or `integration` (or their type ids 3, 2, 1) → Magento's user
/// type id.
pub fn user_type(s: &str) -> Result<u8, InputError> {
    Ok(match s {
        "integration" | "1" => 1,
        "admin" | "2" => 2,
        "customer" | "3" => 3,
        other => {
            return Err(InputError::new(
                "type",
                format!(
                    "`{}` is not customer, admin or integration",
                    other.chars().take(32).collect::<String>()
                ),
            ))
        }
    })
}

/// JWTs for the JS layer and the command line: keys derived once per `crypt/key`.
#[derive(Debug, Default)]
pub struct Jwt {
    keys: KeyCache,
}

impl Jwt {
    /// Issue a token in Magento's layout for `kind` (`customer`, `admin`, or
    /// `integration`, which Magento's issuer refuses but its reader accepts: for
    /// tests). `ttl_minutes`: `None` for Magento's default, ≤ 0 means 30.
    pub fn issue(
        &mut self,
        crypt_key: &str,
        alg: JwtAlg,
        kind: &str,
        uid: u64,
        iat: i64,
        ttl_minutes: Option<i64>,
    ) -> Result<String, Failure> {
        let key = self.keys.get(crypt_key)?;
        let ttl = token::effective_ttl_minutes(ttl_minutes.unwrap_or(token::DEFAULT_TTL_MINUTES));
        Ok(match user_type(kind)? {
            3 => token::issue(&key, alg, UserKind::Customer, uid, iat, ttl)?,
            2 => token::issue(&key, alg, UserKind::Admin, uid, iat, ttl)?,
            _ => {
                if uid == 0 {
                    return Err(JwtError::Key("user id must be non-zero".into()).into());
                }
                let exp = ttl
                    .checked_mul(60)
                    .and_then(|s| iat.checked_add(s))
                    .ok_or_else(|| JwtError::Key("expiry out of range".into()))?;
                token::encode(
                    &key,
                    alg,
                    &Claims {
                        uid,
                        utypid: 1,
                        iat,
                        exp,
                    },
                )
            }
        })
    }

    /// Derive (and keep) the key of `crypt_key`: a bad key is reported before any token.
    pub fn prepare(&mut self, crypt_key: &str) -> Result<(), Failure> {
        self.keys.get(crypt_key)?;
        Ok(())
    }

    /// Verify a token at `now` against the revocations given.
    pub fn verify(
        &mut self,
        token: &str,
        crypt_key: &str,
        alg: JwtAlg,
        now: i64,
        revoked: &RevocationList,
    ) -> Result<Result<Claims, JwtError>, Failure> {
        let key = self.keys.get(crypt_key)?;
        let mut opts = token::VerifyOptions::new(alg, now);
        if !revoked.is_empty() {
            opts = opts.revocations(revoked);
        }
        Ok(token::verify(token, &key, &opts))
    }
}

/// Revocations from `[{userType, id, before}, …]` JSON text (`""`: none).
pub fn revocations(text: &str) -> Result<RevocationList, InputError> {
    let mut map = RevocationList::default();
    if text.is_empty() {
        return Ok(map);
    }
    match super::input::parse(text, "revoked")? {
        serde_json::Value::Array(list) => {
            for r in &list {
                super::gateway::revocation(r, &mut map)?;
            }
            Ok(map)
        }
        _ => Err(InputError::new("revoked", "must be an array")),
    }
}

/// A verification result as JSON.
pub fn jwt_verified(r: &Result<Claims, JwtError>) -> String {
    match r {
        Ok(c) => {
            json!({"valid": true, "uid": c.uid, "utypid": c.utypid, "iat": c.iat, "exp": c.exp})
        }
        Err(e) => json!({"valid": false, "reason": e.reason(), "message": e.to_string()}),
    }
    .to_string()
}

/// A verification result in the JS layer's compact form (this is a hot path, where
/// JSON would cost more than the check): `1 uid utypid iat exp` or `0 reason message`.
pub fn jwt_verified_compact(r: &Result<Claims, JwtError>) -> String {
    match r {
        Ok(c) => {
            let mut b = itoa::Buffer::new();
            let mut out = String::with_capacity(48);
            out.push_str("1 ");
            out.push_str(b.format(c.uid));
            out.push(' ');
            out.push_str(b.format(c.utypid));
            out.push(' ');
            out.push_str(b.format(c.iat));
            out.push(' ');
            out.push_str(b.format(c.exp));
            out
        }
        Err(e) => ["0 ", e.reason(), " ", &e.to_string()].concat(),
    }
}

/// A token read without verifying it, as JSON (`now`: for `secondsLeft`).
pub fn jwt_decoded(token: &str, now: Option<i64>) -> Result<String, Failure> {
    Ok(serde_json::to_string(&token::decode(token, now)?).unwrap_or_default())
}

/// A signature as JSON.
pub fn oauth_signed(s: &Signed) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifiedOut<'a> {
    valid: bool,
    consumer_key: &'a str,
    token: &'a str,
    integration: Option<u64>,
}

/// A verified OAuth request as JSON.
pub fn oauth_verified(v: &Verified) -> String {
    serde_json::to_string(&VerifiedOut {
        valid: true,
        consumer_key: &v.consumer.key,
        token: &v.token.token,
        integration: v.integration_id(),
    })
    .unwrap_or_default()
}

/// A refused OAuth request as JSON (the command line's `oauth verify` line).
pub fn oauth_refused(e: &OAuthError) -> String {
    json!({"valid": false, "status": e.status(), "code": e.code(), "message": e.to_string(), "body": e.rest_body()})
        .to_string()
}

/// A verifier with its own nonce memory (the JS layer's `oauth.Verifier`, the command
/// line's `oauth verify`).
#[derive(Debug)]
pub struct Verifier {
    profile: Profile,
    store: MemoryCredentials,
    nonces: MemoryNonces,
}

impl Verifier {
    /// A verifier for `profile` (`None`: Magento 2.4.7's) over `credentials` (the JSON
    /// file format of `oauth verify --consumers`).
    pub fn new(profile: Option<&str>, credentials: &str) -> Result<Verifier, Failure> {
        Ok(Verifier {
            profile: match profile {
                None | Some("") => Profile::default(),
                Some(p) => p.parse()?,
            },
            store: MemoryCredentials::from_json(credentials)
                .map_err(|e| InputError::new("credentials", e))?,
            nonces: MemoryNonces::default(),
        })
    }

    /// Verify one request at `now`: Magento's checks in Magento's order.
    pub fn verify(
        &mut self,
        req: &SignedRequest<'_>,
        authorization: Option<&str>,
        now: i64,
    ) -> Result<Verified, OAuthError> {
        let opts = VerifyOptions::new(self.profile, now);
        oauth::verify(req, authorization, &self.store, &mut self.nonces, &opts)?
            .ok_or(OAuthError::NotOAuth)
    }
}

/// Sign with a prepared signer from positional arguments (the JS layer's hot path):
/// empty `content_type` is none, `params` is `name=value` lines. The answer is
/// `authorization \n baseString \n signature \n nonce` (the nonce last: a chosen nonce
/// may contain anything).
#[allow(clippy::too_many_arguments)] // positional on purpose: no JSON on the hot path
pub fn sign_compact(
    signer: &Signer,
    method: &str,
    url: &str,
    content_type: &str,
    body: Option<&str>,
    timestamp: f64,
    nonce: Option<String>,
    realm: Option<String>,
    params: &str,
    version: bool,
) -> Result<String, Failure> {
    if !(timestamp.is_finite() && timestamp >= 0.0) {
        return Err(InputError::new("options", "`timestamp` must be a non-negative number").into());
    }
    let extra = params
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| InputError::new("params", "expected name=value pairs"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let opts = SignOptions {
        profile: signer.profile(),
        method: signer.method(),
        timestamp: timestamp as u64,
        nonce,
        realm,
        extra,
        version,
    };
    let req = SignedRequest {
        method,
        url,
        content_type: (!content_type.is_empty()).then_some(content_type),
        body,
    };
    let s = signer.sign(&req, &opts)?;
    Ok([s.authorization, s.base_string, s.signature, s.nonce].join("\n"))
}

/// A signer for positional arguments: empty `profile` / `method` mean the defaults
/// (magento-2.4.7, HMAC-SHA256).
pub fn signer(
    consumer_key: String,
    consumer_secret: String,
    token: Option<String>,
    token_secret: Option<String>,
    profile: &str,
    method: &str,
) -> Result<Signer, Failure> {
    let profile: Profile = if profile.is_empty() {
        Profile::default()
    } else {
        profile.parse()?
    };
    let method = match method {
        "" => SignatureMethod::default(),
        m => SignatureMethod::parse(m).ok_or_else(|| {
            InputError::new(
                "signatureMethod",
                format!(
                    "unknown method `{}`",
                    m.chars().take(32).collect::<String>()
                ),
            )
        })?,
    };
    let creds = ClientCredentials {
        consumer_key,
        consumer_secret,
        token,
        token_secret,
    };
    Ok(Signer::new(&creds, profile, method)?)
}

/// The base string `profile` computes for a request (`{method, url, body?,
/// contentType?}` JSON) and its protocol parameters (`[[name, value], …]` JSON).
pub fn base_string(profile: &str, request: &str, protocol: &str) -> Result<String, Failure> {
    let rv = super::input::parse(request, "request")?;
    let r = super::input::obj(&rv, "request")?;
    r.only(&["method", "url", "body", "contentType"])?;
    let pv = super::input::parse(protocol, "protocol parameters")?;
    let params: Vec<(String, String)> = match &pv {
        serde_json::Value::Array(list) => list
            .iter()
            .map(|p| match p.as_array().map(Vec::as_slice) {
                Some([serde_json::Value::String(k), serde_json::Value::String(v)]) => {
                    Ok((k.clone(), v.clone()))
                }
                _ => Err(InputError::new(
                    "protocol parameters",
                    "expected [name, value] string pairs",
                )),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(InputError::new("protocol parameters", "expected an array").into()),
    };
    let profile: Profile = profile.parse()?;
    let req = SignedRequest {
        method: r.req_str("method")?,
        url: r.req_str("url")?,
        content_type: r.str("contentType")?,
        body: r.str("body")?,
    };
    Ok(oauth::base_string(profile, &req, &params)?)
}
