//! Principals as JSON: `{"type":"guest"}`, `{"type":"customer","id":5,"website":1}`
//! (`"emulated":true` for a persistent-cart customer), `{"type":"admin","id":1,
//! "resources":"all"}` or `{"type":"integration","id":3,"resources":[…]}` (no
//! `resources`: no role row at all, denied everything).

use serde_json::Value;

use super::input::{self, InputError};
use super::roles::{Resources, RoleRegistry};
use crate::{Policy, Principal};

/// A principal as JSON describes it (roles not compiled yet).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PrincipalSpec {
    /// `{"type":"guest"}`.
    Guest,
    /// `{"type":"customer","id":5,"website":1,"emulated":false}`.
    Customer {
        /// Customer id.
        id: u64,
        /// Website id (absent: the default store's website).
        website: Option<u32>,
        /// Persistent-cart emulation.
        emulated: bool,
    },
    /// `{"type":"admin","id":1,"resources":"all"|[…]}`.
    Admin {
        /// Admin user id.
        id: u64,
        /// Absent: no role.
        resources: Option<Resources>,
    },
    /// `{"type":"integration","id":3,"resources":"all"|[…]}`.
    Integration {
        /// Integration id.
        id: u64,
        /// Absent: no role.
        resources: Option<Resources>,
    },
}

/// Principal types by name, in the order of their positional code (`guest` 0 …
/// `integration` 3).
pub const KINDS: [&str; 4] = ["guest", "customer", "admin", "integration"];

impl PrincipalSpec {
    /// Read a principal (absent or `null`: a guest).
    pub fn from_value(v: Option<&Value>, what: &str) -> Result<PrincipalSpec, InputError> {
        let Some(v) = v.filter(|v| !v.is_null()) else {
            return Ok(PrincipalSpec::Guest);
        };
        let o = input::obj(v, what)?;
        let id = || -> Result<u64, InputError> {
            o.uint("id", u64::MAX)?
                .ok_or_else(|| InputError::new(what, "`id` must be a whole number"))
        };
        let resources = || match o.get("resources") {
            None => Ok(None),
            Some(r) => Resources::from_value(r, what).map(Some),
        };
        match o.str("type")? {
            Some("guest") => {
                o.only(&["type"])?;
                Ok(PrincipalSpec::Guest)
            }
            Some("customer") => {
                o.only(&["type", "id", "website", "emulated"])?;
                Ok(PrincipalSpec::Customer {
                    id: id()?,
                    website: o.uint("website", u32::MAX.into())?.map(|w| w as u32),
                    emulated: o.bool("emulated")?,
                })
            }
            Some("admin") => {
                o.only(&["type", "id", "resources"])?;
                Ok(PrincipalSpec::Admin {
                    id: id()?,
                    resources: resources()?,
                })
            }
            Some("integration") => {
                o.only(&["type", "id", "resources"])?;
                Ok(PrincipalSpec::Integration {
                    id: id()?,
                    resources: resources()?,
                })
            }
            other => Err(InputError::new(
                what,
                format!(
                    "unknown principal type {} (guest, customer, admin, integration)",
                    other.map_or("(none)".to_string(), |t| format!(
                        "`{}`",
                        t.chars().take(32).collect::<String>()
                    ))
                ),
            )),
        }
    }

    /// Parse a principal from JSON text.
    pub fn from_json(text: &str, what: &str) -> Result<PrincipalSpec, InputError> {
        PrincipalSpec::from_value(Some(&input::parse(text, what)?), what)
    }

    /// The principal, its role compiled through `roles`.
    pub fn to_principal(&self, policy: &Policy, roles: &mut RoleRegistry) -> Principal {
        match self {
            PrincipalSpec::Guest => Principal::Guest,
            PrincipalSpec::Customer {
                id,
                website,
                emulated,
            } => Principal::Customer {
                id: *id,
                website_id: website.unwrap_or_else(|| policy.stores().default_store().website_id),
                emulated: *emulated,
            },
            PrincipalSpec::Admin { id, resources } => Principal::Admin {
                id: *id,
                role: resources.as_ref().map(|r| roles.role(policy, r)),
            },
            PrincipalSpec::Integration { id, resources } => Principal::Integration {
                id: *id,
                role: resources.as_ref().map(|r| roles.role(policy, r)),
            },
        }
    }
}
