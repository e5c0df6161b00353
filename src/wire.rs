//! The JSON shapes shared by the command-line tool and the JavaScript binding:
//! principals in, decisions out.
//!
//! Principal: `{"type":"guest"}`, `{"type":"customer","id":5,"website":1}`
//! (`"emulated":true` for a persistent-cart customer), `{"type":"admin","id":1,
//! "resources":"all"}` or `{"type":"integration","id":3,"resources":["Magento_Catalog::products"]}`
//! (no `resources`: no role row at all).
//!
//! Decision: `{"status":401,"allowed":false,"outcome":"unauthorized","message":"…",
//! "parameters":{"resources":"…"},"route":{"url":"…","method":"…","service":"Class::method"},
//! "params":{…},"leftover":{…},"resources":[…],"missing":[…],"store":{…},"processor":"sync"}`.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Deserialize;
use serde_json::Value;

use crate::acl::Role;
use crate::authorize::{Decision, Principal};
use crate::json::ObjWriter;
use crate::policy::Policy;

/// A principal as JSON.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum PrincipalSpec {
    /// `{"type":"guest"}`
    Guest,
    /// `{"type":"customer","id":5,"website":1,"emulated":false}`
    Customer {
        /// Customer id.
        id: u64,
        /// Website id (default 1).
        #[serde(default = "one")]
        website: u32,
        /// Persistent-cart emulation.
        #[serde(default)]
        emulated: bool,
    },
    /// `{"type":"admin","id":1,"resources":"all"|[…]}`
    Admin {
        /// Admin user id.
        id: u64,
        /// `"all"`, a list of resource ids, or absent (no role).
        #[serde(default)]
        resources: Option<Resources>,
    },
    /// `{"type":"integration","id":3,"resources":"all"|[…]}`
    Integration {
        /// Integration id.
        id: u64,
        /// `"all"`, a list of resource ids, or absent (no role).
        #[serde(default)]
        resources: Option<Resources>,
    },
}

fn one() -> u32 {
    1
}

/// `"all"` or a list of ACL resource ids.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash)]
#[serde(untagged)]
pub enum Resources {
    /// The string `"all"`.
    All(AllMarker),
    /// Ticked resource ids.
    List(Vec<String>),
}

/// Only the exact string `"all"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AllMarker;

impl<'de> Deserialize<'de> for AllMarker {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "all" {
            Ok(AllMarker)
        } else {
            Err(serde::de::Error::custom(format!(
                "resources must be \"all\" or a list of ids, not \"{s}\""
            )))
        }
    }
}

/// Compiles roles once per distinct resource list.
#[derive(Debug, Default)]
pub struct RoleCache {
    roles: Mutex<HashMap<Resources, Role>>,
}

impl RoleCache {
    /// The role for `res` in `policy`, compiled on first use.
    pub fn role(&self, policy: &Policy, res: &Resources) -> Role {
        let mut roles = self.roles.lock().unwrap_or_else(|e| e.into_inner());
        if roles.len() > 4096 {
            roles.clear(); // bounded: hostile callers cannot grow it without limit
        }
        roles
            .entry(res.clone())
            .or_insert_with(|| match res {
                Resources::All(_) => policy.role_all(),
                Resources::List(list) => policy.role_from_resources(list.iter().cloned()),
            })
            .clone()
    }
}

impl PrincipalSpec {
    /// Build the principal, compiling its role against `policy`.
    pub fn to_principal(&self, policy: &Policy, cache: &RoleCache) -> Principal {
        let role = |r: &Option<Resources>| r.as_ref().map(|r| cache.role(policy, r));
        match self {
            PrincipalSpec::Guest => Principal::Guest,
            PrincipalSpec::Customer {
                id,
                website,
                emulated,
            } => Principal::Customer {
                id: *id,
                website_id: *website,
                emulated: *emulated,
            },
            PrincipalSpec::Admin { id, resources } => Principal::Admin {
                id: *id,
                role: role(resources),
            },
            PrincipalSpec::Integration { id, resources } => Principal::Integration {
                id: *id,
                role: role(resources),
            },
        }
    }
}

/// A decision as a JSON object (the command-line `decide` output line).
pub fn decision_json(d: &Decision<'_>) -> Value {
    let mut text = String::new();
    let mut o = ObjWriter::new(&mut text);
    write_decision(&mut o, d, d.status(), d.allowed());
    o.end();
    serde_json::from_str(&text).expect("the object writer writes JSON")
}

/// The members of a decision's JSON object (see [`decision_json`]), written straight
/// into `o` (the JS layer reads decisions this way). `status` and `allowed` are
/// passed in: an authorized request reports its own.
pub(crate) fn write_decision(o: &mut ObjWriter<'_>, d: &Decision<'_>, status: u16, allowed: bool) {
    o.uint("status", status.into());
    o.bool("allowed", allowed);
    o.str("outcome", d.outcome().name());
    o.opt_str("message", d.message().as_deref());
    if let Some(p) = d.parameters() {
        o.pairs("parameters", p.iter().map(|(k, v)| (*k, v.as_str())));
    }
    match d.route() {
        Some(r) => {
            let mut route = ObjWriter::new(o.key("route"));
            route.str("url", &r.def.url);
            route.str("method", &r.def.method);
            route.str(
                "service",
                &[&*r.def.service_class, "::", &r.def.service_method].concat(),
            );
            route.end();
        }
        None => o.key("route").push_str("null"),
    }
    o.pairs("params", d.params().iter().map(|(k, v)| (*k, &**v)));
    if !d.leftover_params().is_empty() {
        o.pairs(
            "leftover",
            d.leftover_params().iter().map(|(k, v)| (*k, &**v)),
        );
    }
    o.strs("resources", d.required().iter().map(String::as_str));
    o.strs("missing", d.missing().iter().copied());
    let st = d.store();
    let mut store = ObjWriter::new(o.key("store"));
    store.str("code", &st.code);
    store.uint("id", st.id.into());
    store.uint("websiteId", st.website_id.into());
    store.end();
    o.opt_str("processor", d.processor().map(|p| p.name()));
}

/// A decision explained in words.
pub fn explain(d: &Decision<'_>, principal: &Principal) -> String {
    use crate::authorize::Outcome;
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
