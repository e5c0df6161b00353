//! The user-context chain (spec §3.2, §8) and the whole-request pipeline.

mod common;

use std::collections::HashMap;

use mage_policy::forced::{Cart, Placeholders};
use mage_policy::identity::{
    Accounts, HttpRequest, JwtSource, OAuthSource, SessionCustomer, SessionLookup, Sources, Via,
};
use mage_policy::oauth::{
    self, ClientCredentials, ConsumerRecord, IntegrationRef, MemoryCredentials, MemoryNonces,
    Profile, SignOptions, SignedRequest, TokenKind, TokenRecord,
};
use mage_policy::token::{self, JwtAlg, JwtKey, UserKind};
use mage_policy::{Policy, Role};
use serde_json::json;

const NOW: i64 = 1_700_000_000;
const BASE: &str = "https://shop.example.com";

struct Sessions;
impl SessionLookup for Sessions {
    fn customer(&self, sid: &str) -> Option<SessionCustomer> {
        match sid {
            "logged-in" => Some(SessionCustomer {
                id: 7,
                website_id: 1,
                emulated: false,
            }),
            "persistent" => Some(SessionCustomer {
                id: 8,
                website_id: 1,
                emulated: true,
            }),
            _ => None,
        }
    }
}

struct Roles(Role);
impl Accounts for Roles {
    fn integration_role(&self, id: u64) -> Option<Role> {
        (id == 12).then(|| self.0.clone())
    }
}

fn key() -> JwtKey {
    JwtKey::from_crypt_key("8f2c1d9e4b7a60315c9e2f4a7d1b3c5e").unwrap()
}

fn req<'a>(
    method: &'a str,
    url: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    body: Option<&'a str>,
) -> HttpRequest<'a> {
    HttpRequest {
        method,
        url,
        headers,
        body,
    }
}

/// One JSON request as customer 5 (bearer JWT) through `Policy::authorize_with`:
/// status, rewritten body and refusal body.
fn as_customer_5(
    policy: &Policy,
    method: &str,
    path: &str,
    body: Option<&str>,
    placeholders: &mut dyn FnMut(&mage_policy::Principal) -> Placeholders,
) -> (u16, Option<String>, Option<String>) {
    let k = key();
    let bearer = format!(
        "Bearer {}",
        token::issue(&k, JwtAlg::HS256, UserKind::Customer, 5, NOW, 60).unwrap()
    );
    let url = format!("{BASE}{path}");
    let mut s = Sources::new(NOW);
    s.jwt = Some(JwtSource::new(&k, JwtAlg::HS256));
    let r = req(
        method,
        &url,
        vec![
            ("Authorization", bearer.as_str()),
            ("Content-Type", "application/json"),
        ],
        body,
    );
    let a = policy.authorize_with(&r, &mut s, placeholders);
    (a.status(), a.body.clone(), a.response_body())
}

/// Status of `r` with JWT and session sources.
fn status(policy: &Policy, r: &HttpRequest<'_>) -> (u16, Option<Via>) {
    let k = key();
    let mut s = Sources::new(NOW);
    s.jwt = Some(JwtSource::new(&k, JwtAlg::HS256));
    s.session = Some(&Sessions);
    let a = policy.authorize(r, &mut s, &Placeholders::default());
    (a.status(), a.identity.as_ref().map(|i| i.via))
}

#[test]
fn bearer_jwt_customers_session_customers_and_guests() {
    let policy = common::sample_policy();
    let me = format!("{BASE}/rest/default/V1/customers/me");
    let good = format!(
        "Bearer {}",
        token::issue(&key(), JwtAlg::HS256, UserKind::Customer, 5, NOW - 10, 60).unwrap()
    );
    let expired = format!(
        "Bearer {}",
        token::issue(&key(), JwtAlg::HS256, UserKind::Customer, 5, NOW - 7200, 60).unwrap()
    );
    assert_eq!(
        status(
            &policy,
            &req("GET", &me, vec![("Authorization", &good)], None)
        ),
        (200, Some(Via::Bearer))
    );
    // A bad bearer token silently falls through: guest, 401.
    assert_eq!(
        status(
            &policy,
            &req("GET", &me, vec![("Authorization", &expired)], None)
        ),
        (401, Some(Via::Guest))
    );
    // ... or to the session, when there is one.
    let xhr = vec![
        ("Authorization", expired.as_str()),
        ("Cookie", "a=b; PHPSESSID=logged-in"),
        ("X-Requested-With", "XMLHttpRequest"),
    ];
    assert_eq!(
        status(&policy, &req("GET", &me, xhr, None)),
        (200, Some(Via::Session))
    );
    // The session needs the exact XHR header.
    for h in ["xmlhttprequest", "XMLHttpRequest ", "fetch"] {
        let r = req(
            "GET",
            &me,
            vec![("Cookie", "PHPSESSID=logged-in"), ("X-Requested-With", h)],
            None,
        );
        assert_eq!(status(&policy, &r), (401, Some(Via::Guest)), "{h:?}");
    }
    let r = req(
        "GET",
        &me,
        vec![
            ("Cookie", "PHPSESSID=logged-in"),
            ("x-requested-with", "XMLHttpRequest"),
        ],
        None,
    );
    assert_eq!(
        status(&policy, &r).0,
        200,
        "header names are case-insensitive"
    );
    // A persistent-cart customer is not logged in: `self` is refused.
    let r = req(
        "GET",
        &me,
        vec![
            ("Cookie", "PHPSESSID=persistent"),
            ("X-Requested-With", "XMLHttpRequest"),
        ],
        None,
    );
    assert_eq!(status(&policy, &r), (401, Some(Via::Session)));
    // The bearer token wins over the session.
    let admin = format!(
        "Bearer {}",
        token::issue(&key(), JwtAlg::HS256, UserKind::Admin, 1, NOW, 60).unwrap()
    );
    let r = req(
        "GET",
        &me,
        vec![
            ("Authorization", &admin),
            ("Cookie", "PHPSESSID=logged-in"),
            ("X-Requested-With", "XMLHttpRequest"),
        ],
        None,
    );
    assert_eq!(status(&policy, &r), (401, Some(Via::Bearer)));
}

#[test]
fn anonymous_routes_never_evaluate_credentials() {
    let policy = common::sample_policy();
    let url = format!("{BASE}/rest/V1/directory/countries");
    let r = req(
        "GET",
        &url,
        vec![("Authorization", "OAuth oauth_consumer_key=\"x\"")],
        None,
    );
    let mut nonces = MemoryNonces::default();
    let creds = MemoryCredentials::default();
    let mut s = Sources::new(NOW);
    s.oauth = Some(OAuthSource {
        profile: Profile::Magento247,
        credentials: &creds,
        nonces: &mut nonces,
    });
    let a = policy.authorize(&r, &mut s, &Placeholders::default());
    assert_eq!(a.status(), 200);
    assert!(a.identity.is_none());
    // The same broken header on a protected route is Magento's OAuth error.
    let url = format!("{BASE}/rest/V1/products");
    let r = req(
        "GET",
        &url,
        vec![("Authorization", "OAuth oauth_consumer_key=\"x\"")],
        None,
    );
    let a = policy.authorize(&r, &mut s, &Placeholders::default());
    assert_eq!(a.status(), 400);
    assert!(a
        .response_body()
        .unwrap()
        .contains("One or more input exceptions have occurred."));
}

#[test]
fn oauth_integrations_with_and_without_an_active_integration() {
    let policy = common::sample_policy();
    let (ck, cs, tk, ts) = (
        "c".repeat(32),
        "s".repeat(32),
        "t".repeat(32),
        "u".repeat(32),
    );
    let build = |active: bool| {
        let mut m = MemoryCredentials::default();
        m.add_consumer(ConsumerRecord {
            id: 3,
            key: ck.clone(),
            secret: cs.clone(),
            updated_at: None,
            integration: Some(IntegrationRef { id: 12, active }),
        });
        m.add_token(TokenRecord {
            token: tk.clone(),
            secret: ts.clone(),
            consumer_id: 3,
            kind: TokenKind::Access,
            revoked: false,
            verifier: None,
        });
        m
    };
    let url = format!("{BASE}/rest/V1/stockItems/24-MB01");
    let body = r#"{"stockItem":{"qty":5}}"#;
    let sign = |nonce: &str| {
        let creds = ClientCredentials {
            consumer_key: ck.clone(),
            consumer_secret: cs.clone(),
            token: Some(tk.clone()),
            token_secret: Some(ts.clone()),
        };
        let mut o = SignOptions::new(Profile::Magento247, NOW as u64);
        o.nonce = Some(nonce.into());
        oauth::sign(
            &SignedRequest {
                method: "PUT",
                url: &url,
                content_type: Some("application/json"),
                body: Some(body),
            },
            &creds,
            &o,
        )
        .unwrap()
        .authorization
    };
    let roles = Roles(policy.role_from_resources(["Magento_CatalogInventory::cataloginventory"]));
    let run = |active: bool, header: &str, nonces: &mut MemoryNonces| {
        let creds = build(active);
        let mut s = Sources::new(NOW);
        s.oauth = Some(OAuthSource {
            profile: Profile::Magento247,
            credentials: &creds,
            nonces,
        });
        s.accounts = Some(&roles);
        let r = req(
            "PUT",
            &url,
            vec![
                ("Authorization", header),
                ("Content-Type", "application/json"),
            ],
            Some(body),
        );
        let a = policy.authorize(&r, &mut s, &Placeholders::default());
        (
            a.status(),
            a.identity.as_ref().map(|i| i.via),
            a.response_body(),
        )
    };
    let mut nonces = MemoryNonces::default();
    assert_eq!(
        run(true, &sign("n1"), &mut nonces),
        (200, Some(Via::OAuth), None)
    );
    // Replay: Magento's 401 body.
    let (st, _, body401) = run(true, &sign("n1"), &mut nonces);
    assert_eq!(st, 401);
    assert_eq!(
        body401.unwrap(),
        r#"{"message":"The nonce is already being used by the consumer with ID %1","parameters":["3"]}"#
    );
    // Inactive integration: a valid signature identifies nobody.
    assert_eq!(run(false, &sign("n2"), &mut nonces).0, 401);
}

#[test]
fn opaque_tokens_need_the_origin() {
    let policy = common::sample_policy();
    let url = format!("{BASE}/rest/V1/customers/me");
    let r = req(
        "GET",
        &url,
        vec![("Authorization", "Bearer abcdefghijklmnopqrstuvwxyz012345")],
        None,
    );
    let a = policy.authorize(&r, &mut Sources::new(NOW), &Placeholders::default());
    assert_eq!(a.status(), 401);
    assert!(a.identity.unwrap().needs_origin);
}

#[test]
fn forced_parameters_rewrite_the_body() {
    let policy = common::sample_policy();
    let run = |method: &str, path: &str, body: Option<&str>, placeholders: &Placeholders| {
        as_customer_5(&policy, method, path, body, &mut |_| placeholders.clone())
    };
    let values = Placeholders {
        customer_group_id: Some(json!(1)),
        customer_store_id: Some(json!(1)),
        cart: Some(Cart::Active(json!(42))),
        ..Placeholders::default()
    };
    let (st, body, _) = run(
        "PUT",
        "/rest/default/V1/customers/me",
        Some(r#"{"customer":{"id":99,"group_id":4,"email":"a@b.c"}}"#),
        &values,
    );
    assert_eq!(st, 200);
    let v: serde_json::Value = serde_json::from_str(&body.unwrap()).unwrap();
    assert_eq!(
        v,
        json!({"customer":{"id":5,"group_id":1,"email":"a@b.c","website_id":1,"store_id":1}})
    );
    let (st, body, _) = run(
        "POST",
        "/rest/default/V1/carts/mine/items",
        Some(r#"{"cartItem":{"sku":"x","quote_id":"7"}}"#),
        &values,
    );
    assert_eq!(st, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body.unwrap()).unwrap(),
        json!({"cartItem":{"sku":"x","quote_id":42}})
    );
    // No active cart: Magento's 404.
    let none = Placeholders {
        cart: Some(Cart::NoActiveCart),
        ..Placeholders::default()
    };
    let (st, _, resp) = run(
        "POST",
        "/rest/default/V1/carts/mine/items",
        Some("{}"),
        &none,
    );
    assert_eq!(
        (st, resp.unwrap().as_str()),
        (
            404,
            r#"{"message":"Current customer does not have an active cart."}"#
        )
    );
    // A body that is not JSON cannot be rewritten: refused, not passed through.
    assert_eq!(
        run(
            "POST",
            "/rest/default/V1/carts/mine/items",
            Some("nope"),
            &values
        )
        .0,
        400
    );
}

#[test]
fn placeholders_are_computed_for_the_identified_caller_once_and_only_when_forcing() {
    let policy = common::sample_policy();
    let mut seen = Vec::new();
    let mut run = |path: &str, method: &str| {
        let (status, body, _) = as_customer_5(
            &policy,
            method,
            path,
            Some(r#"{"cartItem":{"sku":"x"}}"#),
            &mut |p| {
                seen.push(p.clone());
                Placeholders {
                    cart: Some(Cart::Active(json!(100 + p.user_id()))),
                    ..Placeholders::default()
                }
            },
        );
        (status, body)
    };
    let (st, body) = run("/rest/V1/carts/mine/items", "POST");
    assert_eq!(st, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body.unwrap()).unwrap(),
        json!({"cartItem":{"sku":"x","quote_id":105}})
    );
    assert_eq!(run("/rest/V1/directory/countries", "GET").0, 200);
    assert_eq!(run("/rest/V1/customers/2", "GET").0, 401);
    assert_eq!(
        seen.len(),
        1,
        "called once, for the forcing route only: {seen:?}"
    );
    assert_eq!(seen[0].user_id(), 5);
}

#[test]
fn https_comes_from_the_url_or_the_offloader_header() {
    let policy = common::sample_policy();
    let all = Roles(policy.role_all());
    struct AdminAll<'a>(&'a Roles);
    impl Accounts for AdminAll<'_> {
        fn admin_role(&self, _id: u64) -> Option<Role> {
            Some(self.0 .0.clone())
        }
    }
    let accounts = AdminAll(&all);
    let k = key();
    let bearer = format!(
        "Bearer {}",
        token::issue(&k, JwtAlg::HS256, UserKind::Admin, 1, NOW, 60).unwrap()
    );
    let run = |url: &str, headers: Vec<(&str, &str)>| {
        let mut s = Sources::new(NOW);
        s.jwt = Some(JwtSource::new(&k, JwtAlg::HS256));
        s.accounts = Some(&accounts);
        let mut h = vec![("Authorization", bearer.as_str())];
        h.extend(headers);
        let r = req("GET", url, h, None);
        policy
            .authorize(&r, &mut s, &Placeholders::default())
            .status()
    };
    assert_eq!(
        run("https://shop.example.com/rest/V1/analytics/link", vec![]),
        200
    );
    assert_eq!(
        run("http://shop.example.com/rest/V1/analytics/link", vec![]),
        400
    );
    assert_eq!(
        run(
            "http://shop.example.com/rest/V1/analytics/link",
            vec![("X-Forwarded-Proto", "https")]
        ),
        200
    );
    assert_eq!(
        run(
            "http://shop.example.com/rest/V1/analytics/link",
            vec![("X-Forwarded-Proto", "HTTPS")]
        ),
        400
    );
}

#[test]
fn revoked_jwts_fall_through() {
    let policy = common::sample_policy();
    let k = key();
    let mut revoked: HashMap<(u8, u64), i64> = HashMap::new();
    revoked.insert((3, 5), NOW);
    let bearer = format!(
        "Bearer {}",
        token::issue(&k, JwtAlg::HS256, UserKind::Customer, 5, NOW, 60).unwrap()
    );
    let url = format!("{BASE}/rest/V1/customers/me");
    let mut s = Sources::new(NOW + 5);
    s.jwt = Some(JwtSource::new(&k, JwtAlg::HS256).revocations(&revoked));
    let r = req("GET", &url, vec![("Authorization", &bearer)], None);
    let a = policy.authorize(&r, &mut s, &Placeholders::default());
    assert_eq!(a.status(), 401);
    assert!(a.identity.unwrap().notes[0].contains("revoked"));
}
