//! Every hostile-input limit, tested at its boundary: the largest accepted input passes,
//! one byte (or one piece) more is refused with a clear error — never a panic.

mod common;

use mage_policy::forced::Placeholders;
use mage_policy::identity::{HttpRequest, JwtSource, Sources};
use mage_policy::oauth::{
    self, ClientCredentials, Profile, SignOptions, SignedRequest, MAX_PARAMS,
};
use mage_policy::token::{self, JwtAlg, JwtKey, UserKind, VerifyOptions, MAX_TOKEN_LEN};
use mage_policy::{Limits, Outcome, Policy, Principal, Request, XmlOptions};

const NOW: i64 = 1_700_000_000;

#[test]
fn path_length_limit() {
    let policy = common::sample_builder()
        .limits(Limits {
            max_path_bytes: 100,
            ..Limits::default()
        })
        .build()
        .unwrap();
    let at = |len: usize| {
        let prefix = "/rest/V1/products/";
        let path = format!("{prefix}{}", "a".repeat(len - prefix.len()));
        assert_eq!(path.len(), len);
        let d = policy.decide(&Request::new("GET", &path), &Principal::Guest);
        (d.outcome(), d.status(), d.body())
    };
    // At the limit the path is routed (a product sku); one byte more is 414.
    assert_eq!(at(100).0, Outcome::Unauthorized);
    assert_eq!(
        at(101),
        (
            Outcome::TooLong,
            414,
            Some(r#"{"message":"Request path too long."}"#.to_string())
        )
    );
    assert_eq!(Limits::default().max_path_bytes, 8192);
}

#[test]
fn the_default_path_limit_applies_to_bundles_too_and_can_be_changed() {
    let mut loaded =
        mage_policy::bundle::from_bytes(&mage_policy::bundle::to_bytes(&common::sample_policy()))
            .unwrap();
    let long = format!("/rest/V1/{}", "x".repeat(9000));
    assert_eq!(
        loaded
            .decide(&Request::new("GET", &long), &Principal::Guest)
            .status(),
        414
    );
    loaded.set_limits(Limits {
        max_path_bytes: 1 << 20,
        ..Limits::default()
    });
    assert_eq!(
        loaded
            .decide(&Request::new("GET", &long), &Principal::Guest)
            .status(),
        404
    );
}

fn authorize_status(
    policy: &Policy,
    headers: Vec<(&str, &str)>,
    body: Option<&str>,
) -> (u16, Option<String>) {
    let req = HttpRequest {
        method: "POST",
        url: "https://shop.example.com/rest/V1/guest-carts",
        headers,
        body,
    };
    let a = policy.authorize(&req, &mut Sources::new(NOW), &Placeholders::default());
    (a.status(), a.response_body())
}

#[test]
fn header_size_and_count_limits() {
    let policy = common::sample_builder()
        .limits(Limits {
            max_header_bytes: 50,
            max_headers: 3,
            ..Limits::default()
        })
        .build()
        .unwrap();
    let v50 = "v".repeat(50);
    let v51 = "v".repeat(51);
    assert_eq!(authorize_status(&policy, vec![("X-A", &v50)], None).0, 200);
    assert_eq!(
        authorize_status(&policy, vec![("X-A", &v51)], None),
        (
            431,
            Some(r#"{"message":"Request header fields too large."}"#.into())
        )
    );
    let three = vec![("A", "1"), ("B", "2"), ("C", "3")];
    assert_eq!(authorize_status(&policy, three.clone(), None).0, 200);
    let mut four = three;
    four.push(("D", "4"));
    assert_eq!(authorize_status(&policy, four, None).0, 431);
}

#[test]
fn body_size_limit() {
    let policy = common::sample_builder()
        .limits(Limits {
            max_body_bytes: 10,
            ..Limits::default()
        })
        .build()
        .unwrap();
    assert_eq!(
        authorize_status(&policy, vec![], Some("{\"a\":\"12\"}")).0,
        200
    );
    assert_eq!(
        authorize_status(&policy, vec![], Some("{\"a\":\"123\"}")),
        (413, Some(r#"{"message":"Request body too large."}"#.into()))
    );
}

#[test]
fn json_nesting_limit_for_forced_parameters() {
    let policy = common::sample_policy();
    let key = JwtKey::from_crypt_key("limits").unwrap();
    let bearer = format!(
        "Bearer {}",
        token::issue(&key, JwtAlg::HS256, UserKind::Customer, 5, NOW, 60).unwrap()
    );
    let run = |depth: usize| {
        // {"customer":{"x":[[…]]}} with `depth` levels in all.
        let inner = format!("{}{}", "[".repeat(depth - 2), "]".repeat(depth - 2));
        let body = format!(r#"{{"customer":{{"x":{inner}}}}}"#);
        let req = HttpRequest {
            method: "PUT",
            url: "https://shop.example.com/rest/V1/customers/me",
            headers: vec![
                ("Authorization", &bearer),
                ("Content-Type", "application/json"),
            ],
            body: Some(&body),
        };
        let mut s = Sources::new(NOW);
        s.jwt = Some(JwtSource::new(&key, JwtAlg::HS256));
        let values = Placeholders {
            customer_group_id: Some(serde_json::json!(1)),
            customer_store_id: Some(serde_json::json!(1)),
            ..Placeholders::default()
        };
        let a = policy.authorize(&req, &mut s, &values);
        (a.status(), a.response_body())
    };
    assert_eq!(run(64).0, 200);
    assert_eq!(
        run(65),
        (400, Some(r#"{"message":"Decoding error."}"#.into()))
    );
}

#[test]
fn xml_limits_file_size_depth_and_attribute_length() {
    let route = |attr: &str| {
        format!(
            r#"<routes><route url="/V1/{attr}" method="GET"><service class="A" method="b"/><resources><resource ref="anonymous"/></resources></route></routes>"#
        )
    };
    let build = |xml: &str, opts: XmlOptions| {
        Policy::builder()
            .xml_options(opts)
            .webapi("w.xml", xml)
            .build()
    };
    let opts = XmlOptions {
        max_attr_bytes: 20,
        ..XmlOptions::default()
    };
    // url="/V1/" + 16 bytes = 20 bytes: accepted; 21: refused, located.
    assert!(build(&route(&"a".repeat(16)), opts).is_ok());
    let err = build(&route(&"a".repeat(17)), opts).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("w.xml:1:") && text.contains("over the limit of 20"),
        "{text}"
    );

    let nested = |depth: usize| format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let opts = XmlOptions {
        max_depth: 10,
        ..XmlOptions::default()
    };
    // The root <routes> is not a webapi root here; depth is checked while parsing.
    let deep = build(&nested(11), opts).unwrap_err().to_string();
    assert!(deep.contains("nested deeper than 10"), "{deep}");
    let ok = build(&nested(10), opts).unwrap_err().to_string();
    assert!(!ok.contains("nested deeper"), "{ok}");

    let opts = XmlOptions {
        max_file_bytes: 200,
        ..XmlOptions::default()
    };
    let small = route("x");
    assert!(small.len() <= 200);
    assert!(build(&small, opts).is_ok());
    let padded = format!("{small}{}", " ".repeat(201 - small.len()));
    let big = build(&padded, opts).unwrap_err().to_string();
    assert!(big.contains("over the limit of 200"), "{big}");
}

#[test]
fn token_length_limit() {
    let key = JwtKey::from_crypt_key("limits").unwrap();
    let opts = VerifyOptions::new(JwtAlg::HS256, NOW);
    let at_limit = "a".repeat(MAX_TOKEN_LEN);
    let over = "a".repeat(MAX_TOKEN_LEN + 1);
    let e1 = token::verify(&at_limit, &key, &opts)
        .unwrap_err()
        .to_string();
    let e2 = token::verify(&over, &key, &opts).unwrap_err().to_string();
    assert!(!e1.contains("longer than"), "{e1}");
    assert!(
        e2.contains(&format!("longer than {MAX_TOKEN_LEN} bytes")),
        "{e2}"
    );
}

#[test]
fn oauth_parameter_count_limit() {
    let creds = ClientCredentials {
        consumer_key: "ck".into(),
        consumer_secret: "cs".into(),
        token: Some("tk".into()),
        token_secret: Some("ts".into()),
    };
    let mut opts = SignOptions::new(Profile::Magento247, NOW as u64);
    opts.nonce = Some("n".into());
    let query = |n: usize| {
        (0..n)
            .map(|i| format!("p{i}=1"))
            .collect::<Vec<_>>()
            .join("&")
    };
    for profile in [Profile::Rfc5849, Profile::Magento247, Profile::Magento248] {
        opts.profile = profile;
        let ok_url = format!("https://shop.example.com/rest/V1/x?{}", query(MAX_PARAMS));
        let over_url = format!(
            "https://shop.example.com/rest/V1/x?{}",
            query(MAX_PARAMS + 1)
        );
        let req = |url: &str| SignedRequest {
            method: "GET",
            url: Box::leak(url.to_string().into_boxed_str()),
            content_type: None,
            body: None,
        };
        assert!(oauth::sign(&req(&ok_url), &creds, &opts).is_ok());
        let e = oauth::sign(&req(&over_url), &creds, &opts).unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (400, "too-many-parameters"),
            "{profile:?}"
        );
        // The same for a form body and for the Authorization header on verification.
        let body = query(MAX_PARAMS + 1);
        let form = SignedRequest {
            method: "POST",
            url: "https://shop.example.com/rest/V1/x",
            content_type: Some("application/x-www-form-urlencoded"),
            body: Some(&body),
        };
        assert_eq!(
            oauth::sign(&form, &creds, &opts).unwrap_err().code(),
            "too-many-parameters"
        );
    }
    let store =
        oauth::MemoryCredentials::from_json(r#"{"consumers":{"ck":{"secret":"cs"}}}"#).unwrap();
    let header = format!("OAuth {}", vec!["a=\"1\""; MAX_PARAMS + 1].join(","));
    let get = SignedRequest {
        method: "GET",
        url: "https://shop.example.com/rest/V1/x",
        content_type: None,
        body: None,
    };
    let e = oauth::verify(
        &get,
        Some(&header),
        &store,
        &mut oauth::MemoryNonces::default(),
        &oauth::VerifyOptions::new(Profile::Magento247, NOW),
    )
    .unwrap_err();
    assert_eq!(e.code(), "too-many-parameters");
}
