//! Derived JWT keys, cached by `crypt/key`: the derivation pads the key to 2 KiB and
//! keys an HMAC state per algorithm, which costs more than verifying a token.

use std::sync::Arc;

use crate::token::{JwtError, JwtKey};

/// Most keys kept (a store has one; a multi-store tool a few).
pub const MAX_KEYS: usize = 16;
/// Longest `crypt/key` kept (Magento's are 32 characters; a hostile megabyte-long key
/// is derived, used once and dropped).
pub const MAX_SECRET_BYTES: usize = 4096;

/// A bounded cache of [`JwtKey`]s: past [`MAX_KEYS`] it starts again empty.
#[derive(Default)]
pub struct KeyCache {
    keys: Vec<(String, Arc<JwtKey>)>,
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyCache")
            .field("keys", &self.keys.len())
            .finish()
    }
}

impl KeyCache {
    /// The key derived from `crypt_key` (the last whitespace-separated key is used, as
    /// Magento does).
    pub fn get(&mut self, crypt_key: &str) -> Result<Arc<JwtKey>, JwtError> {
        if let Some((_, k)) = self.keys.iter().find(|(c, _)| c == crypt_key) {
            return Ok(k.clone());
        }
        let key = Arc::new(JwtKey::from_crypt_key(crypt_key)?);
        if crypt_key.len() <= MAX_SECRET_BYTES {
            if self.keys.len() >= MAX_KEYS {
                self.keys.clear();
            }
            self.keys.push((crypt_key.to_string(), key.clone()));
        }
        Ok(key)
    }
}
