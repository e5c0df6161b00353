//! One call for an edge: route, identify (only when needed), decide, and force
//! parameters — Magento's answer for a whole HTTP request.
//!
//! ```
//! use mage_policy::{identity::{HttpRequest, Sources}, params::Placeholders, Policy};
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

use crate::authorize::{Decision, Outcome, Principal, Request};
use crate::identity::{identify, HttpRequest, Identity, Sources};
use crate::params::{Applied, Placeholders};
use crate::policy::{Policy, Ref};

/// The answer for one HTTP request.
#[derive(Debug)]
pub struct Authorized<'p> {
    /// The decision (for the identified principal, or for a guest when nobody had to
    /// be identified).
    pub decision: Decision<'p>,
    /// The caller, when the route needed one (`None` for anonymous routes and for
    /// requests refused before authorization).
    pub identity: Option<Identity>,
    /// A failure that replaces the decision's answer: OAuth verification (401/400) or
    /// forced parameters (404 no active cart, 500): (status, Magento JSON body).
    pub failure: Option<(u16, String)>,
    /// The request body with forced parameters applied (JSON), when allowed and the
    /// route forces parameters into a JSON body.
    pub body: Option<String>,
    /// What was forced.
    pub forced: Vec<Applied>,
}

impl Authorized<'_> {
    /// Whether the request may go on to the store.
    pub fn allowed(&self) -> bool {
        self.failure.is_none() && self.decision.allowed()
    }

    /// Magento's status.
    pub fn status(&self) -> u16 {
        match &self.failure {
            Some((status, _)) => *status,
            None => self.decision.status(),
        }
    }

    /// Magento's JSON body for a refusal (`None` when allowed).
    pub fn response_body(&self) -> Option<String> {
        match &self.failure {
            Some((_, body)) => Some(body.clone()),
            None => self.decision.body(),
        }
    }
}

fn magento_message(msg: &str) -> String {
    let mut out = String::from("{\"message\":");
    crate::json::php_string(&mut out, msg);
    out.push('}');
    out
}

impl Policy {
    /// Route, identify, decide and force parameters for one HTTP request (spec §2–§4,
    /// §3.2 order). Identity is resolved lazily: a route whose refs are all
    /// `anonymous` (and which forces no placeholder) never evaluates credentials.
    pub fn authorize<'p>(
        &'p self,
        req: &'p HttpRequest<'p>,
        sources: &mut Sources<'_>,
        placeholders: &Placeholders,
    ) -> Authorized<'p> {
        self.authorize_with(req, sources, &mut |_| placeholders.clone())
    }

    /// [`Policy::authorize`] with the placeholder values computed for the identified
    /// caller (the customer's group, store and active cart are known only once the
    /// caller is): `placeholders` is called at most once, and only when the route
    /// forces a parameter.
    pub fn authorize_with<'p>(
        &'p self,
        req: &'p HttpRequest<'p>,
        sources: &mut Sources<'_>,
        placeholders: &mut dyn FnMut(&Principal) -> Placeholders,
    ) -> Authorized<'p> {
        let limits = self.settings.limits;
        let headers_too_large = req.headers.len() > limits.max_headers
            || req
                .headers
                .iter()
                .any(|(_, v)| v.len() > limits.max_header_bytes);
        let body_too_large = req.body.is_some_and(|b| b.len() > limits.max_body_bytes);
        let https = req.is_https(sources.offloader_header);
        let request = Request::new(req.method, req.path()).https(https);
        let guest = self.decide(&request, &Principal::Guest);
        let mut out = Authorized {
            decision: guest,
            identity: None,
            failure: None,
            body: None,
            forced: Vec::new(),
        };
        // Limits first (see `Limits`): nothing of an oversized request is parsed.
        if headers_too_large || body_too_large {
            out.failure = Some(if headers_too_large {
                (431, magento_message("Request header fields too large."))
            } else {
                (413, magento_message("Request body too large."))
            });
            return out;
        }
        let Some(route) = out.decision.route().copied() else {
            return out; // refused before authorization: 404, 405, 400, not REST
        };
        let all_anonymous = self.refs[route.index].iter().all(|r| *r == Ref::Anonymous);
        let placeholder_params = route.def.parameters.iter().any(|p| {
            p.value
                .as_deref()
                .is_some_and(|v| v.starts_with('%') && v.ends_with('%'))
        });
        let principal = if all_anonymous && !placeholder_params {
            Principal::Guest
        } else {
            let default_website = self.stores.default_store().website_id;
            match identify(req, sources, default_website) {
                Ok(identity) => {
                    let p = identity.principal.clone();
                    out.identity = Some(identity);
                    out.decision = self.decide(&request, &p);
                    p
                }
                Err(e) => {
                    out.failure = Some((e.status, e.rest_body()));
                    return out;
                }
            }
        };
        if !out.decision.allowed()
            || out.decision.outcome() != Outcome::Allowed
            || route.def.parameters.is_empty()
        {
            return out;
        }
        // Forced parameters, on a JSON body when there is one.
        let is_json = req
            .header("Content-Type")
            .is_some_and(|c| c.to_ascii_lowercase().contains("json"));
        let mut input: Value = match req.body {
            Some(b) if is_json && !b.trim().is_empty() => {
                match crate::jsonparse::parse(b.as_bytes()) {
                    Ok(v @ Value::Object(_)) => v,
                    _ => {
                        // Magento fails to decode the body before any service runs.
                        out.failure = Some((400, magento_message("Decoding error.")));
                        return out;
                    }
                }
            }
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
            Err(e) => out.failure = Some((e.status(), magento_message(&e.to_string()))),
        }
        out
    }
}
