//! Security properties, one test each, named as the property they check.

mod common;

use mage_policy::forced::{Cart, Placeholders};
use mage_policy::identity::{HttpRequest, JwtSource, Sources};
use mage_policy::oauth::{
    self, ClientCredentials, MemoryCredentials, MemoryNonces, Profile, SignOptions, SignedRequest,
    VerifyOptions,
};
use mage_policy::token::{self, JwtAlg, JwtKey, UserKind};
use mage_policy::{Outcome, Policy, Principal, Request};
use serde_json::json;

const NOW: i64 = 1_700_000_000;
// Magento's shapes: 32-character keys, tokens and secrets.
const CK: &str = "ck000000000000000000000000000001";
const CS: &str = "cs000000000000000000000000000001";
const TK: &str = "tk000000000000000000000000000001";
const TS: &str = "ts000000000000000000000000000001";
const BASE: &str = "https://shop.example.com";

fn key() -> JwtKey {
    JwtKey::from_crypt_key("8f2c1d9e4b7a60315c9e2f4a7d1b3c5e").unwrap()
}

fn customer_token() -> String {
    token::issue(&key(), JwtAlg::HS256, UserKind::Customer, 5, NOW, 60).unwrap()
}

/// Status and rewritten body of one request through the whole pipeline, with a JWT
/// source and a customer's placeholders.
fn call(
    policy: &Policy,
    method: &str,
    path: &str,
    headers: Vec<(&str, &str)>,
    body: Option<&str>,
) -> (u16, Option<serde_json::Value>) {
    let url = format!("{BASE}{path}");
    let k = key();
    let req = HttpRequest {
        method,
        url: &url,
        headers,
        body,
    };
    let mut s = Sources::new(NOW + 10);
    s.jwt = Some(JwtSource::new(&k, JwtAlg::HS256));
    let values = Placeholders {
        customer_group_id: Some(json!(1)),
        customer_store_id: Some(json!(1)),
        cart: Some(Cart::Active(json!(42))),
        ..Placeholders::default()
    };
    let a = policy.authorize(&req, &mut s, &values);
    (
        a.status(),
        a.body.as_deref().map(|b| serde_json::from_str(b).unwrap()),
    )
}

// ---- deny by default ---------------------------------------------------------------------

#[test]
fn unknown_routes_are_refused_for_every_caller() {
    let policy = common::sample_policy();
    let all = Principal::Admin {
        id: 1,
        role: Some(policy.role_all()),
    };
    for p in [Principal::Guest, Principal::customer(5, 1), all] {
        for path in [
            "/rest/V1/nope",
            "/rest/V1/customers/5/secret",
            "/rest/V2/customers/me",
            "/rest/V1",
        ] {
            let d = policy.decide(&Request::new("GET", path), &p);
            assert!(!d.allowed(), "{path} for {p:?}");
        }
    }
}

#[test]
fn an_unparsable_authorization_header_is_a_guest_never_a_user() {
    let policy = common::sample_policy();
    for header in [
        "Bearer",
        "Bearer ",
        "Bearer not.a.jwt",
        "Bearer a.b.c.d",
        "Basic dXNlcjpwYXNz",
        "Bearer \u{0}\u{0}",
        "bearer eyJ",
        "OAuthx",
    ] {
        let (status, _) = call(
            &policy,
            "GET",
            "/rest/V1/customers/me",
            vec![("Authorization", header)],
            None,
        );
        assert_eq!(status, 401, "{header:?}");
    }
}

// ---- JWT ------------------------------------------------------------------------------

#[test]
fn jwt_algorithm_confusion_is_rejected() {
    let k = key();
    let good = customer_token();
    let (_, rest) = good.split_once('.').unwrap();
    let payload = rest.split_once('.').unwrap().0;
    let b64 = |s: &str| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    };
    let opts = token::VerifyOptions::new(JwtAlg::HS256, NOW + 10);
    // alg none, with and without a signature part.
    for header in [
        r#"{"alg":"none"}"#,
        r#"{"kid":"1","alg":"none"}"#,
        r#"{"alg":"NONE"}"#,
    ] {
        for sig in ["", "AAAA"] {
            let t = format!("{}.{payload}.{sig}", b64(header));
            assert!(token::verify(&t, &k, &opts).is_err(), "{header} {sig:?}");
        }
    }
    // A correct HS512 signature is refused where the store uses HS256, and vice versa.
    let hs512 = token::issue(&k, JwtAlg::HS512, UserKind::Customer, 5, NOW, 60).unwrap();
    assert_eq!(
        token::verify(&hs512, &k, &opts).unwrap_err().reason(),
        "bad_alg"
    );
    let opts512 = token::VerifyOptions::new(JwtAlg::HS512, NOW + 10);
    assert_eq!(
        token::verify(&good, &k, &opts512).unwrap_err().reason(),
        "bad_alg"
    );
    // Another store's key.
    let other = JwtKey::from_crypt_key("another-store-key").unwrap();
    assert_eq!(
        token::verify(&good, &other, &opts).unwrap_err().reason(),
        "bad_signature"
    );
    // The header claiming HS256 over an HS512 signature.
    let sig512 = hs512.rsplit_once('.').unwrap().1;
    let spliced = format!("{}.{sig512}", good.rsplit_once('.').unwrap().0);
    assert!(token::verify(&spliced, &k, &opts).is_err());
}

#[test]
fn secrets_are_compared_without_timing_dependent_early_exits() {
    // Signatures (JWT and OAuth) are compared with the constant-time helper; the
    // source must not compare them with `==`.
    let root = env!("CARGO_MANIFEST_DIR");
    for (file, must) in [
        ("src/token.rs", "crypto::ct_eq(&expected, &parts.signature)"),
        (
            "src/oauth/verify.rs",
            "crypto::ct_eq(expected.as_bytes(), received)",
        ),
    ] {
        let src = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        assert!(src.contains(must), "{file} compares signatures with ct_eq");
        for bad in [
            "expected == ",
            "== expected",
            "signature == ",
            "== parts.signature",
            "received == ",
            "== received",
        ] {
            assert!(!src.contains(bad), "{file} contains `{bad}`");
        }
    }
    let crypto = std::fs::read_to_string(format!("{root}/src/crypto.rs")).unwrap();
    let body = &crypto[crypto.find("pub(crate) fn ct_eq").unwrap()..];
    let body = &body[..body.find("\n}\n").unwrap()];
    assert!(
        body.contains("diff |= x ^ y") && !body.contains("return false;\n        }\n    }"),
        "ct_eq folds every byte"
    );
}

// ---- OAuth --------------------------------------------------------------------------

fn signed(nonce: &str, secret: &str) -> (String, SignedRequest<'static>) {
    let creds = ClientCredentials {
        consumer_key: CK.into(),
        consumer_secret: secret.into(),
        token: Some(TK.into()),
        token_secret: Some(TS.into()),
    };
    let req = SignedRequest {
        method: "GET",
        url: "https://shop.example.com/rest/V1/products",
        content_type: None,
        body: None,
    };
    let mut o = SignOptions::new(Profile::Magento247, NOW as u64);
    o.nonce = Some(nonce.into());
    (oauth::sign(&req, &creds, &o).unwrap().authorization, req)
}

#[test]
fn an_oauth_nonce_is_accepted_once_also_after_a_failed_signature() {
    let store = MemoryCredentials::from_json(
        &format!(r#"{{"consumers":{{"{CK}":{{"secret":"{CS}"}}}},"tokens":{{"{TK}":{{"secret":"{TS}","consumer":"{CK}","type":"access"}}}}}}"#),
    )
    .unwrap();
    let mut nonces = MemoryNonces::default();
    let v = VerifyOptions::new(Profile::Magento247, NOW + 5);
    let (good, req) = signed("n1", CS);
    assert!(oauth::verify(&req, Some(&good), &store, &mut nonces, &v)
        .unwrap()
        .is_some());
    let replay = oauth::verify(&req, Some(&good), &store, &mut nonces, &v).unwrap_err();
    assert_eq!(replay.status(), 401);
    // A wrong signature burns its nonce: the right signature with that nonce is refused.
    let (forged, _) = signed("n2", "wrong-secret");
    assert_eq!(
        oauth::verify(&req, Some(&forged), &store, &mut nonces, &v)
            .unwrap_err()
            .code(),
        "bad-signature"
    );
    let (late, _) = signed("n2", CS);
    assert_eq!(
        oauth::verify(&req, Some(&late), &store, &mut nonces, &v)
            .unwrap_err()
            .status(),
        401
    );
}

// ---- self -----------------------------------------------------------------------------

#[test]
fn self_is_never_granted_to_guests_or_to_admins_and_integrations_without_all() {
    let policy = common::sample_policy();
    let some = policy.role_from_resources([
        "Magento_Backend::admin",
        "Magento_Customer::customer",
        "Magento_Cart::manage",
    ]);
    let everything_but_all: Vec<String> = policy
        .acl()
        .iter()
        .map(|r| r.id.clone())
        .filter(|id| id != "Magento_Backend::all")
        .collect();
    let nearly = policy.role_from_resources(everything_but_all);
    let self_routes: Vec<_> = policy
        .routes()
        .iter()
        .filter(|r| r.resources.iter().any(|x| x == "self"))
        .map(|r| (r.method.clone(), r.url.replace(":itemId", "1")))
        .collect();
    assert!(self_routes.len() >= 4);
    for (method, url) in &self_routes {
        let req = Request::new(method, Box::leak(format!("/rest{url}").into_boxed_str()));
        for p in [
            Principal::Guest,
            Principal::Admin {
                id: 1,
                role: Some(some.clone()),
            },
            Principal::Admin {
                id: 1,
                role: Some(nearly.clone()),
            },
            Principal::Integration {
                id: 1,
                role: Some(nearly.clone()),
            },
            Principal::Admin { id: 1, role: None },
        ] {
            let d = policy.decide(&req, &p);
            assert_eq!(
                d.outcome(),
                Outcome::Unauthorized,
                "{method} {url} for {p:?}"
            );
        }
        // The customer gets it, and Magento's "all" admins do (spec §3.3).
        assert!(policy.decide(&req, &Principal::customer(5, 1)).allowed());
        assert!(policy
            .decide(
                &req,
                &Principal::Admin {
                    id: 1,
                    role: Some(policy.role_all())
                }
            )
            .allowed());
    }
}

// ---- forced parameters ------------------------------------------------------------------

#[test]
fn forced_parameters_cannot_be_bypassed_from_the_body_or_the_query() {
    let policy = common::sample_policy();
    let t = customer_token();
    let bearer = format!("Bearer {t}");
    let headers = || {
        vec![
            ("Authorization", bearer.as_str()),
            ("Content-Type", "application/json"),
        ]
    };
    for body in [
        r#"{"cartItem":{"sku":"x","quote_id":7}}"#,
        r#"{"cartItem":{"sku":"x","quoteId":7}}"#,
        r#"{"cartItem":{"sku":"x","quote_id":7,"quote_id":8}}"#,
        r#"{"cart_item":{"quote_id":7},"cartItem":{"sku":"x"}}"#,
        r#"{"cartItem":{"sku":"x","quote_id":[7]}}"#,
        r#"{"cartItem":{"sku":"x","quote_id":{"id":7}}}"#,
        r#"{"cartItem":[{"quote_id":7}]}"#,
    ] {
        let (status, out) = call(
            &policy,
            "POST",
            "/rest/V1/carts/mine/items?cartItem[quote_id]=9&quote_id=9",
            headers(),
            Some(body),
        );
        assert_eq!(status, 200, "{body}");
        let out = out.unwrap();
        // Magento's input mapping accepts snake_case and camelCase: whichever spelling
        // the body uses carries the forced value, and no spelling keeps the caller's.
        let item = &out["cartItem"];
        let spellings: Vec<_> = ["quote_id", "quoteId"]
            .iter()
            .filter_map(|k| item.get(*k))
            .collect();
        assert!(!spellings.is_empty(), "{body} → {out}");
        assert!(spellings.iter().all(|v| **v == json!(42)), "{body} → {out}");
    }
    // GET: the forced customerId is in the rewritten input whatever the query says.
    let (status, out) = call(
        &policy,
        "GET",
        "/rest/V1/customers/me?customerId=7&customer_id=7",
        headers(),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(out.unwrap()["customerId"], json!(5));
}

// ---- paths ----------------------------------------------------------------------------

#[test]
fn path_tricks_never_give_a_guest_or_a_customer_more_than_the_plain_path() {
    let policy = common::sample_policy();
    let tricks = [
        "/rest/V1/customers/me",
        "/rest/V1/customers/m%65",
        "/rest/V1/customers/%6de",
        "/rest/V1/customers/ME",
        "/rest/v1/customers/me",
        "/rest//V1//customers//me",
        "/rest/V1/customers/me/",
        "/rest/V1/customers/me/../5",
        "/rest/V1/customers/./me",
        "/rest/V1/customers/5%2F..%2Fme",
        "/rest/V1/customers/me%00",
        "/rest/V1/customers/me\u{0}",
        "/rest/V1/customers/\u{c0}\u{af}me",
        "/rest/V1/customers/%c0%afme",
        "/rest/V1/customers/%2e%2e/5",
        "/rest/V1/customers/5",
        "/rest/default/V1/customers/5",
        "/REST/V1/customers/5",
        "/rest/all/V1/customers/5",
    ];
    let customer = Principal::customer(5, 1);
    for path in tricks {
        let req = Request::new("GET", path);
        assert!(
            !policy.decide(&req, &Principal::Guest).allowed(),
            "guest: {path}"
        );
        let d = policy.decide(&req, &customer);
        if d.allowed() {
            let route = d.route().unwrap();
            assert_eq!(
                route.def.url, "/V1/customers/me",
                "a customer reached {} through {path}",
                route.def.url
            );
        }
    }
}
