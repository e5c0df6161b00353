//! The wasm-bindgen layer: conversions only. Every export takes strings, numbers and
//! byte arrays, calls the engine, and returns numbers or JSON strings; the JS layer
//! (`js/`) turns those into the public API. Errors cross as JSON strings
//! `{"code","message",…}` that the JS layer rethrows as `Error` subclasses.

// The decision exports take the principal as positional numbers on purpose: passing
// an object would cost a conversion on every call of the hottest function.
#![allow(clippy::too_many_arguments)]

use serde_json::{Map, Value};
use std::rc::Rc;

use crate::json::{obj, ObjWriter};

fn strs<S: AsRef<str>>(list: &[S]) -> Value {
    Value::Array(list.iter().map(|s| Value::from(s.as_ref())).collect())
}
use wasm_bindgen::prelude::*;

mod input;

use crate::identity::{
    Accounts, HttpRequest, JwtSource, OAuthSource, SessionCustomer, SessionLookup, Sources,
};
use crate::oauth::{
    self, ClientCredentials, MemoryCredentials, MemoryNonces, Profile, SignOptions,
    SignatureMethod, SignedRequest,
};
use crate::params::{Cart, Placeholders};
use crate::policy::AccountShare;
use crate::token::{self, JwtAlg, JwtKey, UserKind};
use crate::wire;
use crate::{bundle, Policy, Principal, Request, Role, Store, Stores};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console)]
    fn error(s: &str);
}

/// Readable panics: the engine is written not to panic, but if it ever does, the
/// message reaches the console before the module traps.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        error(&format!("mage-policy panicked: {info}"))
    }));
}

fn fail(code: &str, message: impl Into<String>, extra: Value) -> JsValue {
    let mut m = Map::new();
    m.insert("code".into(), code.into());
    m.insert("message".into(), Value::String(message.into()));
    if let Value::Object(x) = extra {
        m.extend(x);
    }
    JsValue::from_str(&crate::json::to_string(&Value::Object(m)))
}

/// Diagnostics as JSON values (severity, code, message, help, location).
fn diagnostics_value(list: &[crate::Diagnostic]) -> Value {
    Value::Array(
        list.iter()
            .map(|d| {
                let mut m = Map::new();
                m.insert(
                    "severity".into(),
                    if d.is_error() { "error" } else { "warning" }.into(),
                );
                m.insert("code".into(), d.code.into());
                m.insert("message".into(), d.message.as_str().into());
                if let Some(h) = &d.help {
                    m.insert("help".into(), h.as_str().into());
                }
                if let Some(l) = &d.location {
                    m.insert(
                        "location".into(),
                        obj([
                            ("file", l.file.as_str().into()),
                            ("line", l.line.into()),
                            ("column", l.column.into()),
                        ]),
                    );
                }
                Value::Object(m)
            })
            .collect(),
    )
}

fn bad_input(what: &str, e: impl std::fmt::Display) -> JsValue {
    fail("EINPUT", format!("{what}: {e}"), Value::Null)
}

fn named_xml(v: &Value, what: &'static str) -> Result<(String, String), JsValue> {
    let o = input::obj(v, what)?;
    Ok((
        o.req_str("name")?.to_string(),
        o.req_str("xml")?.to_string(),
    ))
}

fn store(v: &Value) -> Result<Store, JsValue> {
    let o = input::obj(v, "stores[]")?;
    let id = |k: &str| -> Result<u32, JsValue> {
        o.num(k)?
            .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= u32::MAX as f64)
            .map(|n| n as u32)
            .ok_or_else(|| bad_input("stores[]", format!("`{k}` must be a whole number")))
    };
    Ok(Store {
        code: o.req_str("code")?.to_string(),
        id: id("id")?,
        website_id: id("websiteId")?,
    })
}

/// A loaded policy and the state that lives with it (compiled roles, OAuth nonces).
#[wasm_bindgen]
pub struct Engine {
    policy: Policy,
    roles: Vec<Role>,
    role_ids: crate::fasthash::FastMap<String, u32>,
    nonces: MemoryNonces,
}

fn engine(policy: Policy) -> Engine {
    Engine {
        policy,
        roles: Vec::new(),
        role_ids: Default::default(),
        nonces: MemoryNonces::default(),
    }
}

/// In the order of core.js's `OUTCOMES` (the packed decision carries the index).
const OUTCOMES: [crate::Outcome; 9] = [
    crate::Outcome::Allowed,
    crate::Outcome::NotRest,
    crate::Outcome::MethodNotAllowed,
    crate::Outcome::NotProcessable,
    crate::Outcome::NoRoute,
    crate::Outcome::Unauthorized,
    crate::Outcome::HttpsRequired,
    crate::Outcome::NotModelled,
    crate::Outcome::TooLong,
];

#[wasm_bindgen]
impl Engine {
    /// `{webapi:[{name,xml}], acl:[…], allowInsecure, insecureRoutes, webapiSecurityDi,
    /// stores:[{code,id,websiteId}], defaultStore, basePath, accountShare}`.
    #[wasm_bindgen(js_name = fromXml)]
    pub fn from_xml(text: &str) -> Result<Engine, JsValue> {
        let v = input::parse(text, "Engine.fromXml")?;
        let i = input::obj(&v, "Engine.fromXml")?;
        let mut b = Policy::builder().allow_insecure(i.bool("allowInsecure")?);
        if let Some(r) = i.strings("insecureRoutes")? {
            b = b.insecure_routes(r);
        }
        if let Some(di) = i.get("webapiSecurityDi") {
            let (name, xml) = named_xml(di, "webapiSecurityDi")?;
            b = b.insecure_routes_from_di_xml(&name, &xml);
        }
        if i.get("stores").is_some() {
            let stores = i
                .list("stores")?
                .iter()
                .map(store)
                .collect::<Result<Vec<_>, _>>()?;
            let default = match i.str("defaultStore")? {
                Some(d) => d.to_string(),
                None => stores.first().map(|s| s.code.clone()).unwrap_or_default(),
            };
            let stores = Stores::new(stores, &default).map_err(|e| {
                fail(
                    "ECONFIG",
                    e.to_string(),
                    obj([("diagnostics", Value::Array(Vec::new()))]),
                )
            })?;
            b = b.stores(stores);
        }
        if let Some(p) = i.str("basePath")? {
            b = b.base_path(p);
        }
        match i.str("accountShare")? {
            None | Some("website") => {}
            Some("global") => b = b.account_share(AccountShare::Global),
            Some(other) => {
                return Err(bad_input(
                    "accountShare",
                    format!("`{other}` is not website or global"),
                ))
            }
        }
        for x in i.list("webapi")? {
            let (name, xml) = named_xml(x, "webapi[]")?;
            b = b.webapi(name, xml);
        }
        for x in i.list("acl")? {
            let (name, xml) = named_xml(x, "acl[]")?;
            b = b.acl(name, xml);
        }
        match b.build() {
            Ok(p) => Ok(engine(p)),
            Err(e) => Err(fail(
                "ECONFIG",
                e.to_string(),
                obj([("diagnostics", diagnostics_value(&e.diagnostics))]),
            )),
        }
    }

    /// Load a compiled bundle.
    #[wasm_bindgen(js_name = fromBundle)]
    pub fn from_bundle(bytes: &[u8]) -> Result<Engine, JsValue> {
        bundle::from_bytes(bytes)
            .map(engine)
            .map_err(|e| fail("EBUNDLE", e.to_string(), Value::Null))
    }

    /// Serialise the policy as a bundle.
    #[wasm_bindgen(js_name = toBundle)]
    pub fn to_bundle(&self) -> Vec<u8> {
        bundle::to_bytes(&self.policy)
    }

    /// Register a role: `"all"` or a JSON list of resource ids. Returns its id (> 0).
    pub fn role(&mut self, resources: &str) -> Result<u32, JsValue> {
        if let Some(&id) = self.role_ids.get(resources) {
            return Ok(id);
        }
        let role = if resources == "all" {
            self.policy.role_all()
        } else {
            let v = input::parse(&format!("{{\"r\":{resources}}}"), "role resources")?;
            let list = input::obj(&v, "role resources")?
                .strings("r")?
                .unwrap_or_default();
            self.policy.role_from_resources(list)
        };
        if self.roles.len() >= 65_535 {
            self.roles.clear();
            self.role_ids.clear();
        }
        self.roles.push(role);
        let id = self.roles.len() as u32;
        self.role_ids.insert(resources.to_string(), id);
        Ok(id)
    }

    fn principal(&self, kind: u8, id: f64, website: u32, flags: u32, role: u32) -> Principal {
        let id = if id.is_finite() && id >= 0.0 {
            id as u64
        } else {
            0
        };
        let role = (role > 0)
            .then(|| self.roles.get(role as usize - 1).cloned())
            .flatten();
        match kind {
            1 => Principal::Customer {
                id,
                website_id: website,
                emulated: flags & 1 == 1,
            },
            2 => Principal::Admin { id, role },
            3 => Principal::Integration { id, role },
            _ => Principal::Guest,
        }
    }

    /// Build the principal from its numbers (`[kind, website, flags, role]`, and the
    /// id), decide, and hand the decision to `f`.
    fn with_decision<R>(
        &self,
        method: &str,
        path: &str,
        [kind, website, flags, role]: [u32; 4],
        id: f64,
        f: impl FnOnce(&crate::Decision<'_>, &Principal) -> R,
    ) -> R {
        let p = self.principal(kind as u8, id, website, flags, role);
        let d = self
            .policy
            .decide(&Request::new(method, path).https(flags & 2 == 0), &p);
        f(&d, &p)
    }

    /// Decide: `kind` 0 guest, 1 customer, 2 admin, 3 integration; `flags` bit 0
    /// emulated, bit 1 plain HTTP. Returns status | outcome << 10 | (route + 1) << 14.
    pub fn decide(
        &self,
        method: &str,
        path: &str,
        kind: u8,
        id: f64,
        website: u32,
        flags: u32,
        role: u32,
    ) -> u32 {
        self.with_decision(
            method,
            path,
            [kind as u32, website, flags, role],
            id,
            |d, _| {
                let outcome = OUTCOMES.iter().position(|o| *o == d.outcome()).unwrap_or(1) as u32;
                let route = d.route().map(|r| r.index as u32 + 1).unwrap_or(0);
                d.status() as u32 | outcome << 10 | route << 14
            },
        )
    }

    /// The full decision as JSON (see `wire::decision_json`), with Magento's body.
    #[wasm_bindgen(js_name = decideJson)]
    pub fn decide_json(
        &self,
        method: &str,
        path: &str,
        kind: u8,
        id: f64,
        website: u32,
        flags: u32,
        role: u32,
    ) -> String {
        self.with_decision(
            method,
            path,
            [kind as u32, website, flags, role],
            id,
            |d, _| {
                let mut out = String::with_capacity(512);
                let mut o = ObjWriter::new(&mut out);
                wire::write_decision(&mut o, d, d.status(), d.allowed());
                o.opt_str("body", d.body().as_deref());
                o.end();
                out
            },
        )
    }

    /// The decision in words.
    pub fn explain(
        &self,
        method: &str,
        path: &str,
        kind: u8,
        id: f64,
        website: u32,
        flags: u32,
        role: u32,
    ) -> String {
        self.with_decision(
            method,
            path,
            [kind as u32, website, flags, role],
            id,
            wire::explain,
        )
    }

    /// Every route with the principal's access: JSON list.
    pub fn routes(
        &self,
        kind: u8,
        id: f64,
        website: u32,
        flags: u32,
        role: u32,
        store: Option<String>,
    ) -> String {
        let p = self.principal(kind, id, website, flags, role);
        let list: Vec<Value> = self
            .policy
            .routes()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let a = self.policy.route_access(i, &p, store.as_deref());
                obj([
                    ("url", r.url.as_str().into()),
                    ("method", r.method.as_str().into()),
                    (
                        "service",
                        format!("{}::{}", r.service_class, r.service_method).into(),
                    ),
                    ("resources", strs(&self.policy.effective_resources(i))),
                    ("allowed", a.allowed.into()),
                    ("missing", strs(&a.missing)),
                    ("secure", r.secure.into()),
                ])
            })
            .collect();
        crate::json::to_string(&Value::Array(list))
    }

    /// The route table: JSON list (url, method, service, resources, parameters, secure).
    #[wasm_bindgen(js_name = routeTable)]
    pub fn route_table(&self) -> String {
        let list: Vec<Value> = self
            .policy
            .routes()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let params = r
                    .parameters
                    .iter()
                    .map(|p| {
                        obj([
                            ("name", p.name.as_str().into()),
                            ("force", p.force.into()),
                            ("value", crate::json::opt_str(p.value.as_deref())),
                        ])
                    })
                    .collect();
                obj([
                    ("url", r.url.as_str().into()),
                    ("method", r.method.as_str().into()),
                    (
                        "service",
                        format!("{}::{}", r.service_class, r.service_method).into(),
                    ),
                    ("resources", strs(&self.policy.effective_resources(i))),
                    ("parameters", Value::Array(params)),
                    ("secure", r.secure.into()),
                ])
            })
            .collect();
        crate::json::to_string(&Value::Array(list))
    }

    /// The ACL tree as nested JSON `{id, title, sortOrder, children}`.
    #[wasm_bindgen(js_name = aclTree)]
    pub fn acl_tree(&self) -> String {
        let acl = self.policy.acl();
        fn node(acl: &crate::AclTree, i: u32) -> Value {
            let n = acl.node(i).expect("index from the tree");
            obj([
                ("id", n.id.as_str().into()),
                ("title", crate::json::opt_str(n.title.as_deref())),
                ("sortOrder", n.sort_order.into()),
                (
                    "children",
                    Value::Array(n.children.iter().map(|&c| node(acl, c)).collect()),
                ),
            ])
        }
        crate::json::to_string(&Value::Array(
            acl.roots.iter().map(|&r| node(acl, r)).collect(),
        ))
    }

    /// Warnings from loading, JSON list.
    pub fn diagnostics(&self) -> String {
        crate::json::to_string(&diagnostics_value(self.policy.diagnostics()))
    }

    /// Identify, decide and force parameters for one request (JSON), consulting the
    /// JS `sources` object (callbacks for sessions and accounts). Returns JSON.
    pub fn authorize(&mut self, request: &str, sources: &JsValue) -> Result<String, JsValue> {
        let rv = input::parse(request, "request")?;
        let r = input::obj(&rv, "request")?;
        let (method, url, body) = (r.req_str("method")?, r.req_str("url")?, r.str("body")?);
        let header_list = r.pairs("headers")?;
        let text = js_sys::JSON::stringify(sources)
            .map(String::from)
            .unwrap_or_else(|_| "{}".into());
        let sv = input::parse(&text, "sources")?;
        let cfg = input::obj(&sv, "sources")?;
        let now =
            cfg.num("now")?
                .ok_or_else(|| bad_input("sources", "`now` must be a number"))? as i64;
        let mut key = None;
        let mut revoked: Vec<((u8, u64), i64)> = Vec::new();
        if let Some(j) = cfg.get("jwt") {
            let j = input::obj(j, "sources.jwt")?;
            let alg = j
                .str("alg")?
                .unwrap_or("HS256")
                .parse::<JwtAlg>()
                .map_err(|e| bad_input("jwt.alg", e))?;
            key = Some((cached_jwt_key(j.req_str("cryptKey")?)?, alg));
            for r in j.list("revoked")? {
                let (t, id, before) = revocation(r)?;
                revoked.retain(|(k, _)| *k != (t, id));
                revoked.push(((t, id), before));
            }
        }
        let creds = match cfg.get("oauth") {
            Some(o) => {
                let o = input::obj(o, "sources.oauth")?;
                let store = MemoryCredentials::from_json(
                    &o.get("credentials")
                        .cloned()
                        .unwrap_or(Value::Null)
                        .to_string(),
                )
                .map_err(|e| bad_input("oauth.credentials", e))?;
                let profile = o
                    .str("profile")?
                    .unwrap_or("magento-2.4.7")
                    .parse::<Profile>()
                    .map_err(|e| bad_input("oauth.profile", e))?;
                Some((store, profile))
            }
            None => None,
        };
        // A function is dropped by JSON.stringify: it is called (below) with the
        // identified caller instead.
        let placeholders = match cfg.get("placeholders") {
            Some(p) => placeholders_from(p)?,
            None => Placeholders::default(),
        };
        let has_session = cfg.bool("hasSession")?;
        let session_cookie = cfg.str("sessionCookie")?.map(str::to_string);
        let callbacks = JsCallbacks {
            sources: sources.clone(),
            engine_roles: &self.roles,
        };
        let headers: Vec<(&str, &str)> = header_list
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let http = HttpRequest {
            method,
            url,
            headers,
            body,
        };
        let mut s = Sources::new(now);
        if let Some((k, alg)) = &key {
            s.jwt = Some(JwtSource {
                key: k,
                alg: *alg,
                revocations: Some(&revoked),
            });
        }
        if has_session {
            s.session = Some(&callbacks);
        }
        s.accounts = Some(&callbacks);
        if let Some(c) = &session_cookie {
            s.session_cookie = c;
        }
        if let Some((store, profile)) = &creds {
            s.oauth = Some(OAuthSource {
                profile: *profile,
                credentials: store,
                nonces: &mut self.nonces,
            });
        }
        let a = self.policy.authorize_with(&http, &mut s, &mut |p| {
            callbacks
                .placeholders_for(p)
                .unwrap_or_else(|| placeholders.clone())
        });
        let mut out = String::with_capacity(1024);
        let mut o = ObjWriter::new(&mut out);
        wire::write_decision(&mut o, &a.decision, a.status(), a.allowed());
        o.opt_str("body", a.response_body().as_deref());
        o.opt_str("requestBody", a.body.as_deref());
        let forced = o.key("forced");
        forced.push('[');
        for (i, f) in a.forced.iter().enumerate() {
            if i > 0 {
                forced.push(',');
            }
            let mut item = ObjWriter::new(forced);
            item.str("name", &f.name);
            crate::json::write_value(item.key("value"), &f.value);
            item.end();
        }
        forced.push(']');
        match &a.identity {
            Some(i) => {
                let mut id = ObjWriter::new(o.key("identity"));
                id.str("type", i.principal.kind());
                id.uint("id", i.principal.user_id());
                id.str("via", i.via.name());
                id.strs("notes", i.notes.iter().map(String::as_str));
                id.bool("needsOrigin", i.needs_origin);
                id.end();
            }
            None => o.key("identity").push_str("null"),
        }
        o.end();
        Ok(out)
    }
}

fn revocation(v: &Value) -> Result<(u8, u64, i64), JsValue> {
    let o = input::obj(v, "revoked[]")?;
    let n = |k: &str| {
        o.num(k).and_then(|x| {
            x.ok_or_else(|| bad_input("revoked[]", format!("`{k}` must be a number")))
        })
    };
    Ok((n("userType")? as u8, n("id")? as u64, n("before")? as i64))
}

/// Calls back into the JS sources object: `session(sid)`, `customerWebsite(id)`,
/// `adminRole(id)`, `integrationRole(id)` (each returning a role id from
/// `engine.role`, or nothing).
struct JsCallbacks<'a> {
    sources: JsValue,
    engine_roles: &'a [Role],
}

impl JsCallbacks<'_> {
    fn call(&self, name: &str, arg: JsValue) -> Option<JsValue> {
        let f = js_sys::Reflect::get(&self.sources, &JsValue::from_str(name)).ok()?;
        let f: &js_sys::Function = f.dyn_ref()?;
        let v = f.call1(&self.sources, &arg).ok()?;
        (!v.is_null() && !v.is_undefined()).then_some(v)
    }
    fn role(&self, name: &str, id: u64) -> Option<Role> {
        let v = self.call(name, JsValue::from_f64(id as f64))?.as_f64()?;
        (v >= 1.0)
            .then(|| self.engine_roles.get(v as usize - 1).cloned())
            .flatten()
    }
}

impl JsCallbacks<'_> {
    /// `sources.placeholders("type id")` when it is a function: the JS layer wraps the
    /// user's function, answers JSON text and rethrows the user's own errors after
    /// the call. `None`: no function (or no usable answer).
    fn placeholders_for(&self, p: &Principal) -> Option<Placeholders> {
        let mut caller = String::from(p.kind());
        caller.push(' ');
        crate::json::push_uint(&mut caller, p.user_id());
        let text = self
            .call("placeholders", JsValue::from_str(&caller))?
            .as_string()?;
        placeholders_from(&input::parse(&text, "sources.placeholders()").ok()?).ok()
    }
}

fn placeholders_from(v: &Value) -> Result<Placeholders, JsValue> {
    let p = input::obj(v, "sources.placeholders")?;
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

impl SessionLookup for JsCallbacks<'_> {
    fn customer(&self, sid: &str) -> Option<SessionCustomer> {
        let v = self.call("session", JsValue::from_str(sid))?;
        let get = |k: &str| js_sys::Reflect::get(&v, &JsValue::from_str(k)).ok();
        let id = get("id")?.as_f64()?;
        let website = get("website").and_then(|w| w.as_f64()).unwrap_or(1.0);
        let emulated = get("emulated").and_then(|e| e.as_bool()).unwrap_or(false);
        (id >= 1.0).then_some(SessionCustomer {
            id: id as u64,
            website_id: website as u32,
            emulated,
        })
    }
}

impl Accounts for JsCallbacks<'_> {
    fn customer_website(&self, id: u64) -> Option<u32> {
        self.call("customerWebsite", JsValue::from_f64(id as f64))?
            .as_f64()
            .map(|w| w as u32)
    }
    fn admin_role(&self, id: u64) -> Option<Role> {
        self.role("adminRole", id)
    }
    fn integration_role(&self, id: u64) -> Option<Role> {
        self.role("integrationRole", id)
    }
}

// ---- OAuth and JWT -----------------------------------------------------------------

/// `{method, url, body?, contentType?}` as (method, url, content type, body).
fn sign_input(v: &Value) -> Result<(String, String, Option<String>, Option<String>), JsValue> {
    let o = input::obj(v, "request")?;
    Ok((
        o.req_str("method")?.to_string(),
        o.req_str("url")?.to_string(),
        o.str("contentType")?.map(str::to_string),
        o.str("body")?.map(str::to_string),
    ))
}

fn oauth_err(e: oauth::OAuthError) -> JsValue {
    fail(
        "EOAUTH",
        e.message.clone(),
        obj([
            ("status", e.status.into()),
            ("oauthCode", e.code.into()),
            ("body", e.rest_body().into()),
        ]),
    )
}

/// Credentials keyed for signing (`oauth::Signer`): the JS layer keeps the last one,
/// so a widget signing every call with the same credentials passes and keys them once.
#[wasm_bindgen(js_name = OAuthSigner)]
pub struct OAuthSigner {
    inner: oauth::Signer,
}

#[wasm_bindgen(js_class = OAuthSigner)]
impl OAuthSigner {
    /// `profile` and `signatureMethod` may be empty (magento-2.4.7, HMAC-SHA256).
    #[wasm_bindgen(constructor)]
    pub fn new(
        consumer_key: String,
        consumer_secret: String,
        token: Option<String>,
        token_secret: Option<String>,
        profile: &str,
        signature_method: &str,
    ) -> Result<OAuthSigner, JsValue> {
        let profile: Profile = if profile.is_empty() {
            Ok(Profile::Magento247)
        } else {
            profile.parse()
        }
        .map_err(oauth_err)?;
        let method = match signature_method {
            "" => SignatureMethod::HmacSha256,
            m => SignatureMethod::parse(m)
                .ok_or_else(|| bad_input("signatureMethod", format!("unknown method {m}")))?,
        };
        let creds = ClientCredentials {
            consumer_key,
            consumer_secret,
            token,
            token_secret,
        };
        Ok(OAuthSigner {
            inner: oauth::Signer::new(&creds, profile, method).map_err(oauth_err)?,
        })
    }

    /// Sign a request. Arguments are positional strings (empty = absent) so that no
    /// JSON is parsed on the hot path; `params` is `name=value` lines (rare:
    /// oauth_callback, oauth_verifier). Returns `authorization \n baseString \n
    /// signature \n nonce` (the nonce last: a caller-chosen nonce may contain anything).
    #[allow(clippy::too_many_arguments)] // positional on purpose (see above)
    pub fn sign(
        &self,
        method: &str,
        url: &str,
        content_type: &str,
        body: Option<String>,
        timestamp: f64,
        nonce: Option<String>,
        realm: Option<String>,
        params: &str,
        version: bool,
    ) -> Result<String, JsValue> {
        if !(timestamp.is_finite() && timestamp >= 0.0) {
            return Err(bad_input(
                "options",
                "`timestamp` must be a non-negative number",
            ));
        }
        let extra = params
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                l.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .ok_or_else(|| bad_input("params", format!("`{l}` is not name=value")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let opts = SignOptions {
            profile: self.inner.profile(),
            method: self.inner.method(),
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
            body: body.as_deref(),
        };
        let s = self.inner.sign(&req, &opts).map_err(oauth_err)?;
        Ok([s.authorization, s.base_string, s.signature, s.nonce].join("\n"))
    }
}

/// The base string for a request and its protocol parameters.
#[wasm_bindgen(js_name = oauthBaseString)]
pub fn oauth_base_string(profile: &str, request: &str, protocol: &str) -> Result<String, JsValue> {
    let rv = input::parse(request, "request")?;
    let (method, url, content_type, body) = sign_input(&rv)?;
    let pv = input::parse(&format!("{{\"p\":{protocol}}}"), "protocol parameters")?;
    let params = input::obj(&pv, "protocol parameters")?.pairs("p")?;
    let profile: Profile = profile.parse().map_err(oauth_err)?;
    let req = SignedRequest {
        method: &method,
        url: &url,
        content_type: content_type.as_deref(),
        body: body.as_deref(),
    };
    oauth::base_string(profile, &req, &params).map_err(oauth_err)
}

/// A verifier with its own nonce memory.
#[wasm_bindgen]
pub struct OAuthVerifier {
    profile: Profile,
    store: MemoryCredentials,
    nonces: MemoryNonces,
}

#[wasm_bindgen]
impl OAuthVerifier {
    /// `credentials`: the JSON file format of the command line.
    #[wasm_bindgen(constructor)]
    pub fn new(profile: &str, credentials: &str) -> Result<OAuthVerifier, JsValue> {
        Ok(OAuthVerifier {
            profile: profile.parse().map_err(oauth_err)?,
            store: MemoryCredentials::from_json(credentials)
                .map_err(|e| bad_input("credentials", e))?,
            nonces: MemoryNonces::default(),
        })
    }

    /// `{method, url, authorization, contentType, body}` → `{valid:true, consumerKey,
    /// token, integration}`; failures throw with Magento's status and body.
    pub fn verify(&mut self, request: &str, now: f64) -> Result<String, JsValue> {
        let rv = input::parse(request, "request")?;
        let (method, url, content_type, body) = sign_input(&rv)?;
        let authorization = input::obj(&rv, "request")?
            .str("authorization")?
            .map(str::to_string);
        let req = SignedRequest {
            method: &method,
            url: &url,
            content_type: content_type.as_deref(),
            body: body.as_deref(),
        };
        let opts = oauth::VerifyOptions::new(self.profile, now as i64);
        match oauth::verify(
            &req,
            authorization.as_deref(),
            &self.store,
            &mut self.nonces,
            &opts,
        ) {
            Ok(Some(v)) => Ok(crate::json::to_string(&obj([
                ("valid", true.into()),
                ("consumerKey", v.consumer.key.as_str().into()),
                ("token", v.token.token.as_str().into()),
                ("integration", v.integration_id().into()),
            ]))),
            Ok(None) => Err(fail(
                "EOAUTH",
                "not an OAuth request",
                obj([("status", 401.into()), ("oauthCode", "not-oauth".into())]),
            )),
            Err(e) => Err(oauth_err(e)),
        }
    }
}

thread_local! {
    /// Derived JWT keys by `crypt/key`: the derivation hashes 2 KiB three times.
    static JWT_KEYS: std::cell::RefCell<Vec<(String, Rc<JwtKey>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Longest secret the module's caches keep (Magento's are 32 characters): hostile
/// megabyte-long keys are used once and dropped, not retained.
const CACHE_MAX_KEY: usize = 4096;

fn cached_jwt_key(crypt_key: &str) -> Result<Rc<JwtKey>, JsValue> {
    if let Some(k) = JWT_KEYS.with(|m| {
        m.borrow()
            .iter()
            .find(|(c, _)| c == crypt_key)
            .map(|(_, k)| k.clone())
    }) {
        return Ok(k);
    }
    let k = Rc::new(
        JwtKey::from_crypt_key(crypt_key)
            .map_err(|e| fail("EJWT", e.to_string(), obj([("reason", e.reason().into())])))?,
    );
    if crypt_key.len() > CACHE_MAX_KEY {
        return Ok(k);
    }
    JWT_KEYS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 16 {
            m.clear();
        }
        m.push((crypt_key.to_string(), k.clone()));
    });
    Ok(k)
}

/// Issue a Magento JWT (`kind`: customer, admin or integration).
#[wasm_bindgen(js_name = jwtIssue)]
pub fn jwt_issue(
    crypt_key: &str,
    alg: &str,
    kind: &str,
    uid: f64,
    iat: f64,
    ttl_minutes: f64,
) -> Result<String, JsValue> {
    let key = cached_jwt_key(crypt_key)?;
    let alg: JwtAlg = alg.parse().map_err(|e: token::JwtError| {
        fail("EJWT", e.to_string(), obj([("reason", e.reason().into())]))
    })?;
    let ttl = if ttl_minutes <= 0.0 {
        30
    } else {
        ttl_minutes as i64
    };
    let uid = if uid >= 1.0 && uid.is_finite() {
        uid as u64
    } else {
        0
    };
    let r = match kind {
        "customer" => token::issue(&key, alg, UserKind::Customer, uid, iat as i64, ttl),
        "admin" => token::issue(&key, alg, UserKind::Admin, uid, iat as i64, ttl),
        "integration" if uid > 0 => Ok(token::encode(
            &key,
            alg,
            &token::Claims {
                uid,
                utypid: 1,
                iat: iat as i64,
                exp: iat as i64 + ttl * 60,
            },
        )),
        "integration" => Err(token::JwtError::Key("user id must be non-zero".into())),
        other => {
            return Err(bad_input(
                "type",
                format!("`{other}` is not customer, admin or integration"),
            ))
        }
    };
    r.map_err(|e| fail("EJWT", e.to_string(), obj([("reason", e.reason().into())])))
}

/// Verify a Magento JWT. `revoked`: a JSON list of `{userType, id, before}`, or `""`.
/// Returns `"1 uid utypid iat exp"` or `"0 reason message"` (a compact string: this is
/// a hot path and JSON would dominate it).
#[wasm_bindgen(js_name = jwtVerify)]
pub fn jwt_verify(
    token: &str,
    crypt_key: &str,
    alg: &str,
    now: f64,
    revoked: &str,
) -> Result<String, JsValue> {
    let key = cached_jwt_key(crypt_key)?;
    let alg: JwtAlg = alg.parse().map_err(|e: token::JwtError| {
        fail("EJWT", e.to_string(), obj([("reason", e.reason().into())]))
    })?;
    let mut map: Vec<((u8, u64), i64)> = Vec::new();
    if !revoked.is_empty() {
        let rv = input::parse(&format!("{{\"r\":{revoked}}}"), "revoked")?;
        for r in input::obj(&rv, "revoked")?.list("r")? {
            let (t, id, before) = revocation(r)?;
            map.retain(|(k, _)| *k != (t, id));
            map.push(((t, id), before));
        }
    }
    let mut opts = token::VerifyOptions::new(alg, now as i64);
    if !map.is_empty() {
        opts = opts.revocations(&map);
    }
    Ok(match token::verify(token, &key, &opts) {
        Ok(c) => {
            let mut out = String::with_capacity(48);
            out.push('1');
            out.push(' ');
            crate::json::push_uint(&mut out, c.uid);
            out.push(' ');
            crate::json::push_uint(&mut out, c.utypid.into());
            for v in [c.iat, c.exp] {
                out.push(' ');
                crate::json::push_int(&mut out, v);
            }
            out
        }
        Err(e) => format!("0 {} {}", e.reason(), e),
    })
}

/// Decode without verifying (`now` < 0: no seconds-left figure).
#[wasm_bindgen(js_name = jwtDecode)]
pub fn jwt_decode(token: &str, now: f64) -> Result<String, JsValue> {
    let d = token::decode(token, (now >= 0.0).then_some(now as i64))
        .map_err(|e| fail("EJWT", e.to_string(), obj([("reason", e.reason().into())])))?;
    Ok(crate::json::to_string(&obj([
        ("header", d.header),
        ("claims", d.claims),
        ("uid", d.uid.into()),
        ("utypid", d.utypid.into()),
        ("iat", d.iat.into()),
        ("exp", d.exp.into()),
        ("secondsLeft", d.seconds_left.into()),
    ])))
}
