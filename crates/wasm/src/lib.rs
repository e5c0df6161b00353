//! The wasm-bindgen binding of mage-policy: conversions only. Every export takes
//! strings, numbers and byte arrays, calls the engine's `boundary` module (which the
//! command-line tool uses too) and returns numbers or strings; the JS layer (`js/` in
//! the repository) turns those into the public API. Errors cross as JSON strings
//! `{"code","message",…}` that the JS layer rethrows as `Error` subclasses.
//!
//! Nothing here decides anything: options, defaults, roles, keys, the request
//! pipeline and every JSON shape live in `mage_policy::boundary`.

// The decision exports take the principal as positional numbers on purpose: an object
// would cost a conversion on every call of the hottest function.
#![allow(clippy::too_many_arguments)]

use std::sync::Arc;

use mage_policy::boundary::credentials::{self, Jwt};
use mage_policy::boundary::engine::{EngineState, Positional};
use mage_policy::boundary::gateway::{self, Gateway as GatewayState};
use mage_policy::boundary::options::EngineOptions;
use mage_policy::boundary::output::{self, Answer};
use mage_policy::boundary::{Failure, InputError};
use mage_policy::identity::SessionCustomer;
use mage_policy::oauth::{self, SignedRequest};
use mage_policy::token::JwtAlg;
use mage_policy::{bundle, Principal};
use wasm_bindgen::prelude::*;

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

fn fail(e: impl Into<Failure>) -> JsValue {
    JsValue::from_str(&e.into().to_json())
}

fn alg(name: &str) -> Result<JwtAlg, JsValue> {
    if name.is_empty() {
        return Ok(JwtAlg::default());
    }
    name.parse().map_err(fail)
}

/// A loaded policy and its roles.
#[wasm_bindgen]
pub struct Engine {
    state: EngineState,
}

fn positional(kind: u8, id: f64, website: f64, flags: u32, role: f64) -> Positional {
    Positional {
        kind,
        id,
        website,
        flags,
        role,
    }
}

#[wasm_bindgen]
impl Engine {
    /// Build from the JSON options (`EngineOptions::from_json`).
    #[wasm_bindgen(js_name = fromXml)]
    pub fn from_xml(options: &str) -> Result<Engine, JsValue> {
        let o = EngineOptions::from_json(options).map_err(fail)?;
        Ok(Engine {
            state: EngineState::new(o.build().map_err(fail)?),
        })
    }

    /// Load a compiled bundle.
    #[wasm_bindgen(js_name = fromBundle)]
    pub fn from_bundle(bytes: &[u8]) -> Result<Engine, JsValue> {
        Ok(Engine {
            state: EngineState::new(bundle::from_bytes(bytes).map_err(fail)?),
        })
    }

    /// Serialise the policy as a bundle.
    #[wasm_bindgen(js_name = toBundle)]
    pub fn to_bundle(&self) -> Vec<u8> {
        bundle::to_bytes(self.state.policy())
    }

    /// Register a role by the JSON text of its resources; its handle.
    pub fn role(&mut self, key: &str) -> Result<f64, JsValue> {
        self.state.role(key).map_err(fail)
    }

    /// The packed decision (`EngineState::decide`; 0: stale role handle).
    pub fn decide(
        &self,
        method: &str,
        path: &str,
        kind: u8,
        id: f64,
        website: f64,
        flags: u32,
        role: f64,
    ) -> u32 {
        self.state
            .decide(method, path, positional(kind, id, website, flags, role))
    }

    /// The decision as JSON (`undefined`: stale role handle).
    #[wasm_bindgen(js_name = decideJson)]
    pub fn decide_json(
        &self,
        method: &str,
        path: &str,
        kind: u8,
        id: f64,
        website: f64,
        flags: u32,
        role: f64,
    ) -> Option<String> {
        self.state
            .decide_json(method, path, positional(kind, id, website, flags, role))
    }

    /// The decision in words (`undefined`: stale role handle).
    pub fn explain(
        &self,
        method: &str,
        path: &str,
        kind: u8,
        id: f64,
        website: f64,
        flags: u32,
        role: f64,
    ) -> Option<String> {
        self.state
            .explain(method, path, positional(kind, id, website, flags, role))
    }

    /// Every route with the principal's access (`undefined`: stale role handle).
    pub fn routes(
        &self,
        kind: u8,
        id: f64,
        website: f64,
        flags: u32,
        role: f64,
        store: Option<String>,
    ) -> Option<String> {
        self.state
            .routes(positional(kind, id, website, flags, role), store.as_deref())
    }

    /// The route table as JSON.
    #[wasm_bindgen(js_name = routeTable)]
    pub fn route_table(&self) -> String {
        output::route_table(self.state.policy())
    }

    /// The ACL tree as JSON.
    #[wasm_bindgen(js_name = aclTree)]
    pub fn acl_tree(&self) -> String {
        output::acl_tree(self.state.policy().acl())
    }

    /// Warnings from loading, as JSON.
    pub fn diagnostics(&self) -> String {
        output::diagnostics(self.state.policy().diagnostics())
    }

    /// `[maxPathBytes, maxHeaderBytes, maxHeaders, maxBodyBytes]`: the JS layer stops
    /// reading a request's headers past these.
    pub fn limits(&self) -> Vec<u32> {
        let l = self.state.policy().settings().limits;
        [
            l.max_path_bytes,
            l.max_header_bytes,
            l.max_headers,
            l.max_body_bytes,
        ]
        .iter()
        .map(|&n| n.min(u32::MAX as usize) as u32)
        .collect()
    }
}

#[wasm_bindgen]
extern "C" {
    /// The JS layer's answers for a gateway (see `gateway::Callbacks`). Each returns
    /// data and never throws: the JS layer keeps what a user's function throws and
    /// rethrows it after the call.
    pub type Callbacks;
    /// `"id website emulated"` (website 0: not given), or `undefined`.
    #[wasm_bindgen(method, structural)]
    fn session(this: &Callbacks, sid: &str) -> Option<String>;
    /// The website, or NaN.
    #[wasm_bindgen(method, structural, js_name = customerWebsite)]
    fn customer_website(this: &Callbacks, id: f64) -> f64;
    /// The role's resources as JSON text, or `undefined` for no role.
    #[wasm_bindgen(method, structural, js_name = adminRole)]
    fn admin_role(this: &Callbacks, id: f64) -> Option<String>;
    /// As `adminRole`.
    #[wasm_bindgen(method, structural, js_name = integrationRole)]
    fn integration_role(this: &Callbacks, id: f64) -> Option<String>;
    /// Placeholder values as JSON text, or `undefined`.
    #[wasm_bindgen(method, structural)]
    fn placeholders(this: &Callbacks, kind: &str, id: f64) -> Option<String>;
}

struct JsCallbacks<'a>(&'a Callbacks);

impl gateway::Callbacks for JsCallbacks<'_> {
    fn session(&self, sid: &str) -> Option<SessionCustomer> {
        gateway::session_compact(&self.0.session(sid)?)
    }
    fn customer_website(&self, id: u64) -> Option<u32> {
        let w = self.0.customer_website(id as f64);
        (w.is_finite() && w >= 0.0 && w <= u32::MAX as f64).then_some(w as u32)
    }
    fn admin_role(&self, id: u64) -> Option<String> {
        self.0.admin_role(id as f64)
    }
    fn integration_role(&self, id: u64) -> Option<String> {
        self.0.integration_role(id as f64)
    }
    fn placeholders(&self, caller: &Principal) -> Option<String> {
        self.0.placeholders(caller.kind(), caller.user_id() as f64)
    }
}

/// The edge's handle: a policy and everything that identifies callers, and the last
/// answer (`output::Answer`), which the JS layer reads right after each request.
#[wasm_bindgen]
pub struct Gateway {
    state: GatewayState,
    last: Answer,
    /// The last answer's numbers — info, id, website, role — where the JS layer reads
    /// them straight from the module's memory (`answer` gives the address).
    numbers: Box<[f64; 4]>,
    /// Where the JS layer writes each request (`TextEncoder.encodeInto`, which is
    /// several times faster than passing a long string through the generated glue).
    input: Vec<u8>,
}

/// The module's memory, for the JS layer's views of a gateway's input buffer.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Input buffers are trimmed back to this after a larger request.
const INPUT_KEPT: usize = 64 << 10;

/// The address of `buf` made at least `len` bytes long (zero-filled, so that what the
/// JS layer does not write is still initialised; trimmed after a large request).
fn input_buffer(buf: &mut Vec<u8>, len: u32) -> u32 {
    let len = len as usize;
    if buf.len() > INPUT_KEPT && len <= INPUT_KEPT {
        *buf = vec![0; INPUT_KEPT];
    }
    if buf.len() < len {
        buf.resize(len, 0);
    }
    buf.as_ptr() as u32
}

/// Consecutive texts of these byte lengths at the start of `buf` (< 0: absent).
fn input_parts<const N: usize>(
    buf: &[u8],
    lengths: [i32; N],
) -> Result<[Option<&str>; N], JsValue> {
    let mut out = [None; N];
    let mut at = 0usize;
    for (slot, len) in out.iter_mut().zip(lengths) {
        let Ok(len) = usize::try_from(len) else {
            continue;
        };
        let bytes = buf
            .get(at..at + len)
            .ok_or_else(|| fail(InputError::new("request", "longer than its buffer")))?;
        *slot = Some(
            std::str::from_utf8(bytes)
                .map_err(|_| fail(InputError::new("request", "not UTF-8")))?,
        );
        at += len;
    }
    Ok(out)
}

#[wasm_bindgen]
impl Gateway {
    /// A gateway over `engine`'s policy, from the JSON sources (`GatewayOptions`).
    #[wasm_bindgen(constructor)]
    pub fn new(engine: &Engine, sources: &str) -> Result<Gateway, JsValue> {
        Ok(Gateway {
            state: GatewayState::from_json(Arc::clone(engine.state.policy()), sources)
                .map_err(fail)?,
            last: Answer::default(),
            numbers: Box::new([0.0; 4]),
            input: Vec::new(),
        })
    }

    /// The address of an input buffer of at least `len` bytes (zero-filled, so that
    /// what the JS layer does not write is still initialised).
    pub fn input(&mut self, len: u32) -> u32 {
        input_buffer(&mut self.input, len)
    }

    /// Authorize the request written into the input buffer: its first `lines` bytes
    /// are the request lines (`gateway::request_lines`), the `body` bytes after them
    /// the body (`body` < 0: none). The packed decision; the rest of the answer
    /// through the getters below.
    #[wasm_bindgen(js_name = authorizeInput)]
    pub fn authorize_input(
        &mut self,
        lines: u32,
        body: i32,
        now: f64,
        callbacks: &Callbacks,
    ) -> Result<u32, JsValue> {
        let [request, body] = input_parts(&self.input, [lines as i32, body])?;
        let request = request.unwrap_or_default();
        let req = gateway::request_lines(request, body)
            .ok_or_else(|| fail(InputError::new("request", "expected method and URL lines")))?;
        self.last = self
            .state
            .answer(&req, now as i64, &JsCallbacks(callbacks))
            .map_err(fail)?;
        *self.numbers = [
            f64::from(self.last.info),
            self.last.id as f64,
            f64::from(self.last.website),
            self.last.role as f64,
        ];
        Ok(self.last.packed)
    }

    /// The address of the last answer's numbers: `[info, id, website, role]` as f64.
    #[wasm_bindgen(js_name = answerNumbers)]
    pub fn answer_numbers(&self) -> u32 {
        self.numbers.as_ptr() as u32
    }

    /// The last answer's texts that are present (see `info`), in the order body,
    /// request body, forced, notes, joined by NUL (none of them contains one: all are
    /// JSON, which escapes it).
    pub fn texts(&mut self) -> String {
        let l = &mut self.last;
        [
            l.body.take(),
            l.request_body.take(),
            l.forced.take(),
            l.notes.take(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\u{0}")
    }

    /// The decision of an authorized request as JSON (`undefined`: stale role).
    pub fn decision(
        &self,
        method: &str,
        url: &str,
        kind: u8,
        id: f64,
        website: f64,
        flags: u32,
        role: f64,
    ) -> Option<String> {
        self.state
            .decision(method, url, positional(kind, id, website, flags, role))
    }

    /// Record a revocation (`userType` 1–3; a later one for a user wins).
    pub fn revoke(&mut self, user_type: u8, id: f64, before: f64) {
        self.state.revoke(user_type, id as u64, before as i64);
    }
}

/// Credentials keyed for signing (`oauth::Signer`): the JS layer keeps the last one,
/// so a widget signing every call with the same credentials keys them once.
#[wasm_bindgen(js_name = OAuthSigner)]
pub struct OAuthSigner {
    inner: oauth::Signer,
}

#[wasm_bindgen(js_class = OAuthSigner)]
impl OAuthSigner {
    /// `profile` and `signatureMethod` may be empty (the defaults).
    #[wasm_bindgen(constructor)]
    pub fn new(
        consumer_key: String,
        consumer_secret: String,
        token: Option<String>,
        token_secret: Option<String>,
        profile: &str,
        signature_method: &str,
    ) -> Result<OAuthSigner, JsValue> {
        Ok(OAuthSigner {
            inner: credentials::signer(
                consumer_key,
                consumer_secret,
                token,
                token_secret,
                profile,
                signature_method,
            )
            .map_err(fail)?,
        })
    }

    /// Sign (`credentials::sign_compact`).
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
        credentials::sign_compact(
            &self.inner,
            method,
            url,
            content_type,
            body.as_deref(),
            timestamp,
            nonce,
            realm,
            params,
            version,
        )
        .map_err(fail)
    }
}

/// The names behind the positional codes (`output::names`).
#[wasm_bindgen]
pub fn names() -> String {
    output::names()
}

/// The base string for a request and its protocol parameters.
#[wasm_bindgen(js_name = oauthBaseString)]
pub fn oauth_base_string(profile: &str, request: &str, protocol: &str) -> Result<String, JsValue> {
    credentials::base_string(profile, request, protocol).map_err(fail)
}

/// A verifier with its own nonce memory.
#[wasm_bindgen]
pub struct OAuthVerifier {
    inner: credentials::Verifier,
    /// Where the JS layer writes each request (as for `Gateway`).
    input: Vec<u8>,
}

#[wasm_bindgen]
impl OAuthVerifier {
    /// `profile` (empty: the default); `credentials`: the JSON file format of the
    /// command line.
    #[wasm_bindgen(constructor)]
    pub fn new(profile: &str, credentials: &str) -> Result<OAuthVerifier, JsValue> {
        Ok(OAuthVerifier {
            inner: credentials::Verifier::new(Some(profile), credentials).map_err(fail)?,
            input: Vec::new(),
        })
    }

    /// The address of an input buffer of at least `len` bytes (see `Gateway::input`).
    pub fn input(&mut self, len: u32) -> u32 {
        input_buffer(&mut self.input, len)
    }

    /// Verify the request written into the input buffer as consecutive parts: method,
    /// URL, Authorization, Content-Type and body, of these byte lengths (< 0: absent).
    /// The answer's JSON, or a thrown EOAUTH failure.
    #[wasm_bindgen(js_name = verifyInput)]
    pub fn verify_input(
        &mut self,
        method: i32,
        url: i32,
        authorization: i32,
        content_type: i32,
        body: i32,
        now: f64,
    ) -> Result<String, JsValue> {
        let parts = input_parts(
            &self.input,
            [method, url, authorization, content_type, body],
        )?;
        let req = SignedRequest {
            method: parts[0].unwrap_or("GET"),
            url: parts[1].unwrap_or_default(),
            content_type: parts[3],
            body: parts[4],
        };
        self.inner
            .verify(&req, parts[2], now as i64)
            .map(|v| credentials::oauth_verified(&v))
            .map_err(fail)
    }
}

/// Magento JWTs, keys derived once per `crypt/key`.
#[wasm_bindgen]
#[derive(Default)]
pub struct JwtTool {
    inner: Jwt,
}

#[wasm_bindgen]
impl JwtTool {
    /// An empty key cache.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JwtTool {
        JwtTool::default()
    }

    /// Issue (`ttl_minutes` NaN: Magento's default).
    pub fn issue(
        &mut self,
        crypt_key: &str,
        alg_name: &str,
        kind: &str,
        uid: f64,
        iat: f64,
        ttl_minutes: f64,
    ) -> Result<String, JsValue> {
        let uid = if uid.is_finite() && uid >= 1.0 {
            uid as u64
        } else {
            0
        };
        let ttl = ttl_minutes.is_finite().then_some(ttl_minutes as i64);
        self.inner
            .issue(crypt_key, alg(alg_name)?, kind, uid, iat as i64, ttl)
            .map_err(fail)
    }

    /// Verify; the compact answer (`credentials::jwt_verified_compact`).
    pub fn verify(
        &mut self,
        token: &str,
        crypt_key: &str,
        alg_name: &str,
        now: f64,
        revoked: &str,
    ) -> Result<String, JsValue> {
        let list = credentials::revocations(revoked).map_err(fail)?;
        let r = self
            .inner
            .verify(token, crypt_key, alg(alg_name)?, now as i64, &list)
            .map_err(fail)?;
        Ok(credentials::jwt_verified_compact(&r))
    }
}

/// Decode without verifying (`now` < 0: no seconds-left figure).
#[wasm_bindgen(js_name = jwtDecode)]
pub fn jwt_decode(token: &str, now: f64) -> Result<String, JsValue> {
    credentials::jwt_decoded(token, (now >= 0.0).then_some(now as i64)).map_err(fail)
}
