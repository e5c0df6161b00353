//! Every JSON shape the front ends print or return, written with serde_json: the
//! command line prints these lines and the JS layer reads them, so `mage-policy
//! decide` and `engine.decide`, `mage-policy authorize` and `gateway.authorize` give
//! the same JSON for the same question.
//!
//! * Decision: `{"status":401,"allowed":false,"outcome":"unauthorized","message":"…",
//!   "parameters":{"resources":"…"},"route":{"url":"…","method":"…","service":"Class::method"},
//!   "params":{…},"leftover":{…},"resources":[…],"missing":[…],"store":{"code","id","websiteId"},
//!   "processor":"sync","body":"…"}` (`parameters` only for 401, `leftover` only when a
//!   losing candidate left parameters, `body` is Magento's JSON body or `null`).
//! * Authorized request: the decision's members (with the request's own `status`,
//!   `allowed` and `body`), then `"refusal"` (`null` or a [`Refusal`](crate::Refusal)
//!   code), `"requestBody"`, `"forced":[{"name","value"}]` and `"identity"`
//!   (`null` or `{"type","id","via","notes","needsOrigin"}`).
//! * Route (for a principal): `{"url","method","service","resources","allowed","missing","secure"}`.
//! * Route table entry: `{"url","method","service","resources","parameters":[{"name","force","value"}],"secure"}`.
//! * ACL node: `{"id","title","sortOrder","children":[…]}`.
//! * Diagnostic: `{"severity","code","message","help"?,"location"?:{"file","line","column"}}`.

use std::borrow::Cow;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::acl::{AclTree, Role};
use crate::identity::Identity;
use crate::{Authorized, Decision, Diagnostic, Policy, Principal};

/// `[(name, value)]` as a JSON object, in order.
struct Pairs<'a, 'p>(&'a [(&'p str, Cow<'p, str>)]);

impl Serialize for Pairs<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (*k, &**v)))
    }
}

#[derive(Serialize)]
struct RouteRef<'a> {
    url: &'a str,
    method: &'a str,
    service: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StoreOut<'a> {
    code: &'a str,
    id: u32,
    website_id: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdentityOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u64,
    via: &'static str,
    notes: &'a [String],
    needs_origin: bool,
}

impl<'a> From<&'a Identity> for IdentityOut<'a> {
    fn from(i: &'a Identity) -> Self {
        IdentityOut {
            kind: i.principal.kind(),
            id: i.principal.user_id(),
            via: i.via.name(),
            notes: &i.notes,
            needs_origin: i.needs_origin,
        }
    }
}

/// The identity part of an authorized request: `{"type","id","via","notes","needsOrigin"}`.
pub fn identity(i: &Identity) -> String {
    serde_json::to_string(&IdentityOut::from(i)).unwrap_or_default()
}

#[derive(Serialize)]
struct ForcedOut<'a> {
    name: &'a str,
    value: &'a serde_json::Value,
}

/// What was forced: `[{"name","value"}]`.
fn forced_out(list: &[crate::forced::Applied]) -> Vec<ForcedOut<'_>> {
    list.iter()
        .map(|f| ForcedOut {
            name: &f.name,
            value: &f.value,
        })
        .collect()
}

struct DecisionJson<'a, 'p> {
    d: &'a Decision<'p>,
    status: u16,
    allowed: bool,
    body: Option<String>,
    authorized: Option<&'a Authorized<'p>>,
}

impl Serialize for DecisionJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.d;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("status", &self.status)?;
        m.serialize_entry("allowed", &self.allowed)?;
        m.serialize_entry("outcome", d.outcome().name())?;
        m.serialize_entry("message", &d.message())?;
        if let Some(p) = d.parameters() {
            m.serialize_entry("parameters", &Params(&p))?;
        }
        m.serialize_entry(
            "route",
            &d.route().map(|r| RouteRef {
                url: &r.def.url,
                method: &r.def.method,
                service: r.def.service(),
            }),
        )?;
        m.serialize_entry("params", &Pairs(d.params()))?;
        if !d.leftover_params().is_empty() {
            m.serialize_entry("leftover", &Pairs(d.leftover_params()))?;
        }
        m.serialize_entry("resources", d.required())?;
        m.serialize_entry("missing", d.missing())?;
        let st = d.store();
        m.serialize_entry(
            "store",
            &StoreOut {
                code: &st.code,
                id: st.id,
                website_id: st.website_id,
            },
        )?;
        m.serialize_entry("processor", &d.processor().map(|p| p.name()))?;
        m.serialize_entry("body", &self.body)?;
        if let Some(a) = self.authorized {
            m.serialize_entry("refusal", &a.refusal.as_ref().map(|r| r.code()))?;
            m.serialize_entry("requestBody", &a.body)?;
            m.serialize_entry("forced", &forced_out(&a.forced))?;
            m.serialize_entry("identity", &a.identity.as_ref().map(IdentityOut::from))?;
        }
        m.end()
    }
}

struct Params<'a>(&'a [(&'static str, String)]);

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (*k, v)))
    }
}

/// A decision as JSON (the command line's `decide` line, `engine.decide`'s details).
pub fn decision(d: &Decision<'_>) -> String {
    serde_json::to_string(&DecisionJson {
        d,
        status: d.status(),
        allowed: d.allowed(),
        body: d.body(),
        authorized: None,
    })
    .unwrap_or_default()
}

/// An authorized request as JSON (`mage-policy authorize`, `gateway.authorize`).
pub fn authorized(a: &Authorized<'_>) -> String {
    serde_json::to_string(&DecisionJson {
        d: &a.decision,
        status: a.status(),
        allowed: a.allowed(),
        body: a.response_body(),
        authorized: Some(a),
    })
    .unwrap_or_default()
}

/// Identity sources in the order of their positional codes (`via` in
/// [`authorized_compact`] is the index + 1; 0: nobody was identified).
pub const VIAS: [&str; 4] = ["bearer", "session", "oauth", "guest"];

/// Refusal codes in the order of their positional codes (index + 1; 0: none).
pub const REFUSALS: [&str; 5] = [
    "headers-too-large",
    "body-too-large",
    "oauth",
    "undecodable",
    "forced",
];

/// The names behind the positional codes, as JSON (`{"outcomes","refusals","vias",
/// "kinds"}`): the JS layer reads them once, so that no list is kept twice.
pub fn names() -> String {
    let outcomes: Vec<&str> = super::OUTCOMES.iter().map(|o| o.name()).collect();
    serde_json::json!({
        "outcomes": outcomes,
        "refusals": REFUSALS,
        "vias": VIAS,
        "kinds": super::principal::KINDS,
    })
    .to_string()
}

/// An authorized request as numbers and the few texts an edge reads on every request
/// — what the JS layer's `gateway.authorize` takes across the boundary instead of
/// JSON (the decision's details are derived again on demand, by
/// [`Gateway::decision`](super::gateway::Gateway::decision), from the principal
/// recorded here).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// status | outcome index << 10 | (route index + 1) << 14, as
    /// [`EngineState::decide`](super::engine::EngineState::decide) packs a decision.
    pub packed: u32,
    /// refusal (index in [`REFUSALS`] + 1, 0 none) | kind << 3 | via (index in
    /// [`VIAS`] + 1, 0: nobody identified) << 5 | needsOrigin << 8 | emulated << 9 |
    /// plain HTTP << 10 | has body << 11 | has request body << 12 | has forced << 13 |
    /// has notes << 14.
    pub info: u32,
    /// The principal decided for: user id.
    pub id: u64,
    /// Its website (customers).
    pub website: u32,
    /// Its role's handle in the gateway's registry (0: none).
    pub role: u64,
    /// Magento's body for a refusal.
    pub body: Option<String>,
    /// The request body with forced parameters applied.
    pub request_body: Option<String>,
    /// What was forced, as JSON (`[{"name","value"}]`), when anything was.
    pub forced: Option<String>,
    /// The identity's notes, as JSON, when there are any.
    pub notes: Option<String>,
}

impl Answer {
    /// The answer for `a`, decided for `principal` (`https`: how the request came;
    /// `role`: the principal's role handle).
    pub fn new(a: &Authorized<'_>, principal: &Principal, https: bool, role: u64) -> Answer {
        let d = &a.decision;
        let outcome = super::OUTCOMES
            .iter()
            .position(|o| *o == d.outcome())
            .unwrap_or(1) as u32;
        let route = d.route().map_or(0, |r| r.index as u32 + 1);
        let refusal = a
            .refusal
            .as_ref()
            .and_then(|r| REFUSALS.iter().position(|c| *c == r.code()))
            .map_or(0, |i| i as u32 + 1);
        let kind = super::principal::KINDS
            .iter()
            .position(|k| *k == principal.kind())
            .unwrap_or(0) as u32;
        let via = a
            .identity
            .as_ref()
            .and_then(|i| VIAS.iter().position(|v| *v == i.via.name()))
            .map_or(0, |i| i as u32 + 1);
        let (website, emulated) = match principal {
            Principal::Customer {
                website_id,
                emulated,
                ..
            } => (*website_id, *emulated),
            _ => (0, false),
        };
        let body = a.response_body();
        let forced = (!a.forced.is_empty())
            .then(|| serde_json::to_string(&forced_out(&a.forced)).unwrap_or_default());
        let notes = a
            .identity
            .as_ref()
            .filter(|i| !i.notes.is_empty())
            .map(|i| serde_json::to_string(&i.notes).unwrap_or_default());
        let needs_origin = a.identity.as_ref().is_some_and(|i| i.needs_origin);
        Answer {
            packed: u32::from(a.status()) | outcome << 10 | route << 14,
            info: refusal
                | kind << 3
                | via << 5
                | u32::from(needs_origin) << 8
                | u32::from(emulated) << 9
                | u32::from(!https) << 10
                | u32::from(body.is_some()) << 11
                | u32::from(a.body.is_some()) << 12
                | u32::from(forced.is_some()) << 13
                | u32::from(notes.is_some()) << 14,
            id: principal.user_id(),
            website,
            role,
            body,
            request_body: a.body.clone(),
            forced,
            notes,
        }
    }
}

#[derive(Serialize)]
struct RouteOut<'a> {
    url: &'a str,
    method: &'a str,
    service: String,
    resources: Vec<&'a str>,
    allowed: bool,
    missing: Vec<&'a str>,
    secure: bool,
}

/// Every route with the principal's access, one JSON object each (`store`: a store
/// code, `all` for the admin store, `None` for the default store).
pub fn routes(policy: &Policy, principal: &Principal, store: Option<&str>) -> Vec<String> {
    policy
        .routes()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let a = policy.route_access(i, principal, store);
            serde_json::to_string(&RouteOut {
                url: &r.url,
                method: &r.method,
                service: r.service(),
                resources: policy.effective_resources(i),
                allowed: a.allowed,
                missing: a.missing,
                secure: r.secure,
            })
            .unwrap_or_default()
        })
        .collect()
}

/// JSON lines joined into one JSON array.
pub fn array(items: &[String]) -> String {
    let mut out = String::with_capacity(items.iter().map(|s| s.len() + 1).sum::<usize>() + 2);
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
    out.push(']');
    out
}

#[derive(Serialize)]
struct ParamOut<'a> {
    name: &'a str,
    force: bool,
    value: Option<&'a str>,
}

#[derive(Serialize)]
struct TableRow<'a> {
    url: &'a str,
    method: &'a str,
    service: String,
    resources: Vec<&'a str>,
    parameters: Vec<ParamOut<'a>>,
    secure: bool,
}

/// The route table: a JSON array in load order.
pub fn route_table(policy: &Policy) -> String {
    let rows: Vec<TableRow<'_>> = policy
        .routes()
        .iter()
        .enumerate()
        .map(|(i, r)| TableRow {
            url: &r.url,
            method: &r.method,
            service: r.service(),
            resources: policy.effective_resources(i),
            parameters: r
                .parameters
                .iter()
                .map(|p| ParamOut {
                    name: &p.name,
                    force: p.force,
                    value: p.value.as_deref(),
                })
                .collect(),
            secure: r.secure,
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_default()
}

struct Node<'a>(&'a AclTree, u32);

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        if let Some(n) = self.0.node(self.1) {
            m.serialize_entry("id", &n.id)?;
            m.serialize_entry("title", &n.title)?;
            m.serialize_entry("sortOrder", &n.sort_order)?;
            let children: Vec<Node<'_>> = n.children.iter().map(|&c| Node(self.0, c)).collect();
            m.serialize_entry("children", &children)?;
        }
        m.end()
    }
}

/// The merged ACL tree as nested JSON.
pub fn acl_tree(acl: &AclTree) -> String {
    let roots: Vec<Node<'_>> = acl.roots.iter().map(|&r| Node(acl, r)).collect();
    serde_json::to_string(&roots).unwrap_or_default()
}

#[derive(Serialize)]
struct LocationOut<'a> {
    file: &'a str,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct DiagnosticOut<'a> {
    severity: &'static str,
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<LocationOut<'a>>,
}

pub(crate) fn diagnostic_values(list: &[Diagnostic]) -> serde_json::Value {
    serde_json::to_value(diagnostics_out(list)).unwrap_or_default()
}

fn diagnostics_out(list: &[Diagnostic]) -> Vec<DiagnosticOut<'_>> {
    list.iter()
        .map(|d| DiagnosticOut {
            severity: if d.is_error() { "error" } else { "warning" },
            code: d.code,
            message: &d.message,
            help: d.help.as_deref(),
            location: d.location.as_ref().map(|l| LocationOut {
                file: &l.file,
                line: l.line,
                column: l.column,
            }),
        })
        .collect()
}

/// Diagnostics as a JSON array.
pub fn diagnostics(list: &[Diagnostic]) -> String {
    serde_json::to_string(&diagnostics_out(list)).unwrap_or_default()
}

/// A decision explained in words.
pub fn explain(d: &Decision<'_>, principal: &Principal) -> String {
    use crate::Outcome;
    let mut s = String::new();
    let who = match principal {
        Principal::Guest => "a guest".to_string(),
        Principal::Customer {
            id,
            website_id,
            emulated,
        } => format!(
            "customer {id} of website {website_id}{}",
            if *emulated {
                " (persistent-cart emulation, not logged in)"
            } else {
                ""
            }
        ),
        Principal::Admin { id, role } => format!("admin {id} ({})", role_words(role)),
        Principal::Integration { id, role } => format!("integration {id} ({})", role_words(role)),
    };
    let store = d.store();
    s.push_str(&format!(
        "{} {} by {who}\n  path after store processing: {} (store `{}`, id {}, website {})\n",
        d.method(),
        if d.path().is_empty() {
            "(not a REST path)"
        } else {
            d.path()
        },
        d.path(),
        store.code,
        store.id,
        store.website_id
    ));
    if let Some(r) = d.route() {
        s.push_str(&format!(
            "  route: {} {} → {}::{} ({})\n",
            r.def.method,
            r.def.url,
            r.def.service_class,
            r.def.service_method,
            if r.exact {
                "exact match".to_string()
            } else if r.candidates > 1 {
                format!(
                    "{} candidates matched; the last in Magento's order wins",
                    r.candidates
                )
            } else {
                "matched by template".to_string()
            }
        ));
        for (k, v) in d.params() {
            s.push_str(&format!(
                "  path parameter {k} = \"{}\"\n",
                v.escape_debug()
            ));
        }
        for (k, v) in d.leftover_params() {
            s.push_str(&format!(
                "  leftover parameter {k} = \"{}\" (from a losing candidate; stays in the request)\n",
                v.escape_debug()
            ));
        }
        s.push_str(&format!(
            "  requires (all of): {}\n",
            d.required().join(", ")
        ));
        if !d.missing().is_empty() {
            // A loop rather than `join`: one `join` instantiation (over `String`) is
            // already in the wasm build; this one would add another.
            s.push_str("  not granted: ");
            for (i, m) in d.missing().iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                s.push_str(m);
            }
            s.push('\n');
        }
    }
    let verdict = match d.outcome() {
        Outcome::Allowed => "ALLOWED".to_string(),
        _ => format!("DENIED {}", d.status()),
    };
    s.push_str(&format!("  → {verdict}"));
    if let Some(body) = d.body() {
        s.push_str(&format!(" {body}"));
    } else if let Some(m) = d.message() {
        s.push_str(&format!(" ({m})"));
    }
    s.push('\n');
    s
}

fn role_words(role: &Option<Role>) -> String {
    match role {
        None => "no role".to_string(),
        Some(r) if r.has_all() => "role with all resources".to_string(),
        Some(r) => match r.source() {
            crate::acl::RoleSource::Resources(list) => {
                format!("role with {} resources", list.len())
            }
            crate::acl::RoleSource::Rules(rows) => format!("role with {} rule rows", rows.len()),
            crate::acl::RoleSource::All => "role with all resources".to_string(),
        },
    }
}
