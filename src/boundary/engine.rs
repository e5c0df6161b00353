//! The state behind the JS layer's `Engine`: the policy and its role registry, and
//! the positional form of the hottest calls (`decide` crosses the boundary with
//! numbers and two strings, never JSON).

use std::sync::Arc;

use super::input::InputError;
use super::output;
use super::roles::RoleRegistry;
use super::OUTCOMES;
use crate::{Decision, Policy, Principal, Request};

/// A principal in positional form: `kind` 0 guest, 1 customer, 2 admin,
/// 3 integration; `website` NaN for "not given" (the default store's website);
/// `flags` bit 0 emulated, bit 1 plain HTTP; `role` a handle from
/// [`EngineState::role`] (0: no role).
#[derive(Debug, Clone, Copy)]
pub struct Positional {
    /// Principal kind.
    pub kind: u8,
    /// User id (a JS number).
    pub id: f64,
    /// Customer website (NaN: the default store's).
    pub website: f64,
    /// Bit 0 emulated, bit 1 plain HTTP.
    pub flags: u32,
    /// Role handle (0: none).
    pub role: f64,
}

/// What [`EngineState::decide`] returns when the role handle is no longer known (the
/// registry started again): register the resources again and retry. No real answer
/// packs to 0 (every status is at least 200).
pub const STALE_ROLE: u32 = 0;

/// The principal `p` describes, its role from `roles`; `None` when the role handle is
/// stale.
pub fn positional_principal(
    policy: &Policy,
    roles: &RoleRegistry,
    p: Positional,
) -> Option<Principal> {
    let id = whole(p.id);
    let role = if p.role >= 1.0 {
        Some(roles.get(whole(p.role))?.clone())
    } else {
        None
    };
    Some(match p.kind {
        1 => Principal::Customer {
            id,
            website_id: if p.website.is_nan() {
                policy.stores().default_store().website_id
            } else {
                whole(p.website).min(u32::MAX.into()) as u32
            },
            emulated: p.flags & 1 == 1,
        },
        2 => Principal::Admin { id, role },
        3 => Principal::Integration { id, role },
        _ => Principal::Guest,
    })
}

/// A policy and the roles compiled against it.
#[derive(Debug)]
pub struct EngineState {
    policy: Arc<Policy>,
    roles: RoleRegistry,
}

fn whole(v: f64) -> u64 {
    if v.is_finite() && v >= 0.0 {
        v as u64
    } else {
        0
    }
}

impl EngineState {
    /// State for `policy`.
    pub fn new(policy: Policy) -> EngineState {
        EngineState {
            policy: Arc::new(policy),
            roles: RoleRegistry::default(),
        }
    }

    /// The policy (shared with gateways built over it).
    pub fn policy(&self) -> &Arc<Policy> {
        &self.policy
    }

    /// Register the role whose resources are the JSON text `key`; its handle.
    pub fn role(&mut self, key: &str) -> Result<f64, InputError> {
        self.roles
            .register(&self.policy, key)
            .map(|(id, _)| id as f64)
    }

    fn principal(&self, p: Positional) -> Option<Principal> {
        positional_principal(&self.policy, &self.roles, p)
    }

    fn with<R>(
        &self,
        method: &str,
        path: &str,
        p: Positional,
        f: impl FnOnce(&Decision<'_>, &Principal) -> R,
    ) -> Option<R> {
        let principal = self.principal(p)?;
        let d = self.policy.decide(
            &Request::new(method, path).https(p.flags & 2 == 0),
            &principal,
        );
        Some(f(&d, &principal))
    }

    /// The decision packed into a number: status | outcome index << 10 | (route
    /// index + 1) << 14 (0 before routing); [`STALE_ROLE`] for a stale role handle.
    pub fn decide(&self, method: &str, path: &str, p: Positional) -> u32 {
        self.with(method, path, p, |d, _| {
            let outcome = OUTCOMES.iter().position(|o| *o == d.outcome()).unwrap_or(1) as u32;
            let route = d.route().map_or(0, |r| r.index as u32 + 1);
            u32::from(d.status()) | outcome << 10 | route << 14
        })
        .unwrap_or(STALE_ROLE)
    }

    /// The decision as JSON ([`output::decision`]); `None` for a stale role handle.
    pub fn decide_json(&self, method: &str, path: &str, p: Positional) -> Option<String> {
        self.with(method, path, p, |d, _| output::decision(d))
    }

    /// The decision in words; `None` for a stale role handle.
    pub fn explain(&self, method: &str, path: &str, p: Positional) -> Option<String> {
        self.with(method, path, p, output::explain)
    }

    /// Every route with the principal's access, as a JSON array; `None` for a stale
    /// role handle.
    pub fn routes(&self, p: Positional, store: Option<&str>) -> Option<String> {
        let principal = self.principal(p)?;
        Some(output::array(&output::routes(
            &self.policy,
            &principal,
            store,
        )))
    }
}
