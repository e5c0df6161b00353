//! Forced parameters on arbitrary JSON bodies through the whole request pipeline (a
//! customer's bearer JWT): never a panic; when the body is rewritten, the forced values
//! are there and cannot be overridden from the body.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mage_policy::identity::{HttpRequest, JwtSource, Sources};
use mage_policy::forced::{Cart, Placeholders};
use mage_policy::token::{self, JwtAlg, JwtKey, UserKind};
use mage_policy::Policy;

#[path = "common.rs"]
mod common;

static STATE: OnceLock<(Policy, JwtKey, String)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (policy, key, bearer) = STATE.get_or_init(|| {
        let key = JwtKey::from_crypt_key("8f2c1d9e4b7a60315c9e2f4a7d1b3c5e").unwrap();
        let t = token::issue(
            &key,
            JwtAlg::HS256,
            UserKind::Customer,
            5,
            1_700_000_000,
            60,
        )
        .unwrap();
        (common::sample_policy(), key, format!("Bearer {t}"))
    });
    let parts = common::split(data, 2);
    let urls = [
        "https://shop.example.com/rest/V1/carts/mine/items",
        "https://shop.example.com/rest/default/V1/customers/me",
    ];
    let url = urls[parts[0].len() % urls.len()];
    let method = if url.ends_with("items") {
        "POST"
    } else {
        "PUT"
    };
    let body = &parts[1];
    let placeholders = Placeholders {
        customer_group_id: Some(serde_json::json!(1)),
        customer_store_id: Some(serde_json::json!(1)),
        cart: Some(Cart::Active(serde_json::json!(42))),
        ..Placeholders::default()
    };
    let req = HttpRequest {
        method,
        url,
        headers: vec![
            ("Authorization", bearer.as_str()),
            ("Content-Type", "application/json"),
        ],
        body: Some(body),
    };
    let mut s = Sources::new(1_700_000_100);
    s.jwt = Some(JwtSource::new(key, JwtAlg::HS256));
    let a = policy.authorize(&req, &mut s, &placeholders);
    if let Some(out) = &a.body {
        let v: serde_json::Value = serde_json::from_str(out).expect("the rewritten body is JSON");
        if method == "POST" {
            assert_eq!(
                v["cartItem"]["quote_id"],
                serde_json::json!(42),
                "forced cart id: {out}"
            );
        } else {
            assert_eq!(
                v["customer"]["id"],
                serde_json::json!(5),
                "forced customer id: {out}"
            );
        }
    }
});
