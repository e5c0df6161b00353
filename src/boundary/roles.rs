//! The role registry: roles compiled once per distinct resource list, keyed by that
//! list. One registry type serves the command line, `engine.decide` and the gateway's
//! role callbacks, with one eviction rule.
//!
//! A role is found by its *content* (the JSON text of its resources: `"all"` or
//! `["Magento_Customer::customer"]`), never by who asked for it, so a cache hit can
//! only ever return the role the caller described. Handles given out to the JS layer
//! ([`RoleRegistry::register`]) are never reused: after an eviction an old handle is
//! unknown (and the JS layer registers the list again), it never names another role.
//!
//! ```
//! use mage_policy::boundary::roles::RoleRegistry;
//! # let policy = mage_policy::Policy::builder().acl("a.xml", r#"<config><acl><resources>
//! #   <resource id="Magento_Backend::admin"><resource id="Magento_Customer::customer"/></resource>
//! # </resources></acl></config>"#).build().unwrap();
//! let mut roles = RoleRegistry::default();
//! let (id, role) = roles.register(&policy, r#"["Magento_Customer::customer"]"#).unwrap();
//! assert!(role.is_allowed(&policy, "Magento_Customer::customer"));
//! assert_eq!(roles.register(&policy, r#"["Magento_Customer::customer"]"#).unwrap().0, id);
//! assert!(roles.get(id).is_some());
//! roles.clear();
//! assert!(roles.get(id).is_none()); // gone, not reassigned
//! assert_ne!(roles.register(&policy, r#""all""#).unwrap().0, id);
//! ```

use serde_json::Value;

use super::input::{self, InputError};
use crate::acl::{Role, RoleSource};
use crate::fasthash::FastMap;
use crate::Policy;

/// Most roles kept at once.
pub const MAX_ROLES: usize = 1024;
/// Most bytes of resource-list keys kept at once (a list longer than this is
/// compiled, used and not kept).
pub const MAX_KEY_BYTES: usize = 1 << 21;

/// `"all"` or a list of ACL resource ids: what a principal or a role callback gives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Resources {
    /// "Resource Access: All".
    All,
    /// Ticked resource ids, saved the way Magento's role editor saves them.
    List(Vec<String>),
}

impl Resources {
    /// `"all"` or an array of strings.
    pub fn from_value(v: &Value, what: &str) -> Result<Resources, InputError> {
        match v {
            Value::String(s) if s == "all" => Ok(Resources::All),
            Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .map(Resources::List)
                .ok_or_else(|| {
                    InputError::new(what, "resources must be \"all\" or an array of ACL ids")
                }),
            _ => Err(InputError::new(
                what,
                "resources must be \"all\" or an array of ACL ids",
            )),
        }
    }

    /// The registry key: the JSON text of the value (`"all"`, `["A","B"]`).
    pub fn key(&self) -> String {
        match self {
            Resources::All => "\"all\"".to_string(),
            Resources::List(list) => serde_json::to_string(list).unwrap_or_default(),
        }
    }

    fn compile(self, policy: &Policy) -> Role {
        match self {
            Resources::All => policy.role_all(),
            Resources::List(list) => Role::compile(policy.acl(), RoleSource::Resources(list)),
        }
    }
}

/// Compiled roles by resource list; handles for the JS layer. Bounded: past
/// [`MAX_ROLES`] roles or [`MAX_KEY_BYTES`] of keys it starts again empty.
#[derive(Debug)]
pub struct RoleRegistry {
    by_key: FastMap<String, (u64, Role)>,
    by_id: FastMap<u64, Role>,
    key_bytes: usize,
    next: u64,
}

impl Default for RoleRegistry {
    fn default() -> Self {
        RoleRegistry {
            by_key: FastMap::default(),
            by_id: FastMap::default(),
            key_bytes: 0,
            next: 1,
        }
    }
}

impl RoleRegistry {
    /// The role whose resources are the JSON text `key` (`"all"` or an array of
    /// ids), compiled on first sight, and its handle (> 0, never reused).
    pub fn register(&mut self, policy: &Policy, key: &str) -> Result<(u64, Role), InputError> {
        if let Some((id, role)) = self.by_key.get(key) {
            return Ok((*id, role.clone()));
        }
        let value = input::parse(key, "role resources")?;
        let role = Resources::from_value(&value, "role resources")?.compile(policy);
        let id = self.next;
        self.next += 1;
        if key.len() > MAX_KEY_BYTES {
            return Ok((id, role)); // used once, not kept
        }
        if self.by_key.len() >= MAX_ROLES || self.key_bytes + key.len() > MAX_KEY_BYTES {
            self.clear();
        }
        self.key_bytes += key.len();
        self.by_key.insert(key.to_string(), (id, role.clone()));
        self.by_id.insert(id, role.clone());
        Ok((id, role))
    }

    /// The role for `resources` (see [`register`](Self::register)).
    pub fn role(&mut self, policy: &Policy, resources: &Resources) -> Role {
        match self.register(policy, &resources.key()) {
            Ok((_, role)) => role,
            // The key is written by `Resources::key`: always readable.
            Err(_) => resources.clone().compile(policy),
        }
    }

    /// The role behind a handle, while it is kept.
    pub fn get(&self, id: u64) -> Option<&Role> {
        self.by_id.get(&id)
    }

    /// Forget every role (handles given out become unknown).
    pub fn clear(&mut self) {
        self.by_key.clear();
        self.by_id.clear();
        self.key_bytes = 0;
    }

    /// How many roles are kept.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether no role is kept.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}
