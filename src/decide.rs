//! The decision for one request: method check, processor, route, authorization (AND
//! over refs, `anonymous`, `self`, ACL), HTTPS — in Magento's order (spec §2.1, §3).

use std::borrow::Cow;

use serde::Serialize;

use crate::config::RouteDef;
use crate::json::php_string;
use crate::policy::{AccountShare, Policy, Ref};
use crate::principal::Principal;
use crate::router::path::{self, NotRest, Processor, Store, StoreSel};

/// The parts of an HTTP request a decision needs.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// HTTP method, any case (Magento upper-cases it).
    pub method: &'a str,
    /// Request path as sent, query string allowed (`/rest/default/V1/carts/mine?x=1`).
    pub path: &'a str,
    /// Whether the request arrived over HTTPS (default true).
    pub https: bool,
}

impl<'a> Request<'a> {
    /// A request over HTTPS.
    pub fn new(method: &'a str, path: &'a str) -> Request<'a> {
        Request {
            method,
            path,
            https: true,
        }
    }

    /// Set whether the request arrived over HTTPS.
    pub fn https(mut self, https: bool) -> Request<'a> {
        self.https = https;
        self
    }
}

/// What was decided, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Outcome {
    /// The call may proceed.
    Allowed,
    /// Not under `<base>/rest/`: Magento's REST area never sees it (the storefront
    /// answers with its HTML 404 page).
    NotRest,
    /// 405: only GET, POST, PUT, DELETE.
    MethodNotAllowed,
    /// 400: no request processor takes the path (e.g. `/rest/v1/...`).
    NotProcessable,
    /// 404: no route matches.
    NoRoute,
    /// 401: a resource ref is not granted.
    Unauthorized,
    /// 400: the route is `secure` and the request is plain HTTP.
    HttpsRequired,
    /// Asynchronous bulk routes (`/async/bulk/V1/…/by<Param>`) are not modelled:
    /// refused, with status 501, rather than guessed.
    NotModelled,
    /// 414: the path is longer than [`Limits::max_path_bytes`](crate::Limits). Magento
    /// has no limit of its own; its web server refuses such paths (nginx: 8 KiB).
    TooLong,
}

impl Outcome {
    /// The kebab-case name (`allowed`, `unauthorized`, …).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::NotRest => "not-rest",
            Outcome::MethodNotAllowed => "method-not-allowed",
            Outcome::NotProcessable => "not-processable",
            Outcome::NoRoute => "no-route",
            Outcome::Unauthorized => "unauthorized",
            Outcome::HttpsRequired => "https-required",
            Outcome::NotModelled => "not-modelled",
            Outcome::TooLong => "too-long",
        }
    }
}

/// The route a request resolved to.
#[derive(Debug, Clone, Copy)]
pub struct MatchedRoute<'p> {
    /// Index into [`Policy::routes`].
    pub index: usize,
    /// The route's definition.
    pub def: &'p RouteDef,
    /// Whether it was found by the exact-url shortcut.
    pub exact: bool,
    /// How many candidate routes matched (the last one won).
    pub candidates: usize,
}

/// The answer for one request: outcome, Magento's status and body, and the evidence.
/// It borrows from the policy and from the request path.
#[derive(Debug, Clone)]
pub struct Decision<'p> {
    outcome: Outcome,
    method: Cow<'static, str>,
    processor: Option<Processor>,
    path: &'p str,
    store: &'p Store,
    route: Option<MatchedRoute<'p>>,
    params: Vec<(&'p str, Cow<'p, str>)>,
    leftover: Vec<(&'p str, Cow<'p, str>)>,
    required: &'p [String],
    missing: Vec<&'p str>,
    https: bool,
}

impl<'p> Decision<'p> {
    /// Whether the call may proceed.
    pub fn allowed(&self) -> bool {
        self.outcome == Outcome::Allowed
    }

    /// The outcome.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// The HTTP status Magento answers with (200 when allowed; 202 for async).
    pub fn status(&self) -> u16 {
        match self.outcome {
            Outcome::Allowed if self.processor == Some(Processor::Async) => 202,
            Outcome::Allowed => 200,
            Outcome::NotRest | Outcome::NoRoute => 404,
            Outcome::MethodNotAllowed => 405,
            Outcome::NotProcessable | Outcome::HttpsRequired => 400,
            Outcome::Unauthorized => 401,
            Outcome::NotModelled => 501,
            Outcome::TooLong => 414,
        }
    }

    /// Magento's `message`: for 401 the raw phrase with `%resources` left in (the value
    /// is in [`parameters`](Self::parameters)); otherwise the rendered phrase.
    /// `None` when allowed.
    pub fn message(&self) -> Option<String> {
        Some(match self.outcome {
            Outcome::Allowed => return None,
            Outcome::NotRest => "Not a REST API path.".to_string(),
            Outcome::MethodNotAllowed => {
                format!("The {} HTTP method is not supported.", self.method)
            }
            Outcome::NotProcessable => "Specified request cannot be processed.".to_string(),
            Outcome::NoRoute => "Request does not match any route.".to_string(),
            Outcome::Unauthorized => {
                "The consumer isn't authorized to access %resources.".to_string()
            }
            Outcome::HttpsRequired => "Operation allowed only in HTTPS".to_string(),
            Outcome::NotModelled => {
                "Asynchronous bulk routes are not modelled by mage-policy.".to_string()
            }
            Outcome::TooLong => "Request path too long.".to_string(),
        })
    }

    /// Magento's `parameters` (401 only): `resources` = every ref of the route joined
    /// with `", "`.
    pub fn parameters(&self) -> Option<Vec<(&'static str, String)>> {
        (self.outcome == Outcome::Unauthorized)
            .then(|| vec![("resources", self.required.join(", "))])
    }

    /// The JSON body Magento sends for a refusal, byte for byte (spec §3.7); `None`
    /// when allowed, and for [`Outcome::NotRest`] (Magento answers with an HTML page).
    pub fn body(&self) -> Option<String> {
        if matches!(self.outcome, Outcome::Allowed | Outcome::NotRest) {
            return None;
        }
        let mut out = String::from("{\"message\":");
        php_string(&mut out, &self.message().unwrap_or_default());
        if let Some(params) = self.parameters() {
            out.push_str(",\"parameters\":{");
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                php_string(&mut out, k);
                out.push(':');
                php_string(&mut out, v);
            }
            out.push('}');
        }
        out.push('}');
        Some(out)
    }

    /// The processor that took the request.
    pub fn processor(&self) -> Option<Processor> {
        self.processor
    }

    /// The path after store-code processing (`/V1/customers/me`).
    pub fn path(&self) -> &'p str {
        self.path
    }

    /// The current store for the request.
    pub fn store(&self) -> &'p Store {
        self.store
    }

    /// The matched route, if routing got that far.
    pub fn route(&self) -> Option<&MatchedRoute<'p>> {
        self.route.as_ref()
    }

    /// The winner's path variables, `urldecode`d.
    pub fn params(&self) -> &[(&'p str, Cow<'p, str>)] {
        &self.params
    }

    /// Variables set by losing candidate routes that stay in Magento's request params.
    pub fn leftover_params(&self) -> &[(&'p str, Cow<'p, str>)] {
        &self.leftover
    }

    /// Every resource ref the route requires (AND); `["anonymous"]` when
    /// allow_insecure opened the route.
    pub fn required(&self) -> &'p [String] {
        self.required
    }

    /// The refs the principal was not granted (empty when allowed).
    pub fn missing(&self) -> &[&'p str] {
        &self.missing
    }

    /// The upper-cased method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// Apply the matched route's forced parameters (spec §4) to `input`, the request
    /// input as a JSON object (the body, with query and path parameters merged in for
    /// non-PUT requests, spec §4.3). Does nothing when no route matched.
    pub fn apply_forced(
        &self,
        principal: &Principal,
        values: &crate::forced::Placeholders,
        input: &mut serde_json::Value,
    ) -> Result<Vec<crate::forced::Applied>, crate::forced::ForcedParamError> {
        match &self.route {
            Some(r) => crate::forced::apply(&r.def.parameters, principal, values, input),
            None => Ok(Vec::new()),
        }
    }
}

/// Whether a principal passes one route's refs (see [`Policy::route_access`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteAccess<'p> {
    /// All refs granted.
    pub allowed: bool,
    /// The refs not granted.
    pub missing: Vec<&'p str>,
    /// The store code was not in the store list (nothing was evaluated).
    pub unknown_store: bool,
}

/// Path variables by name, `urldecode`d (borrowed when nothing needed decoding).
pub type PathParams<'p> = Vec<(&'p str, Cow<'p, str>)>;

const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];

/// Laminas upper-cases the method. The four supported ones are matched without
/// allocating; anything else is kept (bounded) for the 405 message.
fn normalise_method(m: &str) -> Cow<'static, str> {
    for known in METHODS {
        if m.eq_ignore_ascii_case(known) {
            return Cow::Borrowed(known);
        }
    }
    Cow::Owned(m.chars().take(32).collect::<String>().to_ascii_uppercase())
}

fn current_store<'p>(policy: &'p Policy, sel: StoreSel<'p>) -> &'p Store {
    match sel {
        StoreSel::Default => policy.stores.default_store(),
        StoreSel::Named(s) => s,
        StoreSel::Admin => &policy.admin_store,
    }
}

/// Everything before authorization (spec §2): size limit, path processing, method,
/// processor, route selection. A request that gets through carries its route and
/// [`Outcome::Allowed`] until [`judge`] has looked at the caller.
pub(crate) fn route<'p>(policy: &'p Policy, req: &Request<'p>) -> Decision<'p> {
    let mut d = Decision {
        outcome: Outcome::NotRest,
        method: normalise_method(req.method),
        processor: None,
        path: "",
        store: policy.stores.default_store(),
        route: None,
        params: Vec::new(),
        leftover: Vec::new(),
        required: &[],
        missing: Vec::new(),
        https: req.https,
    };
    if req.path.len() > policy.settings.limits.max_path_bytes {
        d.outcome = Outcome::TooLong;
        return d;
    }
    let processed = match path::process(req.path, &policy.settings.base_path, &policy.stores) {
        Ok(p) => p,
        Err(NotRest::OutsideBase | NotRest::NotRestArea) => return d,
    };
    d.path = processed.path;
    d.store = current_store(policy, processed.store);
    if matches!(d.method, Cow::Owned(_)) {
        d.outcome = Outcome::MethodNotAllowed;
        return d;
    }
    let Some((processor, route_path)) = path::select_processor(processed.path, &d.method) else {
        d.outcome = Outcome::NotProcessable;
        return d;
    };
    d.processor = Some(processor);
    match processor {
        Processor::Schema => {
            // Open to everyone; the generated schema lists only what the caller may call.
            d.outcome = Outcome::Allowed;
            return d;
        }
        Processor::AsyncBulk => {
            d.outcome = Outcome::NotModelled;
            return d;
        }
        Processor::Sync | Processor::Async => {}
    }
    let Some(m) = policy.router.lookup(route_path, &d.method) else {
        d.outcome = Outcome::NoRoute;
        return d;
    };
    let index = m.route as usize;
    d.route = Some(MatchedRoute {
        index,
        def: &policy.routes[index],
        exact: m.exact,
        candidates: m.matched,
    });
    d.params = m.params;
    d.leftover = m.leftover;
    d.required = policy.effective_refs(index);
    d.outcome = Outcome::Allowed;
    d
}

/// Authorization of a routed request for `principal` (spec §3.3), then the HTTPS
/// check, which `RequestValidator` runs after it. Does nothing to a request refused
/// before routing; may be called again for another principal.
pub(crate) fn judge<'p>(policy: &'p Policy, d: &mut Decision<'p>, principal: &Principal) {
    let Some(r) = d.route else {
        return;
    };
    d.missing.clear();
    for (name, rf) in d.required.iter().zip(&policy.refs[r.index]) {
        if !ref_allowed(policy, *rf, name, principal, d.store) {
            d.missing.push(name);
        }
    }
    d.outcome = if !d.missing.is_empty() {
        Outcome::Unauthorized
    } else if r.def.secure && !d.https {
        Outcome::HttpsRequired
    } else {
        Outcome::Allowed
    };
}

/// See [`Policy::route_access`].
pub(crate) fn route_access<'p>(
    policy: &'p Policy,
    index: usize,
    principal: &Principal,
    store_code: Option<&str>,
) -> RouteAccess<'p> {
    let admin;
    let store = match store_code {
        None => policy.stores.default_store(),
        Some("all") => {
            admin = Store::admin();
            &admin
        }
        Some(code) => match policy.stores.get(code) {
            Some(s) => s,
            None => {
                return RouteAccess {
                    allowed: false,
                    missing: Vec::new(),
                    unknown_store: true,
                }
            }
        },
    };
    if index >= policy.routes.len() {
        return RouteAccess {
            allowed: false,
            missing: Vec::new(),
            unknown_store: false,
        };
    }
    let missing: Vec<&'p str> = policy
        .effective_refs(index)
        .iter()
        .zip(&policy.refs[index])
        .filter(|(name, r)| !ref_allowed(policy, **r, name, principal, store))
        .map(|(name, _)| name.as_str())
        .collect();
    RouteAccess {
        allowed: missing.is_empty(),
        missing,
        unknown_store: false,
    }
}

/// One ref, through GuestAuthorization → CustomerAuthorization → ACL (spec §3.3).
fn ref_allowed(policy: &Policy, r: Ref, name: &str, principal: &Principal, store: &Store) -> bool {
    match r {
        // spec §3.3 (1): anonymous is allowed without asking who the caller is.
        Ref::Anonymous => true,
        Ref::SelfCheck => match principal {
            Principal::Customer {
                id,
                website_id,
                emulated,
            } => {
                *id != 0
                    && !*emulated
                    && store.id != 0
                    && match policy.settings.account_share {
                        AccountShare::Website => store.website_id == *website_id,
                        AccountShare::Global => true,
                    }
            }
            // spec §3.3 (3): for everyone else `self` is an unknown ACL id.
            _ => role_allows_unknown(principal),
        },
        Ref::Acl(i) => match principal {
            Principal::Admin {
                role: Some(role), ..
            }
            | Principal::Integration {
                role: Some(role), ..
            } => {
                if role.matches(policy.acl_fingerprint) {
                    role.allowed_index(i)
                } else {
                    role.is_allowed(policy, name)
                }
            }
            _ => false,
        },
        Ref::Unknown => role_allows_unknown(principal),
    }
}

/// Policy\Acl fallback for ids the ACL does not know: `isAllowed(role, null)`.
fn role_allows_unknown(principal: &Principal) -> bool {
    match principal {
        Principal::Admin {
            role: Some(role), ..
        }
        | Principal::Integration {
            role: Some(role), ..
        } => role.has_all(),
        _ => false,
    }
}
