//! Runs whole edge requests through a gateway in a loop, for profilers (`valgrind
//! --tool=callgrind`): `cargo run --release --example profile_gateway -- [iterations]
//! [guest|customer|forced|oauth]`. The JS layer's `gateway.authorize` runs this code.
use std::sync::Arc;

mod common;

use mage_policy::boundary::gateway::{Gateway, NoCallbacks};
use mage_policy::identity::HttpRequest;
use mage_policy::oauth::{self, ClientCredentials, Profile, SignOptions, SignedRequest};
use mage_policy::token::{self, JwtKey, UserKind};

const CRYPT_KEY: &str = "8f2c1d9e4b7a60315c9e2f4a7d1b3c5e";

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let case = args.next().unwrap_or_else(|| "customer".to_string());
    let policy = Arc::new(common::corpus_policy());
    let (ck, cs, tk, ts) = (
        "a".repeat(32),
        "c".repeat(32),
        "b".repeat(32),
        "d".repeat(32),
    );
    let mut gw = Gateway::from_json(
        policy,
        &format!(
            r#"{{"jwt":{{"cryptKey":"{CRYPT_KEY}"}},"customerWebsite":{{"5":1}},
            "integrationRole":{{"3":["Magento_Catalog::catalog","Magento_Catalog::products"]}},
            "placeholders":{{"cartId":101}},
            "oauth":{{"credentials":{{"consumers":{{"{ck}":{{"secret":"{cs}","integration":{{"id":3}}}}}},
            "tokens":{{"{tk}":{{"secret":"{ts}","consumer":"{ck}","type":"access"}}}}}}}}}}"#
        ),
    )
    .unwrap();
    let now = 1_700_000_100;
    let key = JwtKey::from_crypt_key(CRYPT_KEY).unwrap();
    let bearer = format!(
        "Bearer {}",
        token::issue(
            &key,
            Default::default(),
            UserKind::Customer,
            5,
            now - 100,
            60
        )
        .unwrap()
    );
    let products = "https://shop.example.com/rest/default/V1/products?searchCriteria[pageSize]=10";
    let creds = ClientCredentials {
        consumer_key: ck,
        consumer_secret: cs,
        token: Some(tk),
        token_secret: Some(ts),
    };
    let signed: Vec<String> = if case == "oauth" {
        (0..n)
            .map(|i| {
                let mut o = SignOptions::new(Profile::Magento247, now as u64);
                o.nonce = Some(format!("nonce{i}"));
                let r = SignedRequest {
                    method: "GET",
                    url: products,
                    content_type: None,
                    body: None,
                };
                oauth::sign(&r, &creds, &o).unwrap().authorization
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut allowed = 0usize;
    #[allow(clippy::needless_range_loop)] // the index picks the i-th signed request
    for i in 0..n {
        let req = match case.as_str() {
            "guest" => HttpRequest {
                method: "GET",
                url: "https://shop.example.com/rest/V1/directory/countries",
                headers: vec![("Accept", "application/json")],
                body: None,
            },
            "forced" => HttpRequest {
                method: "POST",
                url: "https://shop.example.com/rest/default/V1/carts/mine/items",
                headers: vec![
                    ("Authorization", &bearer),
                    ("Content-Type", "application/json"),
                ],
                body: Some(r#"{"cartItem":{"sku":"MH01","qty":1,"quote_id":999}}"#),
            },
            "oauth" => HttpRequest {
                method: "GET",
                url: products,
                headers: vec![("Authorization", &signed[i])],
                body: None,
            },
            _ => HttpRequest {
                method: "GET",
                url: "https://shop.example.com/rest/default/V1/customers/me",
                headers: vec![("Authorization", &bearer)],
                body: None,
            },
        };
        let out = gw.answer(&req, now, &NoCallbacks).unwrap();
        allowed += (out.packed & 0x3ff == 200) as usize;
    }
    println!("{allowed} of {n} allowed");
}
