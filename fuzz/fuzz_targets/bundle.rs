//! Bundle loading on arbitrary bytes (and on mutations of a real bundle, via the seed
//! corpus): an error, never a panic; a bundle that loads decides without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mage_policy::{bundle, Principal, Request};

fuzz_target!(|data: &[u8]| {
    if let Ok(policy) = bundle::from_bytes(data) {
        for (m, p) in [
            ("GET", "/rest/V1/products"),
            ("PUT", "/rest/default/V1/carts/mine/items/1"),
            ("GET", "/rest/all/V1/customers/5"),
        ] {
            let _ = policy
                .decide(&Request::new(m, p), &Principal::Guest)
                .status();
            let _ = policy
                .decide(&Request::new(m, p), &Principal::customer(5, 1))
                .status();
        }
        let again = bundle::to_bytes(&policy);
        assert!(
            bundle::from_bytes(&again).is_ok(),
            "a loaded bundle re-serialises into one that loads"
        );
    }
});
