//! # Magento quirks reproduced on purpose
//!
//! (Filled in below as behaviours are implemented.)
