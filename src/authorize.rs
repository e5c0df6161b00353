//! The request pipeline for an edge: route, identify (only when needed), decide, and
//! force parameters — Magento's answer for a whole HTTP request, routed once.
//!
//! ```
//! use mage_policy::{identity::{HttpRequest, Sources}, forced::Placeholders, Policy};
//! let policy = Policy::builder()
//!     .webapi("w.xml", r#"<routes><route url="/V1/directory/countries" method="GET">
//!         <service class="A" method="b"/><resources><resource ref="anonymous"/></resources></route></routes>"#)
//!     .build()?;
//! // A broken OAuth header does not matter on an anonymous route: nobody asks who calls.
//! let req = HttpRequest {
//!     method: "GET",
//!     url: "https://shop.example.com/rest/V1/directory/countries",
//!     headers: vec![("Authorization", "OAuth oauth_consumer_key=\"broken\"")],
//!     body: None,
//! };
//! let a = policy.authorize(&req, &mut Sources::new(1_700_000_000), &Placeholders::default());
//! assert_eq!(a.status(), 200);
//! assert!(a.identity.is_none());
//! # Ok::<(), mage_policy::ConfigError>(())
//! ```

use serde_json::Value;

use crate::decide::{self, Decision, Outcome, Request};
use crate::forced::{Applied, ForcedParamError, Placeholders};
use crate::identity::{identify, HttpRequest, Identity, Sources};
use crate::oauth::OAuthError;
use crate::policy::{Policy, Ref};
use crate::principal::Principal;

/// Why a request the decision alone would let through is refused anyway, each with
/// Magento's status and body (or the web server's, for the size limits).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// 431: more headers than [`Limits::max_headers`](crate::Limits), or one longer
    /// than [`Limits::max_header_bytes`](crate::Limits). Nothing was parsed.
    #[error("Request header fields too large.")]
    HeadersTooLarge,
    /// 413: a body longer than [`Limits::max_body_bytes`](crate::Limits).
    #[error("Request body too large.")]
    BodyTooLarge,
    /// The request carries OAuth parameters that fail Magento's checks (400/401).
    #[error(transparent)]
    OAuth(OAuthError),
    /// 400 `Decoding error.`: a JSON body that does not decode to an object, which
    /// Magento's deserializer refuses before any service runs.
    #[error("Decoding error.")]
    Undecodable,
    /// Forced parameters could not be applied (404 no active cart, 500).
    #[error(transparent)]
    Forced(ForcedParamError),
}

impl Refusal {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::HeadersTooLarge => 431,
            Refusal::BodyTooLarge => 413,
            Refusal::OAuth(e) => e.status(),
            Refusal::Undecodable => 400,
            Refusal::Forced(e) => e.status(),
        }
    }

    /// A stable kebab-case name: `headers-too-large`, `body-too-large`, `oauth`,
    /// `undecodable`, `forced`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::HeadersTooLarge => "headers-too-large",
            Refusal::BodyTooLarge => "body-too-large",
            Refusal::OAuth(_) => "oauth",
            Refusal::Undecodable => "undecodable",
            Refusal::Forced(_) => "forced",
        }
    }

    /// The JSON body, as Magento's REST error renderer writes it.
    pub fn body(&self) -> String {
        match self {
            Refusal::OAuth(e) => e.rest_body(),
            other => magento_message(&other.to_string()),
        }
    }
}

/// The answer for one HTTP request.
#[derive(Debug)]
pub struct Authorized<'p> {
    /// The decision (for the identified principal, or for a guest when nobody had to
    /// be identified).
    pub decision: Decision<'p>,
    /// The caller, when the route needed one (`None` for anonymous routes and for
    /// requests refused before authorization).
    pub identity: Option<Identity>,
    /// Why the request is refused although the decision may allow it.
    pub refusal: Option<Refusal>,
    /// The request body with forced parameters applied (JSON), when allowed and the
    /// route forces parameters into a JSON body.
    pub body: Option<String>,
    /// What was forced.
    pub forced: Vec<Applied>,
}

impl Authorized<'_> {
    /// Whether the request may go on to the store.
    pub fn allowed(&self) -> bool {
        self.refusal.is_none() && self.decision.allowed()
    }

    /// Magento's status.
    pub fn status(&self) -> u16 {
        match &self.refusal {
            Some(r) => r.status(),
            None => self.decision.status(),
        }
    }

    /// Magento's JSON body for a refusal (`None` when allowed).
    pub fn response_body(&self) -> Option<String> {
        match &self.refusal {
            Some(r) => Some(r.body()),
            None => self.decision.body(),
        }
    }
}

pub(crate) fn magento_message(msg: &str) -> String {
    let mut out = String::from("{\"message\":");
    crate::json::php_string(&mut out, msg);
    out.push('}');
    out
}

/// See [`Policy::authorize_with`].
pub(crate) fn authorize<'p>(
    policy: &'p Policy,
    req: &'p HttpRequest<'p>,
    sources: &mut Sources<'_>,
    placeholders: &mut dyn FnMut(&Principal) -> Placeholders,
) -> Authorized<'p> {
    let limits = policy.settings.limits;
    let headers_too_large = req.headers.len() > limits.max_headers
        || req
            .headers
            .iter()
            .any(|(_, v)| v.len() > limits.max_header_bytes);
    let body_too_large = req.body.is_some_and(|b| b.len() > limits.max_body_bytes);
    let https = req.is_https(sources.offloader_header);
    let mut out = Authorized {
        decision: decide::route(policy, &Request::new(req.method, req.path()).https(https)),
        identity: None,
        refusal: None,
        body: None,
        forced: Vec::new(),
    };
    // Limits first (see `Limits`): nothing of an oversized request is parsed, and the
    // decision shows what a guest would get.
    if headers_too_large || body_too_large {
        out.refusal = Some(if headers_too_large {
            Refusal::HeadersTooLarge
        } else {
            Refusal::BodyTooLarge
        });
        decide::judge(policy, &mut out.decision, &Principal::Guest);
        return out;
    }
    let Some(route) = out.decision.route().copied() else {
        return out; // refused before authorization: 404, 405, 400, not REST
    };
    // Identity is resolved lazily: a route whose refs are all `anonymous` (and which
    // forces no placeholder) never evaluates credentials (spec §3.3 (1)).
    let all_anonymous = policy.refs[route.index]
        .iter()
        .all(|r| *r == Ref::Anonymous);
    let placeholder_params = route.def.parameters.iter().any(|p| {
        p.value
            .as_deref()
            .is_some_and(|v| v.starts_with('%') && v.ends_with('%'))
    });
    let principal = if all_anonymous && !placeholder_params {
        Principal::Guest
    } else {
        let default_website = policy.stores.default_store().website_id;
        match identify(req, sources, default_website) {
            Ok(identity) => {
                let p = identity.principal.clone();
                out.identity = Some(identity);
                p
            }
            Err(e) => {
                // Magento fails before authorization; the decision shows a guest's.
                out.refusal = Some(Refusal::OAuth(e));
                decide::judge(policy, &mut out.decision, &Principal::Guest);
                return out;
            }
        }
    };
    decide::judge(policy, &mut out.decision, &principal);
    if out.decision.outcome() != Outcome::Allowed || route.def.parameters.is_empty() {
        return out;
    }
    // Forced parameters, on a JSON body when there is one.
    let is_json = req
        .header("Content-Type")
        .is_some_and(|c| c.to_ascii_lowercase().contains("json"));
    let mut input: Value = match req.body {
        Some(b) if is_json && !b.trim().is_empty() => match crate::jsonparse::parse(b.as_bytes()) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                out.refusal = Some(Refusal::Undecodable);
                return out;
            }
        },
        _ => Value::Object(Default::default()),
    };
    match out
        .decision
        .apply_forced(&principal, &placeholders(&principal), &mut input)
    {
        Ok(applied) => {
            out.forced = applied;
            if is_json || req.body.is_none() {
                out.body = serde_json::to_string(&input).ok();
            }
        }
        Err(e) => out.refusal = Some(Refusal::Forced(e)),
    }
    out
}
