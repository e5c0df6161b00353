//! `mage-policy jwt …` and `mage-policy oauth …`: credentials from the command line.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use mage_policy::boundary::credentials::{self, Jwt};
use mage_policy::oauth::{
    self, ClientCredentials, MemoryCredentials, MemoryNonces, OAuthError, Profile, SignOptions,
    SignatureMethod, SignedRequest, VerifyOptions,
};
use mage_policy::token::{JwtAlg, RevocationList, DEFAULT_TTL_MINUTES};
use serde::Deserialize;
use serde_json::json;

use crate::{lines, Fail};

#[derive(Subcommand)]
pub enum JwtCommand {
    /// Issue a Magento user token (prints it).
    Issue {
        /// `crypt/key` from app/etc/env.php (the last whitespace-separated key is used).
        #[arg(long)]
        crypt_key: String,
        /// User id.
        #[arg(long)]
        uid: u64,
        /// User type.
        #[arg(long = "type", value_enum)]
        kind: Kind,
        /// Issue time, Unix seconds.
        #[arg(long)]
        iat: i64,
        /// Lifetime in minutes (≤ 0 means 30, as in Magento).
        #[arg(long, default_value_t = DEFAULT_TTL_MINUTES)]
        ttl_minutes: i64,
        /// Algorithm.
        #[arg(long, default_value_t = JwtAlg::default())]
        alg: JwtAlg,
    },
    /// Verify tokens read one per line; one JSON line out per token.
    Verify {
        #[arg(long)]
        crypt_key: String,
        #[arg(long, default_value_t = JwtAlg::default())]
        alg: JwtAlg,
        /// Current time, Unix seconds.
        #[arg(long)]
        now: i64,
        /// A revocation: TYPE:ID:REVOKE_BEFORE (TYPE = customer|admin|integration or 1–3).
        #[arg(long)]
        revoked: Vec<String>,
    },
    /// Decode tokens without verifying them (header and claims, unverified).
    Decode {
        /// Current time, to report the seconds left.
        #[arg(long)]
        now: Option<i64>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Customer,
    Admin,
    Integration,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Customer => "customer",
            Kind::Admin => "admin",
            Kind::Integration => "integration",
        }
    }
}

#[derive(Subcommand)]
pub enum OAuthCommand {
    /// Sign request lines `{"method","url","body","contentType"}`.
    Sign(SignArgs),
    /// Verify request lines `{"method","url","headers":{…},"body","contentType"}`.
    Verify {
        #[arg(long, default_value_t = Profile::default())]
        profile: Profile,
        /// Consumers and tokens (JSON, see the README).
        #[arg(long)]
        consumers: PathBuf,
        /// Current time, Unix seconds.
        #[arg(long)]
        now: i64,
    },
    /// Print the base string the verifier computes for request lines (as for verify).
    BaseString {
        #[arg(long, default_value_t = Profile::default())]
        profile: Profile,
    },
}

#[derive(Args)]
pub struct SignArgs {
    #[arg(long, default_value_t = Profile::default())]
    profile: Profile,
    #[arg(long)]
    consumer_key: String,
    #[arg(long)]
    consumer_secret: String,
    #[arg(long)]
    token: Option<String>,
    #[arg(long)]
    token_secret: Option<String>,
    /// HMAC-SHA256, HMAC-SHA1, HMAC-SHA512 or PLAINTEXT (the last three: rfc5849 only).
    #[arg(long, default_value = "HMAC-SHA256")]
    method: String,
    /// Fixed nonce (default: 32 random characters of [0-9a-z]).
    #[arg(long)]
    nonce: Option<String>,
    /// Fixed timestamp (default: now).
    #[arg(long)]
    timestamp: Option<u64>,
    #[arg(long)]
    realm: Option<String>,
    /// Further protocol parameters, e.g. oauth_callback=https://…
    #[arg(long = "param")]
    params: Vec<String>,
    /// Do not send oauth_version=1.0.
    #[arg(long)]
    no_version: bool,
}

pub fn jwt(cmd: &JwtCommand) -> Result<bool, Fail> {
    let mut jwt = Jwt::default();
    match cmd {
        JwtCommand::Issue {
            crypt_key,
            uid,
            kind,
            iat,
            ttl_minutes,
            alg,
        } => {
            let alg = *alg;
            let t = jwt.issue(crypt_key, alg, kind.name(), *uid, *iat, Some(*ttl_minutes))?;
            println!("{t}");
            Ok(true)
        }
        JwtCommand::Verify {
            crypt_key,
            alg,
            now,
            revoked,
        } => {
            let alg = *alg;
            let mut list = RevocationList::default();
            for r in revoked {
                let parts: Vec<&str> = r.split(':').collect();
                let [t, id, before] = parts.as_slice() else {
                    return Err(Fail(format!(
                        "--revoked {r}: expected TYPE:ID:REVOKE_BEFORE"
                    )));
                };
                list.insert(credentials::user_type(t)?, id.parse()?, before.parse()?);
            }
            // The key is derived before the first line: a bad key is a usage error.
            jwt.prepare(crypt_key)?;
            lines::each(|_, t| {
                let r = jwt
                    .verify(t, crypt_key, alg, *now, &list)
                    .map_err(|e| e.to_string())?;
                Ok(credentials::jwt_verified(&r))
            })
        }
        JwtCommand::Decode { now } => {
            lines::each(|_, t| credentials::jwt_decoded(t, *now).map_err(|e| e.to_string()))
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RequestLine {
    method: String,
    url: String,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
}

impl RequestLine {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn signed(&self) -> SignedRequest<'_> {
        SignedRequest {
            method: &self.method,
            url: &self.url,
            content_type: self
                .content_type
                .as_deref()
                .or_else(|| self.header("Content-Type")),
            body: self.body.as_deref(),
        }
    }
}

fn parse_line(line: &str) -> Result<RequestLine, String> {
    serde_json::from_str(line).map_err(|e| e.to_string())
}

pub fn oauth(cmd: &OAuthCommand) -> Result<bool, Fail> {
    match cmd {
        OAuthCommand::Sign(a) => {
            let profile = a.profile;
            let method = SignatureMethod::parse(&a.method)
                .ok_or_else(|| Fail(format!("unknown --method {}", a.method)))?;
            let creds = ClientCredentials {
                consumer_key: a.consumer_key.clone(),
                consumer_secret: a.consumer_secret.clone(),
                token: a.token.clone(),
                token_secret: a.token_secret.clone(),
            };
            let mut extra = Vec::new();
            for p in &a.params {
                let (k, v) = p
                    .split_once('=')
                    .ok_or_else(|| Fail(format!("--param {p}: expected NAME=VALUE")))?;
                extra.push((k.to_string(), v.to_string()));
            }
            lines::each(|_, line| {
                let r = parse_line(line)?;
                let timestamp = a.timestamp.unwrap_or_else(|| {
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs())
                        .unwrap_or(0)
                });
                let opts = SignOptions {
                    profile,
                    method,
                    timestamp,
                    nonce: a.nonce.clone(),
                    realm: a.realm.clone(),
                    extra: extra.clone(),
                    version: !a.no_version,
                };
                let s = oauth::sign(&r.signed(), &creds, &opts).map_err(|e| e.to_string())?;
                Ok(credentials::oauth_signed(&s))
            })
        }
        OAuthCommand::Verify {
            profile,
            consumers,
            now,
        } => {
            let profile = *profile;
            let text = std::fs::read_to_string(consumers)
                .map_err(|e| Fail(format!("cannot read {}: {e}", consumers.display())))?;
            let store = MemoryCredentials::from_json(&text).map_err(Fail)?;
            let mut nonces = MemoryNonces::default();
            lines::each(|_, line| {
                let r = parse_line(line)?;
                let opts = VerifyOptions::new(profile, *now);
                Ok(
                    match oauth::verify(
                        &r.signed(),
                        r.header("Authorization"),
                        &store,
                        &mut nonces,
                        &opts,
                    ) {
                        Ok(Some(v)) => credentials::oauth_verified(&v),
                        Ok(None) => credentials::oauth_refused(&OAuthError::NotOAuth),
                        Err(e) => credentials::oauth_refused(&e),
                    },
                )
            })
        }
        OAuthCommand::BaseString { profile } => {
            let profile = *profile;
            lines::each(|_, line| {
                let r = parse_line(line)?;
                let header = r
                    .header("Authorization")
                    .ok_or("the request line has no Authorization header")?;
                let params: Vec<(String, String)> = header
                    .split_once(' ')
                    .map(|(_, rest)| rest)
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|p| p.trim().split_once('='))
                    .filter(|(k, _)| k.starts_with("oauth_") && *k != "oauth_signature")
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            mage_policy::php::rawurldecode(v.trim_matches('"')).into_owned(),
                        )
                    })
                    .collect();
                let base =
                    oauth::base_string(profile, &r.signed(), &params).map_err(|e| e.to_string())?;
                Ok(json!({"profile": profile.name(), "baseString": base}).to_string())
            })
        }
    }
}
