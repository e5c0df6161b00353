//! The engine compiled to wasm32, run by wasm-bindgen-test in Node and in headless
//! Chromium (`WASM_BINDGEN_USE_BROWSER=1`): spec vectors and golden values, plus the
//! platform's secure random source.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

use mage_policy::oauth::{self, ClientCredentials, Profile, SignOptions, SignedRequest};
use mage_policy::token::{self, JwtAlg, JwtKey, UserKind, VerifyOptions};
use mage_policy::{bundle, Policy, Principal, Request};
use wasm_bindgen_test::wasm_bindgen_test;

const WEBAPI: &str = r#"<routes>
  <route url="/V1/customers/me" method="GET"><service class="C" method="getById"/><resources><resource ref="self"/></resources></route>
  <route url="/V1/customers/:customerId" method="GET"><service class="C" method="getById"/><resources><resource ref="Magento_Customer::customer"/></resources></route>
  <route url="/V1/carts/:cartId/items/:itemId" method="PUT"><service class="Q" method="save"/><resources><resource ref="Magento_Cart::manage"/></resources></route>
  <route url="/V1/carts/mine/items/:itemId" method="PUT"><service class="Q" method="save"/><resources><resource ref="self"/></resources></route>
</routes>"#;
const ACL: &str = r#"<config><acl><resources><resource id="Magento_Backend::all"/><resource id="Magento_Backend::admin">
  <resource id="Magento_Customer::customer"/><resource id="Magento_Cart::manage"/></resource></resources></acl></config>"#;

fn policy() -> Policy {
    Policy::builder()
        .webapi("w.xml", WEBAPI)
        .acl("a.xml", ACL)
        .build()
        .unwrap()
}

#[wasm_bindgen_test]
fn routing_and_decisions_match_the_spec() {
    let p = policy();
    let d = p.decide(
        &Request::new("GET", "/rest/V1/customers/m%65"),
        &Principal::Guest,
    );
    assert_eq!(d.route().unwrap().def.url, "/V1/customers/:customerId");
    assert_eq!(d.params()[0].1, "me");
    assert_eq!(
        d.body().unwrap(),
        r#"{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Customer::customer"}}"#
    );
    let d = p.decide(
        &Request::new("PUT", "/rest/V1/carts/mine/items/5"),
        &Principal::customer(5, 1),
    );
    assert!(d.allowed());
    assert_eq!(d.leftover_params()[0].0, "cartId");
    let b = bundle::from_bytes(&bundle::to_bytes(&p)).unwrap();
    assert_eq!(
        b.decide(
            &Request::new("GET", "/rest/V1/customers/me"),
            &Principal::customer(5, 1)
        )
        .status(),
        200
    );
}

#[wasm_bindgen_test]
fn jwt_golden_token() {
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
    assert_eq!(t, "eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ.eyJ1aWQiOjUsInV0eXBpZCI6MywiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.kArhUfS0B-yPp2mCRt2w8aTmV65GbG158sqJDEVSQgw");
    assert!(token::verify(&t, &key, &VerifyOptions::new(JwtAlg::HS256, 1_700_000_100)).is_ok());
}

#[wasm_bindgen_test]
fn oauth_worked_example_and_random_nonce() {
    let creds = ClientCredentials {
        consumer_key: "a".repeat(32),
        consumer_secret: "c".repeat(32),
        token: Some("b".repeat(32)),
        token_secret: Some("d".repeat(32)),
    };
    let req = SignedRequest {
        method: "GET",
        url: "https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10",
        content_type: None,
        body: None,
    };
    let mut o = SignOptions::new(Profile::Magento247, 1_700_000_000);
    o.nonce = Some("n0nce".into());
    assert_eq!(
        oauth::sign(&req, &creds, &o).unwrap().signature,
        "j658MLJVyE0eQrmibIujUgCD2VAJPEGDvsgkP0D/Zmw="
    );
    o.nonce = None;
    let (a, b) = (
        oauth::sign(&req, &creds, &o).unwrap().nonce,
        oauth::sign(&req, &creds, &o).unwrap().nonce,
    );
    assert_eq!(a.len(), 32);
    assert_ne!(a, b);
}
