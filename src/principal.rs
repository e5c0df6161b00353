//! Who is calling (spec §3.1): guest, customer, admin or integration, with the
//! compiled role an admin or integration carries.

use crate::acl::Role;

/// Who is calling (spec §3.1). Admins and integrations carry their compiled role;
/// `None` means no `authorization_role` row (denied everything, `self` included).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Principal {
    /// No credentials (user type 4, id 0).
    Guest,
    /// A logged-in customer (type 3), by token or XHR session.
    Customer {
        /// `customer_id`; 0 never passes `self`.
        id: u64,
        /// The customer's website (`website_id`), for `self` (spec §3.3).
        website_id: u32,
        /// Recognised only through the persistent cart cookie: not logged in, so
        /// `self` is denied (spec §3.3, §8).
        emulated: bool,
    },
    /// An admin user (type 2) and the role of their group.
    Admin {
        /// `admin_user.user_id`.
        id: u64,
        /// The admin's role.
        role: Option<Role>,
    },
    /// An integration (type 1) and its permissions.
    Integration {
        /// `integration_id`.
        id: u64,
        /// The integration's permissions.
        role: Option<Role>,
    },
}

impl Principal {
    /// A logged-in (not emulated) customer of `website_id`.
    pub fn customer(id: u64, website_id: u32) -> Principal {
        Principal::Customer {
            id,
            website_id,
            emulated: false,
        }
    }

    /// Magento's user type id: integration 1, admin 2, customer 3, guest 4.
    pub fn user_type(&self) -> u8 {
        match self {
            Principal::Integration { .. } => 1,
            Principal::Admin { .. } => 2,
            Principal::Customer { .. } => 3,
            Principal::Guest => 4,
        }
    }

    /// The user id (0 for guests).
    pub fn user_id(&self) -> u64 {
        match self {
            Principal::Guest => 0,
            Principal::Customer { id, .. }
            | Principal::Admin { id, .. }
            | Principal::Integration { id, .. } => *id,
        }
    }

    /// `guest`, `customer`, `admin` or `integration`.
    pub fn kind(&self) -> &'static str {
        match self {
            Principal::Guest => "guest",
            Principal::Customer { .. } => "customer",
            Principal::Admin { .. } => "admin",
            Principal::Integration { .. } => "integration",
        }
    }
}
