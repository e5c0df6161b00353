//! # mage-policy
//!
//! Magento 2's web API access policy: load a store's real `webapi.xml` and `acl.xml`,
//! resolve REST routes exactly as Magento does, decide whether a guest, customer,
//! admin role or integration may call them, and render Magento's exact refusal.
//!
//! ```
//! use mage_policy::{Policy, Principal, Request};
//!
//! let policy = Policy::builder()
//!     .webapi("webapi.xml", r#"<routes>
//!       <route url="/V1/customers/:customerId" method="GET">
//!         <service class="Magento\Customer\Api\CustomerRepositoryInterface" method="getById"/>
//!         <resources><resource ref="Magento_Customer::customer"/></resources>
//!       </route></routes>"#)
//!     .acl("acl.xml", r#"<config><acl><resources>
//!       <resource id="Magento_Backend::admin">
//!         <resource id="Magento_Customer::customer"/>
//!       </resource></resources></acl></config>"#)
//!     .build()?;
//!
//! let admin = Principal::Admin {
//!     id: 1,
//!     role: Some(policy.role_from_resources(["Magento_Customer::customer"])),
//! };
//! let d = policy.decide(&Request::new("GET", "/rest/V1/customers/12"), &admin);
//! assert!(d.allowed());
//! assert_eq!(d.params()[0].0, "customerId");
//! assert_eq!(d.params()[0].1, "12");
//!
//! let d = policy.decide(&Request::new("GET", "/rest/V1/customers/12"), &Principal::Guest);
//! assert_eq!(d.status(), 401);
//! assert_eq!(d.missing(), &["Magento_Customer::customer"]);
//! # Ok::<(), mage_policy::ConfigError>(())
//! ```
//!
//! Long-form documentation lives in [`manual`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod acl;
mod authorize;
pub mod boundary;
pub mod bundle;
pub mod config;
mod crypto;
mod decide;
mod diag;
mod fasthash;
pub mod forced;
pub mod identity;
mod json;
mod jsonparse;
pub mod manual;
pub mod oauth;
pub mod php;
mod policy;
mod principal;
mod router;
mod sort;
pub mod token;

pub use acl::{AclResource, AclTree, Role, RoleSource, RuleRow};
pub use authorize::{Authorized, Refusal};
pub use config::{ParamDef, RouteDef, XmlOptions};
pub use decide::{Decision, MatchedRoute, Outcome, PathParams, Request, RouteAccess};
pub use diag::{ConfigError, Diagnostic, Location, Severity};
pub use policy::{AccountShare, Limits, Policy, PolicyBuilder, Settings, DEFAULT_INSECURE_ROUTES};
pub use principal::Principal;
pub use router::path::{Processor, Store, StoreError, Stores};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
