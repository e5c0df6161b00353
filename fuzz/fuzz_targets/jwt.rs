//! JWT verification and decoding on arbitrary tokens: never a panic, and nothing but a
//! token signed with the key verifies.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mage_policy::token::{self, JwtAlg, JwtKey, VerifyOptions};

static KEY: OnceLock<JwtKey> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let key =
        KEY.get_or_init(|| JwtKey::from_crypt_key("8f2c1d9e4b7a60315c9e2f4a7d1b3c5e").unwrap());
    let text = String::from_utf8_lossy(data);
    for alg in [JwtAlg::HS256, JwtAlg::HS512] {
        if let Ok(claims) = token::verify(&text, key, &VerifyOptions::new(alg, 1_700_000_000)) {
            // Only our own signatures verify: re-encoding gives the same token.
            assert_eq!(
                token::encode(key, alg, &claims),
                text,
                "a token verified that we did not sign"
            );
        }
    }
    let _ = token::decode(&text, Some(1_700_000_000));
    let _ = token::bearer(&text);
});
