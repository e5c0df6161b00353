//! Who is calling: Magento's REST user-context chain (spec §3.2, §8) — bearer token,
//! then the storefront session (XHR only), then OAuth, then guest.
//!
//! Failure rules follow Magento: a bad bearer token silently falls through; a
//! request that carries OAuth parameters but fails verification is an error with
//! Magento's status and body; a valid signature from an inactive integration is a
//! guest.

use std::cell::RefCell;

use serde::Serialize;

use crate::acl::Role;
use crate::oauth::{self, CredentialStore, NonceStore, OAuthError, Profile, SignedRequest};
use crate::principal::Principal;
use crate::token::{self, JwtAlg, JwtKey, Revocations, TokenShape, VerifiedTokens};

/// An HTTP request as the identity chain and the pipeline see it.
#[derive(Debug, Clone)]
pub struct HttpRequest<'a> {
    /// Method, any case.
    pub method: &'a str,
    /// Absolute URL as received: scheme, Host header, request URI (path and query).
    pub url: &'a str,
    /// Headers (names compare case-insensitively; the first of duplicates wins).
    pub headers: Vec<(&'a str, &'a str)>,
    /// Body, if any.
    pub body: Option<&'a str>,
}

impl<'a> HttpRequest<'a> {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// A cookie's value from the `Cookie` header(s).
    pub fn cookie(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("cookie"))
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// Path and query of the URL (`/rest/V1/…?…`), what routing sees.
    pub fn path(&self) -> &'a str {
        let after_scheme = self.url.split_once("://").map_or(self.url, |(_, r)| r);
        match after_scheme.find('/') {
            Some(i) => &after_scheme[i..],
            None => "/",
        }
    }

    /// HTTPS as Magento detects it: the URL's scheme, or the offloader header
    /// (`web/secure/offloader_header`, default `X-Forwarded-Proto`) equal to `https`.
    pub fn is_https(&self, offloader_header: &str) -> bool {
        self.url.len() >= 8 && self.url[..8].eq_ignore_ascii_case("https://")
            || self.header(offloader_header) == Some("https")
    }
}

/// A storefront session's customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionCustomer {
    /// Customer id.
    pub id: u64,
    /// The customer's website.
    pub website_id: u32,
    /// Recognised only through the persistent cart cookie.
    pub emulated: bool,
}

/// Resolves a session cookie to its logged-in customer (the store's session storage).
pub trait SessionLookup {
    /// The customer of session `session_id`, or `None` when nobody is logged in.
    fn customer(&self, session_id: &str) -> Option<SessionCustomer>;
}

/// Account data the chain needs but tokens do not carry.
pub trait Accounts {
    /// The customer's website (for `self`). Default: unknown.
    fn customer_website(&self, _customer_id: u64) -> Option<u32> {
        None
    }
    /// The admin user's role. Default: none (no role row).
    fn admin_role(&self, _admin_id: u64) -> Option<Role> {
        None
    }
    /// The integration's permissions. Default: none.
    fn integration_role(&self, _integration_id: u64) -> Option<Role> {
        None
    }
}

/// JWT verification settings.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct JwtSource<'s> {
    /// The key (from `crypt/key`).
    pub key: &'s JwtKey,
    /// `webapi/jwtauth/jwt_alg`.
    pub alg: JwtAlg,
    /// Revocations fed by the store, if any.
    pub revocations: Option<&'s dyn Revocations>,
    /// Tokens already verified with this key (see [`VerifiedTokens`]).
    pub verified: Option<&'s RefCell<VerifiedTokens>>,
}

impl<'s> JwtSource<'s> {
    /// Verify with `key` and `alg`, no revocations, no cache.
    pub fn new(key: &'s JwtKey, alg: JwtAlg) -> JwtSource<'s> {
        JwtSource {
            key,
            alg,
            revocations: None,
            verified: None,
        }
    }

    /// Consult `revocations` too.
    pub fn revocations(mut self, revocations: &'s dyn Revocations) -> JwtSource<'s> {
        self.revocations = Some(revocations);
        self
    }

    /// Remember verified tokens in `cache` (one cache per key).
    pub fn verified(mut self, cache: &'s RefCell<VerifiedTokens>) -> JwtSource<'s> {
        self.verified = Some(cache);
        self
    }
}

/// OAuth verification settings.
pub struct OAuthSource<'s> {
    /// Base-string profile of the store's Magento version.
    pub profile: Profile,
    /// Consumers and tokens.
    pub credentials: &'s dyn CredentialStore,
    /// Where nonces are remembered.
    pub nonces: &'s mut dyn NonceStore,
}

/// Everything the chain may consult. Absent sources are skipped.
pub struct Sources<'s> {
    /// Current time, Unix seconds.
    pub now: i64,
    /// Bearer JWTs.
    pub jwt: Option<JwtSource<'s>>,
    /// Storefront sessions.
    pub session: Option<&'s dyn SessionLookup>,
    /// The session cookie's name (default `PHPSESSID`).
    pub session_cookie: &'s str,
    /// OAuth-signed integration calls.
    pub oauth: Option<OAuthSource<'s>>,
    /// Websites of customers, roles of admins and integrations.
    pub accounts: Option<&'s dyn Accounts>,
    /// `web/secure/offloader_header` (default `X-Forwarded-Proto`).
    pub offloader_header: &'s str,
}

impl<'s> Sources<'s> {
    /// No sources at all: every caller is a guest.
    pub fn new(now: i64) -> Sources<'s> {
        Sources {
            now,
            jwt: None,
            session: None,
            session_cookie: "PHPSESSID",
            oauth: None,
            accounts: None,
            offloader_header: "X-Forwarded-Proto",
        }
    }
}

/// Which context identified the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// `Authorization: Bearer` (sortOrder 10).
    Bearer,
    /// Storefront session with `X-Requested-With: XMLHttpRequest` (20).
    Session,
    /// OAuth 1.0a signature (40).
    OAuth,
    /// Nothing else matched (100).
    Guest,
}

impl Via {
    /// `bearer`, `session`, `oauth` or `guest`.
    pub fn name(self) -> &'static str {
        match self {
            Via::Bearer => "bearer",
            Via::Session => "session",
            Via::OAuth => "oauth",
            Via::Guest => "guest",
        }
    }
}

/// The caller, how it was found, and what was passed over on the way.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The principal.
    pub principal: Principal,
    /// The context that produced it.
    pub via: Via,
    /// Credentials that were present but not used, and why (e.g. an expired token).
    pub notes: Vec<String>,
    /// A credential only the store can check was present (an opaque bearer token,
    /// or an OAuth request without local OAuth data): the store may identify the
    /// caller differently, so an edge should forward rather than refuse.
    pub needs_origin: bool,
}

fn principal_for(
    utypid: u8,
    uid: u64,
    accounts: Option<&dyn Accounts>,
    default_website: u32,
) -> Option<Principal> {
    Some(match utypid {
        1 => Principal::Integration {
            id: uid,
            role: accounts.and_then(|a| a.integration_role(uid)),
        },
        2 => Principal::Admin {
            id: uid,
            role: accounts.and_then(|a| a.admin_role(uid)),
        },
        3 => Principal::Customer {
            id: uid,
            website_id: accounts
                .and_then(|a| a.customer_website(uid))
                .unwrap_or(default_website),
            emulated: false,
        },
        _ => return None,
    })
}

/// Run the chain. `default_website` is used for token customers whose website the
/// [`Accounts`] source does not know (the default store's website).
pub fn identify(
    req: &HttpRequest<'_>,
    sources: &mut Sources<'_>,
    default_website: u32,
) -> Result<Identity, OAuthError> {
    let mut notes = Vec::new();
    let mut needs_origin = false;
    let authorization = req.header("Authorization");
    let accounts = sources.accounts;

    // 10: TokenUserContext — any problem means "no token", never an error.
    if let Some(tok) = authorization.and_then(token::bearer) {
        let now = sources.now;
        fn opts<'s>(j: &JwtSource<'s>, now: i64) -> token::VerifyOptions<'s> {
            token::VerifyOptions {
                alg: j.alg,
                now,
                revocations: j.revocations,
            }
        }
        // A token verified before is a JWT: no need to look at its shape again.
        let seen = sources.jwt.as_ref().and_then(|j| {
            j.verified
                .and_then(|cache| cache.borrow().cached(tok, &opts(j, now)))
        });
        let shape = if seen.is_some() {
            TokenShape::Jwt
        } else {
            token::shape(tok)
        };
        match shape {
            TokenShape::Jwt => match &sources.jwt {
                Some(j) => {
                    let verified = match (seen, j.verified) {
                        (Some(r), _) => r,
                        (None, Some(cache)) => cache.borrow_mut().verify(tok, j.key, &opts(j, now)),
                        (None, None) => token::verify(tok, j.key, &opts(j, now)),
                    };
                    match verified {
                        Ok(c) => match principal_for(c.utypid, c.uid, accounts, default_website) {
                            Some(principal) => {
                                return Ok(Identity {
                                    principal,
                                    via: Via::Bearer,
                                    notes,
                                    needs_origin,
                                });
                            }
                            None => notes
                                .push(format!("bearer token has user type {}: ignored", c.utypid)),
                        },
                        Err(e) => notes.push(format!("bearer token refused ({}): {e}", e.reason())),
                    }
                }
                None => {
                    notes.push("bearer JWT present but no JWT key configured".into());
                    needs_origin = true;
                }
            },
            TokenShape::Opaque => {
                notes.push("opaque bearer token: only the store can validate it".into());
                needs_origin = true;
            }
            TokenShape::Unknown => notes.push("bearer token of unknown shape: ignored".into()),
        }
    }

    // 20: CustomerSessionUserContext — only with the exact XHR header.
    if let Some(lookup) = sources.session {
        if let Some(sid) = req.cookie(sources.session_cookie) {
            if req.header("X-Requested-With") == Some("XMLHttpRequest") {
                if let Some(c) = lookup.customer(sid) {
                    let principal = Principal::Customer {
                        id: c.id,
                        website_id: c.website_id,
                        emulated: c.emulated,
                    };
                    return Ok(Identity {
                        principal,
                        via: Via::Session,
                        notes,
                        needs_origin,
                    });
                }
            } else {
                notes.push(
                    "session cookie without X-Requested-With: XMLHttpRequest: not used".into(),
                );
            }
        }
    }

    // 40: OauthUserContext — a failing OAuth request is an error.
    if let Some(header) = authorization {
        match sources.oauth.as_mut() {
            Some(o) => {
                let signed = SignedRequest {
                    method: req.method,
                    url: req.url,
                    content_type: req.header("Content-Type"),
                    body: req.body,
                };
                let opts = oauth::VerifyOptions::new(o.profile, sources.now);
                if let Some(v) =
                    oauth::verify(&signed, Some(header), o.credentials, &mut *o.nonces, &opts)?
                {
                    match v.integration_id() {
                        Some(id) => {
                            let principal = Principal::Integration {
                                id,
                                role: accounts.and_then(|a| a.integration_role(id)),
                            };
                            return Ok(Identity {
                                principal,
                                via: Via::OAuth,
                                notes,
                                needs_origin,
                            });
                        }
                        None => notes.push(
                            "valid OAuth signature, but the integration is not active: guest"
                                .into(),
                        ),
                    }
                }
            }
            None => {
                if header.to_ascii_lowercase().contains("oauth ") {
                    notes.push("OAuth request but no OAuth credentials configured".into());
                    needs_origin = true;
                }
            }
        }
    }

    Ok(Identity {
        principal: Principal::Guest,
        via: Via::Guest,
        notes,
        needs_origin,
    })
}
