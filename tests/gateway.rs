//! The edge handle (`boundary::gateway`): roles and account data supplied by the host
//! are honoured on first sight, callbacks answer with data, options are checked, and
//! the compact answer the JS layer reads agrees with the full JSON.

mod common;

use std::cell::Cell;
use std::sync::Arc;

use mage_policy::boundary::engine::Positional;
use mage_policy::boundary::gateway::{Callbacks, Gateway, NoCallbacks, OwnedRequest};
use mage_policy::boundary::roles::{RoleRegistry, MAX_ROLES};
use mage_policy::boundary::Failure;
use mage_policy::identity::SessionCustomer;
use mage_policy::oauth::{self, ClientCredentials, Profile, SignOptions, SignedRequest};
use mage_policy::token::{self, JwtKey, UserKind};
use mage_policy::Principal;
use serde_json::Value;

const CRYPT_KEY: &str = "8f2c1d9e4b7a60315c9e2f4a7d1b3c5e";
const NOW: i64 = 1_700_000_100;
const SHOP: &str = "https://shop.example.com";

fn gateway(sources: &str) -> Gateway {
    Gateway::from_json(Arc::new(common::sample_policy()), sources).unwrap()
}

fn bearer(uid: u64, kind: UserKind, iat: i64) -> (String, String) {
    let key = JwtKey::from_crypt_key(CRYPT_KEY).unwrap();
    let t = token::issue(&key, Default::default(), kind, uid, iat, 60).unwrap();
    ("Authorization".into(), format!("Bearer {t}"))
}

fn req(method: &str, path: &str, headers: Vec<(String, String)>) -> OwnedRequest {
    OwnedRequest {
        method: method.into(),
        url: format!("{SHOP}{path}"),
        headers,
        body: None,
    }
}

fn answer(g: &mut Gateway, r: &OwnedRequest, cb: &dyn Callbacks) -> Value {
    serde_json::from_str(&g.authorize(&r.as_http(), NOW, cb).unwrap()).unwrap()
}

#[test]
fn an_admin_role_given_as_data_is_honoured_on_the_first_request() {
    let mut g = gateway(&format!(
        r#"{{"jwt":{{"cryptKey":"{CRYPT_KEY}"}},"adminRole":{{"1":["Magento_Customer::customer"],"2":"all"}}}}"#
    ));
    let h = vec![bearer(1, UserKind::Admin, NOW - 10)];
    let a = answer(
        &mut g,
        &req("GET", "/rest/V1/customers/12", h.clone()),
        &NoCallbacks,
    );
    assert_eq!(
        (a["status"].as_u64(), a["identity"]["type"].as_str()),
        (Some(200), Some("admin"))
    );
    let a = answer(
        &mut g,
        &req("DELETE", "/rest/V1/customers/12", h),
        &NoCallbacks,
    );
    assert_eq!(a["status"], 401);
    assert_eq!(
        a["missing"],
        serde_json::json!(["Magento_Customer::delete"])
    );
    assert_eq!(
        a["body"],
        r#"{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Customer::delete"}}"#
    );
    let all = vec![bearer(2, UserKind::Admin, NOW - 10)];
    assert_eq!(
        answer(
            &mut g,
            &req("DELETE", "/rest/V1/customers/12", all),
            &NoCallbacks
        )["status"],
        200
    );
    let none = vec![bearer(3, UserKind::Admin, NOW - 10)];
    assert_eq!(
        answer(
            &mut g,
            &req("GET", "/rest/V1/customers/12", none),
            &NoCallbacks
        )["status"],
        401
    );
}

/// Answers from the host, counted.
struct Host {
    asked: Cell<u32>,
}

impl Callbacks for Host {
    fn admin_role(&self, id: u64) -> Option<String> {
        self.asked.set(self.asked.get() + 1);
        (id == 1).then(|| r#"["Magento_Customer::customer"]"#.to_string())
    }
    fn integration_role(&self, id: u64) -> Option<String> {
        (id == 7).then(|| r#"["Magento_CatalogInventory::cataloginventory"]"#.to_string())
    }
    fn session(&self, sid: &str) -> Option<SessionCustomer> {
        (sid == "abc").then_some(SessionCustomer {
            id: 9,
            website_id: 0,
            emulated: false,
        })
    }
    fn customer_website(&self, _id: u64) -> Option<u32> {
        Some(1)
    }
    fn placeholders(&self, caller: &Principal) -> Option<String> {
        Some(format!(r#"{{"cartId":{}}}"#, 100 + caller.user_id()))
    }
}

#[test]
fn callbacks_answer_with_data_and_never_need_the_engine() {
    let mut g = gateway(&format!(
        r#"{{"jwt":{{"cryptKey":"{CRYPT_KEY}"}},"adminRole":true,"integrationRole":true,"session":true,
            "customerWebsite":true,"placeholders":true}}"#
    ));
    let host = Host {
        asked: Cell::new(0),
    };
    let h = vec![bearer(1, UserKind::Admin, NOW - 10)];
    assert_eq!(
        answer(&mut g, &req("GET", "/rest/V1/customers/12", h), &host)["status"],
        200
    );
    assert_eq!(host.asked.get(), 1);
    let xhr = vec![
        ("Cookie".to_string(), "PHPSESSID=abc".to_string()),
        ("X-Requested-With".to_string(), "XMLHttpRequest".to_string()),
    ];
    let mut cart = req("POST", "/rest/V1/carts/mine/items", xhr);
    cart.headers
        .push(("Content-Type".into(), "application/json".into()));
    cart.body = Some(r#"{"cartItem":{"sku":"MH01","qty":1}}"#.into());
    let a = answer(&mut g, &cart, &host);
    assert_eq!(
        (a["status"].as_u64(), a["identity"]["id"].as_u64()),
        (Some(200), Some(9))
    );
    let body: Value = serde_json::from_str(a["requestBody"].as_str().unwrap()).unwrap();
    assert_eq!(body["cartItem"]["quote_id"], 109);
}

#[test]
fn an_integration_role_is_honoured_for_a_signed_request() {
    let (ck, cs, tk, ts) = (
        "a".repeat(32),
        "c".repeat(32),
        "b".repeat(32),
        "d".repeat(32),
    );
    let mut g = gateway(&format!(
        r#"{{"oauth":{{"credentials":{{"consumers":{{"{ck}":{{"secret":"{cs}","integration":{{"id":7}}}}}},
            "tokens":{{"{tk}":{{"secret":"{ts}","consumer":"{ck}","type":"access"}}}}}}}},"integrationRole":true}}"#
    ));
    let creds = ClientCredentials {
        consumer_key: ck,
        consumer_secret: cs,
        token: Some(tk),
        token_secret: Some(ts),
    };
    let signed = |method: &str, path: &str, nonce: &str| {
        let url = format!("{SHOP}{path}");
        let mut o = SignOptions::new(Profile::Magento247, NOW as u64);
        o.nonce = Some(nonce.into());
        let s = oauth::sign(
            &SignedRequest {
                method,
                url: &url,
                content_type: None,
                body: None,
            },
            &creds,
            &o,
        )
        .unwrap();
        req(
            method,
            path,
            vec![("Authorization".into(), s.authorization)],
        )
    };
    let host = Host {
        asked: Cell::new(0),
    };
    let a = answer(
        &mut g,
        &signed("PUT", "/rest/V1/stockItems/MB01", "n1"),
        &host,
    );
    assert_eq!(
        (a["status"].as_u64(), a["identity"]["via"].as_str()),
        (Some(200), Some("oauth"))
    );
    let a = answer(&mut g, &signed("GET", "/rest/V1/customers/12", "n2"), &host);
    assert_eq!(
        a["missing"],
        serde_json::json!(["Magento_Customer::customer"])
    );
    let replay = answer(
        &mut g,
        &signed("PUT", "/rest/V1/stockItems/MB01", "n1"),
        &host,
    );
    assert_eq!(
        (replay["status"].as_u64(), replay["refusal"].as_str()),
        (Some(401), Some("oauth"))
    );
}

#[test]
fn an_unusable_answer_is_an_input_error_not_a_guest() {
    struct Broken;
    impl Callbacks for Broken {
        fn admin_role(&self, _id: u64) -> Option<String> {
            Some("[1, 2".into())
        }
    }
    let mut g = gateway(&format!(
        r#"{{"jwt":{{"cryptKey":"{CRYPT_KEY}"}},"adminRole":true}}"#
    ));
    let r = req(
        "GET",
        "/rest/V1/customers/12",
        vec![bearer(1, UserKind::Admin, NOW - 10)],
    );
    match g.authorize(&r.as_http(), NOW, &Broken) {
        Err(Failure::Input(e)) => assert_eq!(e.what, "role resources"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn options_are_checked_and_name_the_member() {
    let policy = Arc::new(common::sample_policy());
    for (sources, what) in [
        (
            r#"{"jwt":{"cryptKey":"k","algorithm":"HS256"}}"#,
            "algorithm",
        ),
        (r#"{"jwks":{}}"#, "jwks"),
        (r#"{"adminRole":"all"}"#, "sources.adminRole"),
        (r#"{"adminRole":{"one":"all"}}"#, "one"),
        (r#"{"session":{"sid":{"customerId":5}}}"#, "customerId"),
        (
            r#"{"jwt":{"cryptKey":"k","revoked":[{"userType":9,"id":1,"before":1}]}}"#,
            "userType",
        ),
        (r#"{"oauth":{"profile":"magento-3"}}"#, "magento-3"),
        ("[]", "sources"),
    ] {
        let e = Gateway::from_json(policy.clone(), sources).unwrap_err();
        assert!(matches!(e, Failure::Input(_)), "{sources}: {e:?}");
        assert!(e.to_string().contains(what), "{sources}: {e}");
    }
}

#[test]
fn revocations_apply_to_tokens_verified_before() {
    let mut g = gateway(&format!(r#"{{"jwt":{{"cryptKey":"{CRYPT_KEY}"}}}}"#));
    let r = req(
        "GET",
        "/rest/V1/customers/me",
        vec![bearer(5, UserKind::Customer, NOW - 100)],
    );
    assert_eq!(answer(&mut g, &r, &NoCallbacks)["status"], 200);
    assert_eq!(
        answer(&mut g, &r, &NoCallbacks)["status"],
        200,
        "from the verified tokens"
    );
    g.revoke(3, 5, NOW - 50);
    let a = answer(&mut g, &r, &NoCallbacks);
    assert_eq!(a["status"], 401);
    assert!(
        a["identity"]["notes"][0]
            .as_str()
            .unwrap()
            .contains("revoked"),
        "{a}"
    );
    // Expiry too is checked at every use.
    let later = serde_json::from_str::<Value>(
        &g.authorize(&r.as_http(), NOW + 7200, &NoCallbacks).unwrap(),
    )
    .unwrap();
    assert!(
        later["identity"]["notes"][0]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{later}"
    );
}

#[test]
fn the_compact_answer_and_the_derived_decision_agree_with_the_full_json() {
    let sources = format!(
        r#"{{"jwt":{{"cryptKey":"{CRYPT_KEY}"}},"adminRole":{{"1":["Magento_Customer::customer"]}},
            "session":{{"abc":{{"id":7,"website":1}}}},"placeholders":{{"cartId":42}}}}"#
    );
    let mut full = gateway(&sources);
    let mut compact = gateway(&sources);
    let admin = bearer(1, UserKind::Admin, NOW - 10);
    let customer = bearer(5, UserKind::Customer, NOW - 10);
    let xhr = vec![
        ("Cookie".to_string(), "PHPSESSID=abc".to_string()),
        ("X-Requested-With".to_string(), "XMLHttpRequest".to_string()),
    ];
    let requests = [
        req("GET", "/rest/V1/directory/countries", vec![]),
        req("DELETE", "/rest/V1/customers/12", vec![admin.clone()]),
        req("GET", "/rest/V1/customers/m%65", vec![admin]),
        req(
            "GET",
            "/rest/default/V1/customers/me",
            vec![customer.clone()],
        ),
        req("PUT", "/rest/V1/carts/mine/items/5", vec![customer]),
        req("GET", "/rest/V1/carts/mine", xhr),
        req("PATCH", "/rest/V1/customers/me", vec![]),
        OwnedRequest {
            url: "http://shop.example.com/rest/V1/analytics/link".into(),
            ..req("GET", "", vec![])
        },
    ];
    for r in &requests {
        let json: Value =
            serde_json::from_str(&full.authorize(&r.as_http(), NOW, &NoCallbacks).unwrap())
                .unwrap();
        let a = compact.answer(&r.as_http(), NOW, &NoCallbacks).unwrap();
        assert_eq!(
            u64::from(a.packed & 0x3ff),
            json["status"].as_u64().unwrap(),
            "{}",
            r.url
        );
        let kind = (a.info >> 3) & 3;
        let p = Positional {
            kind: kind as u8,
            id: a.id as f64,
            website: if kind == 1 {
                f64::from(a.website)
            } else {
                f64::NAN
            },
            flags: ((a.info >> 9) & 1) | if a.info & 0x400 != 0 { 2 } else { 0 },
            role: a.role as f64,
        };
        let decision: Value =
            serde_json::from_str(&compact.decision(&r.method, &r.url, p).unwrap()).unwrap();
        for key in [
            "outcome",
            "message",
            "route",
            "params",
            "resources",
            "missing",
            "store",
            "processor",
        ] {
            assert_eq!(decision[key], json[key], "{key} of {} {}", r.method, r.url);
        }
        assert_eq!(a.body.as_deref(), json["body"].as_str());
        assert_eq!(a.request_body.as_deref(), json["requestBody"].as_str());
    }
}

#[test]
fn role_handles_are_never_reused() {
    let policy = common::sample_policy();
    let mut roles = RoleRegistry::default();
    let (first, _) = roles
        .register(&policy, r#"["Magento_Customer::customer"]"#)
        .unwrap();
    let mut seen = vec![first];
    for i in 0..MAX_ROLES + 10 {
        let (id, _) = roles.register(&policy, &format!(r#"["X::{i}"]"#)).unwrap();
        assert!(!seen.contains(&id));
        seen.push(id);
    }
    assert!(roles.len() <= MAX_ROLES);
    assert!(roles.get(first).is_none(), "evicted, not reassigned");
    let (again, role) = roles
        .register(&policy, r#"["Magento_Customer::customer"]"#)
        .unwrap();
    assert_ne!(again, first);
    assert!(role.is_allowed(&policy, "Magento_Customer::customer"));
    assert!(!role.is_allowed(&policy, "Magento_Customer::delete"));
}
