//! The edge's long-lived handle: a policy and everything that identifies callers —
//! the JWT key, revocations, OAuth credentials and the nonces they have used, the
//! session and account data (or callbacks that answer with data), and the roles
//! compiled from it. Built once from [`GatewayOptions`]; per request only the
//! request goes in and one JSON answer comes out.
//!
//! ```
//! use std::sync::Arc;
//! use mage_policy::boundary::gateway::{Gateway, NoCallbacks, OwnedRequest};
//! # let policy = mage_policy::Policy::builder().webapi("w.xml", r#"<routes>
//! #   <route url="/V1/customers/:id" method="GET"><service class="C" method="get"/>
//! #   <resources><resource ref="Magento_Customer::customer"/></resources></route></routes>"#)
//! #   .acl("a.xml", r#"<config><acl><resources><resource id="Magento_Backend::admin">
//! #   <resource id="Magento_Customer::customer"/></resource></resources></acl></config>"#)
//! #   .build().unwrap();
//! let mut gateway = Gateway::from_json(Arc::new(policy), r#"{
//!     "jwt": {"cryptKey": "8f2c1d9e4b7a60315c9e2f4a7d1b3c5e"},
//!     "adminRole": {"1": ["Magento_Customer::customer"]}
//! }"#)?;
//! let token = mage_policy::token::issue(
//!     &mage_policy::token::JwtKey::from_crypt_key("8f2c1d9e4b7a60315c9e2f4a7d1b3c5e")?,
//!     Default::default(), mage_policy::token::UserKind::Admin, 1, 1_700_000_000, 60)?;
//! let req = OwnedRequest {
//!     method: "GET".into(),
//!     url: "https://shop.example.com/rest/V1/customers/7".into(),
//!     headers: vec![("Authorization".into(), format!("Bearer {token}"))],
//!     body: None,
//! };
//! let answer = gateway.authorize(&req.as_http(), 1_700_000_100, &NoCallbacks)?;
//! assert!(answer.starts_with(r#"{"status":200,"allowed":true"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use serde_json::Value;

use super::engine::{positional_principal, Positional};
use super::input::{self, InputError, Obj};
use super::keys::KeyCache;
use super::output::{self, Answer};
use super::roles::{Resources, RoleRegistry};
use super::Failure;
use crate::acl::Role;
use crate::fasthash::FastMap;
use crate::forced::{Cart, Placeholders};
use crate::identity::{
    Accounts, HttpRequest, JwtSource, OAuthSource, SessionCustomer, SessionLookup, Sources,
};
use crate::oauth::{MemoryCredentials, MemoryNonces, Profile};
use crate::token::{JwtAlg, JwtKey, RevocationList, VerifiedTokens};
use crate::{Authorized, Policy, Principal, Request};

/// Answers the edge asks for while it identifies a caller. Each returns *data* (a
/// session's customer, a website id, a role's resources as JSON text, placeholder
/// values as JSON text) and must not call back into the gateway. The default answer
/// is "not known".
pub trait Callbacks {
    /// The customer logged in to storefront session `sid`.
    fn session(&self, _sid: &str) -> Option<SessionCustomer> {
        None
    }
    /// The customer's website.
    fn customer_website(&self, _customer_id: u64) -> Option<u32> {
        None
    }
    /// The admin's role as the JSON text of its resources (`"all"`, `["…"]`);
    /// `None`: no role.
    fn admin_role(&self, _admin_id: u64) -> Option<String> {
        None
    }
    /// The integration's permissions, as for [`admin_role`](Self::admin_role).
    fn integration_role(&self, _integration_id: u64) -> Option<String> {
        None
    }
    /// Placeholder values for the identified caller as JSON text
    /// (`{"customerGroupId":1,"cartId":7,…}`); `None`: the static ones.
    fn placeholders(&self, _caller: &Principal) -> Option<String> {
        None
    }
}

/// No callbacks: every answer comes from the options' data.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCallbacks;

impl Callbacks for NoCallbacks {}

/// Where one kind of answer comes from.
#[derive(Debug, Clone, Default)]
enum Source<T> {
    /// Nobody answers (the default).
    #[default]
    None,
    /// The callback answers.
    Callback,
    /// Data given in the options.
    Data(T),
}

/// Everything a gateway is built from (the JSON `engine.gateway(sources)` and
/// `mage-policy authorize --sources FILE` take):
///
/// ```json
/// { "now": 1700000000,
///   "jwt": { "cryptKey": "…", "alg": "HS256",
///            "revoked": [{ "userType": 3, "id": 5, "before": 1700000000 }] },
///   "oauth": { "profile": "magento-2.4.7", "credentials": { "consumers": {…}, "tokens": {…} } },
///   "sessionCookie": "PHPSESSID", "offloaderHeader": "X-Forwarded-Proto",
///   "session": { "<sid>": { "id": 5, "website": 1, "emulated": false } },
///   "customerWebsite": { "5": 1 },
///   "adminRole": { "1": "all", "2": ["Magento_Customer::customer"] },
///   "integrationRole": { "3": ["Magento_Catalog::products"] },
///   "placeholders": { "customerGroupId": 1, "customerStoreId": 1, "cartId": 7 } }
/// ```
///
/// Each of `session`, `customerWebsite`, `adminRole`, `integrationRole` and
/// `placeholders` may instead be `true`: a callback answers (the JS layer passes
/// `true` for a function). Everything is optional; unknown members are refused.
#[derive(Debug, Clone, Default)]
pub struct GatewayOptions {
    /// A fixed clock (Unix seconds), for tests; otherwise the time of each request.
    pub now: Option<i64>,
    /// `crypt/key` and `webapi/jwtauth/jwt_alg`.
    pub jwt: Option<(String, JwtAlg)>,
    /// Revocations.
    pub revoked: RevocationList,
    /// OAuth profile and credentials.
    pub oauth: Option<(Profile, MemoryCredentials)>,
    /// The session cookie's name (default `PHPSESSID`).
    pub session_cookie: Option<String>,
    /// `web/secure/offloader_header` (default `X-Forwarded-Proto`).
    pub offloader_header: Option<String>,
    session: Source<FastMap<String, SessionCustomer>>,
    customer_website: Source<FastMap<u64, u32>>,
    admin_role: Source<FastMap<u64, String>>,
    integration_role: Source<FastMap<u64, String>>,
    placeholders: Source<Placeholders>,
}

const KNOWN: [&str; 10] = [
    "now",
    "jwt",
    "oauth",
    "sessionCookie",
    "offloaderHeader",
    "session",
    "customerWebsite",
    "adminRole",
    "integrationRole",
    "placeholders",
];

/// A map keyed by ids (`{"5": …}`), or `true` for a callback.
fn by_id<T>(
    o: &Obj<'_>,
    key: &str,
    what: &str,
    mut value: impl FnMut(&Value, &str) -> Result<T, InputError>,
) -> Result<Source<FastMap<u64, T>>, InputError> {
    match o.get(key) {
        None | Some(Value::Bool(false)) => Ok(Source::None),
        Some(Value::Bool(true)) => Ok(Source::Callback),
        Some(Value::Object(m)) => {
            let mut out = FastMap::default();
            for (k, v) in m {
                let id: u64 = k.parse().map_err(|_| {
                    InputError::new(what, format!("`{}` is not a whole-number id", trim(k)))
                })?;
                out.insert(id, value(v, what)?);
            }
            Ok(Source::Data(out))
        }
        Some(_) => Err(InputError::new(
            what,
            "must be an object keyed by id (or a function)",
        )),
    }
}

fn trim(s: &str) -> String {
    s.chars().take(64).collect()
}

/// `{"id":5,"website":1,"emulated":false}`.
pub fn session_customer(v: &Value, what: &str) -> Result<SessionCustomer, InputError> {
    let o = input::obj(v, what)?;
    o.only(&["id", "website", "emulated"])?;
    let id = o
        .uint("id", u64::MAX)?
        .filter(|id| *id > 0)
        .ok_or_else(|| InputError::new(what, "`id` must be a customer id (a whole number > 0)"))?;
    Ok(SessionCustomer {
        id,
        website_id: o.uint("website", u32::MAX.into())?.map_or(0, |w| w as u32),
        emulated: o.bool("emulated")?,
    })
}

/// A session customer in the JS layer's compact form `"id website emulated"`
/// (website 0: not given; emulated 0 or 1).
pub fn session_compact(text: &str) -> Option<SessionCustomer> {
    let mut it = text.split(' ').map(|n| n.parse::<u64>().ok());
    Some(SessionCustomer {
        id: it.next()??,
        website_id: u32::try_from(it.next()??).ok()?,
        emulated: it.next()?? == 1,
    })
}

/// `{customerGroupId, customerWebsiteId, customerStoreId, cartId}`; `cartId: false`
/// means the customer has no active cart (Magento answers 404).
pub fn placeholders(v: &Value, what: &str) -> Result<Placeholders, InputError> {
    let p = input::obj(v, what)?;
    p.only(&[
        "customerGroupId",
        "customerWebsiteId",
        "customerStoreId",
        "cartId",
    ])?;
    Ok(Placeholders {
        customer_group_id: p.get("customerGroupId").cloned(),
        customer_website_id: p.get("customerWebsiteId").cloned(),
        customer_store_id: p.get("customerStoreId").cloned(),
        cart: p.get("cartId").map(|v| {
            if *v == Value::Bool(false) {
                Cart::NoActiveCart
            } else {
                Cart::Active(v.clone())
            }
        }),
        extra: Vec::new(),
    })
}

/// One revocation `{"userType": 1|2|3, "id": N, "before": UNIX}`, added to `list`.
pub fn revocation(v: &Value, list: &mut RevocationList) -> Result<(), InputError> {
    let o = input::obj(v, "revoked[]")?;
    o.only(&["userType", "id", "before"])?;
    let need = |k: &str| InputError::new("revoked[]", format!("`{k}` must be a whole number"));
    let user_type = o
        .uint("userType", 4)?
        .filter(|t| (1..=3).contains(t))
        .ok_or_else(|| InputError::new("revoked[]", "`userType` must be 1, 2 or 3"))?;
    list.insert(
        user_type as u8,
        o.uint("id", u64::MAX)?.ok_or_else(|| need("id"))?,
        o.int("before")?.ok_or_else(|| need("before"))?,
    );
    Ok(())
}

impl GatewayOptions {
    /// Read the options (see the type's documentation).
    pub fn from_json(text: &str) -> Result<GatewayOptions, InputError> {
        GatewayOptions::from_value(&input::parse(text, "sources")?)
    }

    /// [`from_json`](Self::from_json) on a parsed document.
    pub fn from_value(v: &Value) -> Result<GatewayOptions, InputError> {
        let o = input::obj(v, "sources")?;
        o.only(&KNOWN)?;
        let mut g = GatewayOptions {
            now: o.int("now")?,
            session_cookie: o.str("sessionCookie")?.map(str::to_string),
            offloader_header: o.str("offloaderHeader")?.map(str::to_string),
            ..GatewayOptions::default()
        };
        if let Some(j) = o.object("jwt", "sources.jwt")? {
            j.only(&["cryptKey", "alg", "revoked"])?;
            let alg = match j.str("alg")? {
                None => JwtAlg::default(),
                Some(a) => a.parse().map_err(|e: crate::token::JwtError| {
                    InputError::new("sources.jwt.alg", e.to_string())
                })?,
            };
            g.jwt = Some((j.req_str("cryptKey")?.to_string(), alg));
            for r in j.list("revoked")? {
                revocation(r, &mut g.revoked)?;
            }
        }
        if let Some(a) = o.object("oauth", "sources.oauth")? {
            a.only(&["profile", "credentials"])?;
            let profile = match a.str("profile")? {
                None => Profile::default(),
                Some(p) => p.parse().map_err(|e: crate::oauth::OAuthError| {
                    InputError::new("sources.oauth.profile", e.to_string())
                })?,
            };
            let creds = MemoryCredentials::from_value(a.get("credentials").unwrap_or(&Value::Null))
                .map_err(|e| InputError::new("sources.oauth.credentials", e))?;
            g.oauth = Some((profile, creds));
        }
        g.session = match o.get("session") {
            None | Some(Value::Bool(false)) => Source::None,
            Some(Value::Bool(true)) => Source::Callback,
            Some(Value::Object(m)) => {
                let mut out = FastMap::default();
                for (sid, c) in m {
                    out.insert(sid.clone(), session_customer(c, "sources.session")?);
                }
                Source::Data(out)
            }
            Some(_) => {
                return Err(InputError::new(
                    "sources.session",
                    "must be an object keyed by session id (or a function)",
                ))
            }
        };
        g.customer_website = by_id(&o, "customerWebsite", "sources.customerWebsite", |v, w| {
            v.as_u64()
                .filter(|n| *n <= u32::MAX.into())
                .map(|n| n as u32)
                .ok_or_else(|| InputError::new(w, "websites must be whole numbers"))
        })?;
        let role = |v: &Value, w: &str| Resources::from_value(v, w).map(|r| r.key());
        g.admin_role = by_id(&o, "adminRole", "sources.adminRole", role)?;
        g.integration_role = by_id(&o, "integrationRole", "sources.integrationRole", role)?;
        g.placeholders = match o.get("placeholders") {
            None | Some(Value::Bool(false)) => Source::None,
            Some(Value::Bool(true)) => Source::Callback,
            Some(v) => Source::Data(placeholders(v, "sources.placeholders")?),
        };
        Ok(g)
    }
}

/// The edge's handle (see the module documentation).
pub struct Gateway {
    policy: Arc<Policy>,
    jwt: Option<(Arc<JwtKey>, JwtAlg)>,
    /// Tokens verified with `jwt`'s key.
    verified: RefCell<VerifiedTokens>,
    revoked: RevocationList,
    oauth: Option<(Profile, MemoryCredentials)>,
    nonces: MemoryNonces,
    roles: RoleRegistry,
    options: GatewayOptions,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("jwt", &self.jwt.as_ref().map(|(_, alg)| alg))
            .field("revoked", &self.revoked.len())
            .field("oauth", &self.oauth.as_ref().map(|(p, _)| p))
            .field("roles", &self.roles.len())
            .finish_non_exhaustive()
    }
}

/// A request whose parts are owned (read from a JSON line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedRequest {
    /// Method.
    pub method: String,
    /// Absolute URL.
    pub url: String,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: Option<String>,
}

impl OwnedRequest {
    /// `{"method","url","headers":{…}|[[name,value],…],"body"}`.
    pub fn from_value(v: &Value) -> Result<OwnedRequest, InputError> {
        let o = input::obj(v, "request")?;
        o.only(&["method", "url", "headers", "body"])?;
        let headers = match o.get("headers") {
            None => Vec::new(),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), s.clone())),
                    _ => Err(InputError::new(
                        "request.headers",
                        format!("`{}` must be a string", trim(k)),
                    )),
                })
                .collect::<Result<_, _>>()?,
            Some(Value::Array(_)) => o.pairs("headers")?,
            Some(_) => {
                return Err(InputError::new(
                    "request.headers",
                    "must be an object or an array of [name, value] pairs",
                ))
            }
        };
        Ok(OwnedRequest {
            method: o.str("method")?.unwrap_or("GET").to_string(),
            url: o.req_str("url")?.to_string(),
            headers,
            body: o.str("body")?.map(str::to_string),
        })
    }

    /// The request as the pipeline reads it.
    pub fn as_http(&self) -> HttpRequest<'_> {
        HttpRequest {
            method: &self.method,
            url: &self.url,
            headers: self
                .headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            body: self.body.as_deref(),
        }
    }
}

/// A request in the JS layer's one-string form: `method \n url \n` then `name \n
/// value \n` per header (the body crosses on its own). Header names and values never
/// contain line breaks (the JS layer refuses those); `None` when the method or URL
/// line is missing.
pub fn request_lines<'a>(text: &'a str, body: Option<&'a str>) -> Option<HttpRequest<'a>> {
    let mut it = text.split('\n');
    let method = it.next()?;
    let url = it.next()?;
    let mut headers = Vec::new();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        headers.push((k, v));
    }
    Some(HttpRequest {
        method,
        url,
        headers,
        body,
    })
}

impl Gateway {
    /// A gateway over `policy`.
    pub fn new(policy: Arc<Policy>, options: GatewayOptions) -> Result<Gateway, Failure> {
        let jwt = match &options.jwt {
            Some((crypt_key, alg)) => Some((KeyCache::default().get(crypt_key)?, *alg)),
            None => None,
        };
        Ok(Gateway {
            policy,
            jwt,
            verified: RefCell::default(),
            revoked: options.revoked.clone(),
            oauth: options.oauth.clone(),
            nonces: MemoryNonces::default(),
            roles: RoleRegistry::default(),
            options,
        })
    }

    /// [`new`](Self::new) with options read from JSON.
    pub fn from_json(policy: Arc<Policy>, options: &str) -> Result<Gateway, Failure> {
        Gateway::new(policy, GatewayOptions::from_json(options)?)
    }

    /// The fixed clock of the options, if any.
    pub fn fixed_now(&self) -> Option<i64> {
        self.options.now
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Record a revocation (a later one for the same user wins).
    pub fn revoke(&mut self, user_type: u8, user_id: u64, before: i64) {
        self.revoked.insert(user_type, user_id, before);
    }

    /// Route, identify, decide and force parameters for one request at `now`, asking
    /// `callbacks` what the options leave to them. The answer is the JSON of
    /// [`output::authorized`].
    pub fn authorize(
        &mut self,
        req: &HttpRequest<'_>,
        now: i64,
        callbacks: &dyn Callbacks,
    ) -> Result<String, Failure> {
        self.run(req, now, callbacks, |a, _, _, _| output::authorized(a))
    }

    /// [`authorize`](Self::authorize) as numbers and texts ([`output::Answer`]), for the
    /// JS layer; [`decision`](Self::decision) gives the details on demand.
    pub fn answer(
        &mut self,
        req: &HttpRequest<'_>,
        now: i64,
        callbacks: &dyn Callbacks,
    ) -> Result<Answer, Failure> {
        self.run(req, now, callbacks, Answer::new)
    }

    /// The decision of an authorized request as JSON, derived again from the
    /// positional principal its compact form reported (`None`: the role handle is no
    /// longer known). Deciding has no side effects, so this is the decision
    /// [`authorize`](Self::authorize) made.
    pub fn decision(&self, method: &str, url: &str, p: Positional) -> Option<String> {
        let principal = positional_principal(&self.policy, &self.roles, p)?;
        let req = HttpRequest {
            method,
            url,
            headers: Vec::new(),
            body: None,
        };
        let d = self.policy.decide(
            &Request::new(method, req.path()).https(p.flags & 2 == 0),
            &principal,
        );
        Some(output::decision(&d))
    }

    fn run<T>(
        &mut self,
        req: &HttpRequest<'_>,
        now: i64,
        callbacks: &dyn Callbacks,
        answer: impl FnOnce(&Authorized<'_>, &Principal, bool, u64) -> T,
    ) -> Result<T, Failure> {
        let Gateway {
            policy,
            jwt,
            verified,
            revoked,
            oauth,
            nonces,
            roles,
            options,
        } = self;
        let policy: &Policy = policy;
        let look = Lookups {
            policy,
            options,
            callbacks,
            roles: RefCell::new(roles),
            role: Cell::new(0),
            error: RefCell::new(None),
        };
        let mut s = Sources::new(now);
        if let Some((key, alg)) = jwt {
            s.jwt = Some(
                JwtSource::new(key, *alg)
                    .revocations(&*revoked)
                    .verified(verified),
            );
        }
        if !matches!(options.session, Source::None) {
            s.session = Some(&look);
        }
        s.accounts = Some(&look);
        if let Some(c) = &options.session_cookie {
            s.session_cookie = c;
        }
        if let Some(h) = &options.offloader_header {
            s.offloader_header = h;
        }
        let https = req.is_https(s.offloader_header);
        if let Some((profile, credentials)) = oauth {
            s.oauth = Some(OAuthSource {
                profile: *profile,
                credentials,
                nonces,
            });
        }
        let a = policy.authorize_with(req, &mut s, &mut |p| look.placeholders(p));
        if let Some(e) = look.error.take() {
            return Err(e.into());
        }
        let principal = a
            .identity
            .as_ref()
            .map_or(Principal::Guest, |i| i.principal.clone());
        Ok(answer(&a, &principal, https, look.role.get()))
    }
}

/// The answers of one request: data from the options, else the callbacks.
struct Lookups<'a, 'r> {
    policy: &'a Policy,
    options: &'a GatewayOptions,
    callbacks: &'a dyn Callbacks,
    roles: RefCell<&'r mut RoleRegistry>,
    /// The handle of the last role registered (the identified caller's).
    role: Cell<u64>,
    /// The first unusable answer (a role or placeholders that do not parse).
    error: RefCell<Option<InputError>>,
}

impl Lookups<'_, '_> {
    fn fail(&self, e: InputError) {
        self.error.borrow_mut().get_or_insert(e);
    }

    /// The role `source` gives for `id` (its data, else the callback `ask`).
    fn role_from(
        &self,
        source: &Source<FastMap<u64, String>>,
        id: u64,
        ask: impl FnOnce(&dyn Callbacks) -> Option<String>,
    ) -> Option<Role> {
        self.role(match source {
            Source::None => None,
            Source::Data(d) => d.get(&id).cloned(),
            Source::Callback => ask(self.callbacks),
        })
    }

    fn role(&self, key: Option<String>) -> Option<Role> {
        let key = key?;
        match self.roles.borrow_mut().register(self.policy, &key) {
            Ok((id, role)) => {
                self.role.set(id);
                Some(role)
            }
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    fn placeholders(&self, p: &Principal) -> Placeholders {
        match &self.options.placeholders {
            Source::None => Placeholders::default(),
            Source::Data(d) => d.clone(),
            Source::Callback => match self.callbacks.placeholders(p) {
                None => Placeholders::default(),
                Some(text) => match input::parse(&text, "sources.placeholders()")
                    .and_then(|v| placeholders(&v, "sources.placeholders()"))
                {
                    Ok(p) => p,
                    Err(e) => {
                        self.fail(e);
                        Placeholders::default()
                    }
                },
            },
        }
    }
}

impl SessionLookup for Lookups<'_, '_> {
    fn customer(&self, sid: &str) -> Option<SessionCustomer> {
        let mut c = match &self.options.session {
            Source::None => None,
            Source::Data(d) => d.get(sid).copied(),
            Source::Callback => self.callbacks.session(sid),
        }?;
        // A session customer without a website: the website the account data gives,
        // else the default store's.
        if c.website_id == 0 {
            c.website_id = self
                .customer_website(c.id)
                .unwrap_or_else(|| self.policy.stores().default_store().website_id);
        }
        Some(c)
    }
}

impl Accounts for Lookups<'_, '_> {
    fn customer_website(&self, id: u64) -> Option<u32> {
        match &self.options.customer_website {
            Source::None => None,
            Source::Data(d) => d.get(&id).copied(),
            Source::Callback => self.callbacks.customer_website(id),
        }
    }
    fn admin_role(&self, id: u64) -> Option<Role> {
        self.role_from(&self.options.admin_role, id, |c| c.admin_role(id))
    }
    fn integration_role(&self, id: u64) -> Option<Role> {
        self.role_from(&self.options.integration_role, id, |c| {
            c.integration_role(id)
        })
    }
}
