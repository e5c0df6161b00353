//! The mage-policy manual: long-form documentation as rustdoc modules.
//!
//! * [`magento_quirks`] — the Magento behaviours the engine reproduces on purpose,
//!   even where they surprise.

pub mod magento_quirks;
