//! Verification as Magento does it (spec §7.3–§7.4): every check, in order, with
//! Magento's status and message; nonce bookkeeping; handshake helpers.

use mage_policy::oauth::{
    self, ClientCredentials, ConsumerRecord, IntegrationRef, MemoryCredentials, MemoryNonces,
    Profile, SignOptions, SignatureMethod, SignedRequest, TokenKind, TokenRecord, VerifyOptions,
};

const CK: &str = "5ba3ed8c96af9806fec7a3cde1848c84";
const CS: &str = "687b5ec3b757a02945187a520af8e360";
const TK: &str = "3f16bed7089f4653e5ef21bfd2824d7f";
const TS: &str = "a67f40cb8bc414aeb64130f986090c00";
const NOW: i64 = 1_700_000_000;
const URL: &str = "https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10";

fn store(active: bool) -> MemoryCredentials {
    let mut s = MemoryCredentials::default();
    s.add_consumer(ConsumerRecord {
        id: 4,
        key: CK.into(),
        secret: CS.into(),
        updated_at: None,
        integration: Some(IntegrationRef { id: 12, active }),
    });
    s.add_consumer(ConsumerRecord {
        id: 5,
        key: "x".repeat(32),
        secret: "y".repeat(32),
        updated_at: None,
        integration: None,
    });
    s.add_token(TokenRecord {
        token: TK.into(),
        secret: TS.into(),
        consumer_id: 4,
        kind: TokenKind::Access,
        revoked: false,
        verifier: None,
    });
    s.add_token(TokenRecord {
        token: "r".repeat(32),
        secret: "s".into(),
        consumer_id: 4,
        kind: TokenKind::Request,
        revoked: false,
        verifier: None,
    });
    s.add_token(TokenRecord {
        token: "v".repeat(32),
        secret: "s".into(),
        consumer_id: 4,
        kind: TokenKind::Access,
        revoked: true,
        verifier: None,
    });
    s.add_token(TokenRecord {
        token: "o".repeat(32),
        secret: "s".into(),
        consumer_id: 5,
        kind: TokenKind::Access,
        revoked: false,
        verifier: None,
    });
    s
}

fn signed_header(ck: &str, token: &str, ts: u64, nonce: &str) -> String {
    let creds = ClientCredentials {
        consumer_key: ck.into(),
        consumer_secret: CS.into(),
        token: Some(token.into()),
        token_secret: Some(TS.into()),
    };
    let mut o = SignOptions::new(Profile::Magento247, ts);
    o.nonce = Some(nonce.into());
    oauth::sign(
        &SignedRequest {
            method: "GET",
            url: URL,
            content_type: None,
            body: None,
        },
        &creds,
        &o,
    )
    .unwrap()
    .authorization
}

fn verify(header: &str, nonces: &mut MemoryNonces) -> Result<Option<u64>, (u16, String)> {
    let req = SignedRequest {
        method: "GET",
        url: URL,
        content_type: None,
        body: None,
    };
    oauth::verify(
        &req,
        Some(header),
        &store(true),
        nonces,
        &VerifyOptions::new(Profile::Magento247, NOW),
    )
    .map(|v| v.and_then(|v| v.integration_id()))
    .map_err(|e| (e.status(), e.to_string()))
}

fn err(header: &str) -> (u16, String) {
    verify(header, &mut MemoryNonces::default()).unwrap_err()
}

#[test]
fn a_good_request_identifies_the_active_integration() {
    assert_eq!(
        verify(
            &signed_header(CK, TK, NOW as u64, "n1"),
            &mut MemoryNonces::default()
        ),
        Ok(Some(12))
    );
    // An inactive integration: a valid signature, but no identity (a guest).
    let req = SignedRequest {
        method: "GET",
        url: URL,
        content_type: None,
        body: None,
    };
    let v = oauth::verify(
        &req,
        Some(&signed_header(CK, TK, NOW as u64, "n1")),
        &store(false),
        &mut MemoryNonces::default(),
        &VerifyOptions::new(Profile::Magento247, NOW),
    )
    .unwrap()
    .unwrap();
    assert_eq!(v.integration_id(), None);
}

#[test]
fn not_an_oauth_request() {
    assert_eq!(verify("Bearer abc", &mut MemoryNonces::default()), Ok(None));
}

#[test]
fn checks_in_magentos_order_with_magentos_answers() {
    let base = signed_header(CK, TK, NOW as u64, "n1");
    let replace = |from: &str, to: &str| base.replace(from, to);
    // 1. version
    assert_eq!(
        err(&replace("oauth_version=\"1.0\"", "oauth_version=\"2.0\"")),
        (400, "The \"2.0\" Oauth version isn't supported.".into())
    );
    // 2. required parameters (empty and "0" count as missing)
    assert_eq!(
        err(&replace("oauth_nonce=\"n1\"", "oauth_nonce=\"\"")),
        (
            400,
            "\"oauth_nonce\" is required. Enter and try again.".into()
        )
    );
    assert_eq!(
        err(&replace(
            &format!("oauth_token=\"{TK}\""),
            "oauth_token=\"0\""
        ))
        .0,
        400
    );
    // 3. token length
    assert_eq!(
        err(&replace(TK, "short")),
        (
            400,
            "The token length is invalid. Check the length and try again.".into()
        )
    );
    // 4. signature method: only HMAC-SHA256
    assert_eq!(
        err(&replace("HMAC-SHA256", "HMAC-SHA1")),
        (400, "Signature method HMAC-SHA1 is not supported".into())
    );
    // 5. consumer
    assert_eq!(
        err(&replace(CK, "abc")),
        (401, "Consumer key is not the correct length".into())
    );
    assert_eq!(
        err(&replace(CK, &"z".repeat(32))),
        (
            401,
            "A consumer having the specified key does not exist".into()
        )
    );
    // 6. timestamp: > 0 and <= now + 600; no lower bound
    assert_eq!(
        err(&signed_header(CK, TK, NOW as u64 + 601, "n2")),
        (401, "An error occurred validating the nonce".into())
    );
    assert!(verify(
        &signed_header(CK, TK, NOW as u64 + 600, "n3"),
        &mut MemoryNonces::default()
    )
    .is_ok());
    assert!(verify(
        &signed_header(CK, TK, 1, "n4"),
        &mut MemoryNonces::default()
    )
    .is_ok());
    assert_eq!(
        err(&replace(
            "oauth_timestamp=\"1700000000\"",
            "oauth_timestamp=\"-5\""
        ))
        .1,
        "An error occurred validating the nonce"
    );
    // 7. token
    assert_eq!(
        err(&replace(TK, &"q".repeat(32))),
        (401, "Specified token does not exist".into())
    );
    assert_eq!(
        err(&replace(TK, &"o".repeat(32))),
        (
            401,
            "Token is not associated with the specified consumer".into()
        )
    );
    assert_eq!(
        err(&replace(TK, &"r".repeat(32))),
        (401, "Token is not an access token".into())
    );
    assert_eq!(
        err(&replace(TK, &"v".repeat(32))),
        (401, "Access token has been revoked".into())
    );
    // 8. signature
    assert_eq!(
        err(&replace("oauth_nonce=\"n1\"", "oauth_nonce=\"n9\"")),
        (
            401,
            "The signature is invalid. Verify and try again.".into()
        )
    );
}

#[test]
fn several_missing_parameters_are_aggregated() {
    let req = SignedRequest {
        method: "GET",
        url: URL,
        content_type: None,
        body: None,
    };
    let e = oauth::verify(
        &req,
        Some(&format!("OAuth oauth_consumer_key=\"{CK}\"")),
        &store(true),
        &mut MemoryNonces::default(),
        &VerifyOptions::new(Profile::Magento247, NOW),
    )
    .unwrap_err();
    assert_eq!(e.status(), 400);
    assert_eq!(
        e.missing(),
        [
            "oauth_signature",
            "oauth_signature_method",
            "oauth_nonce",
            "oauth_timestamp",
            "oauth_token"
        ]
    );
    assert!(e.rest_body().starts_with(r#"{"message":"One or more input exceptions have occurred.","errors":[{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"oauth_signature"}}"#));
}

#[test]
fn the_nonce_is_burnt_before_the_signature_check() {
    let mut nonces = MemoryNonces::default();
    let good = signed_header(CK, TK, NOW as u64, "n1");
    let bad_sig = good.replace("oauth_signature=\"", "oauth_signature=\"AAAA");
    assert_eq!(
        verify(&bad_sig, &mut nonces).unwrap_err().1,
        "The signature is invalid. Verify and try again."
    );
    // The correctly signed request with the same nonce is now a replay.
    assert_eq!(
        verify(&good, &mut nonces).unwrap_err(),
        (
            401,
            "The nonce is already being used by the consumer with ID 4".into()
        )
    );
}

#[test]
fn long_nonces_collide_on_their_first_32_characters() {
    let mut nonces = MemoryNonces::default();
    let long = "a".repeat(40);
    assert!(verify(&signed_header(CK, TK, NOW as u64, &long), &mut nonces).is_ok());
    let other = format!("{}b", "a".repeat(39));
    assert_eq!(
        verify(&signed_header(CK, TK, NOW as u64, &other), &mut nonces).unwrap_err(),
        (401, "An error occurred validating the nonce".into())
    );
}

#[test]
fn memory_nonces_are_bounded_and_age_out() {
    use oauth::{NonceCheck, NonceStore};
    let mut n = MemoryNonces::new(2, 100);
    assert_eq!(n.check_and_record(1, "a", 0, 1000), NonceCheck::Fresh);
    assert_eq!(n.check_and_record(1, "A", 0, 1000), NonceCheck::Reused); // MySQL collation
    assert_eq!(n.check_and_record(2, "a", 0, 1000), NonceCheck::Fresh); // per consumer
    assert_eq!(n.check_and_record(1, "b", 0, 1000), NonceCheck::Fresh);
    assert_eq!(n.check_and_record(1, "c", 0, 1000), NonceCheck::Fresh); // evicts "a"
    assert_eq!(n.check_and_record(1, "a", 0, 1000), NonceCheck::Fresh);
    assert_eq!(n.check_and_record(1, "c", 0, 1050), NonceCheck::Reused);
    assert_eq!(n.check_and_record(1, "c", 0, 1200), NonceCheck::Fresh); // aged out
}

#[test]
fn rfc_profile_verifies_oauthlib_style_requests() {
    let mut s = MemoryCredentials::default();
    s.add_consumer(ConsumerRecord {
        id: 1,
        key: "dpf43f3p2l4k3l03".into(),
        secret: "kd94hf93k423kf44".into(),
        updated_at: None,
        integration: None,
    });
    s.add_token(TokenRecord {
        token: "nnch734d00sl2jdk".into(),
        secret: "pfkkdhi9sl3r4s00".into(),
        consumer_id: 1,
        kind: TokenKind::Access,
        revoked: false,
        verifier: None,
    });
    let header = r#"OAuth realm="http://photos.example.net/", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D", oauth_timestamp="1191242096", oauth_nonce="kllo9940pd9333jh", oauth_version="1.0""#;
    let req = SignedRequest {
        method: "GET",
        url: "http://photos.example.net/photos?file=vacation.jpg&size=original",
        content_type: None,
        body: None,
    };
    let ok = oauth::verify(
        &req,
        Some(header),
        &s,
        &mut MemoryNonces::default(),
        &VerifyOptions::new(Profile::Rfc5849, 1191242096),
    );
    assert!(ok.unwrap().is_some());
    // oauthlib's default window: 600 s either way.
    let late = oauth::verify(
        &req,
        Some(header),
        &s,
        &mut MemoryNonces::default(),
        &VerifyOptions::new(Profile::Rfc5849, 1191242096 + 601),
    );
    assert_eq!(late.unwrap_err().status(), 401);
}

#[test]
fn magento_profiles_refuse_to_sign_what_magento_refuses() {
    let creds = ClientCredentials {
        consumer_key: CK.into(),
        consumer_secret: CS.into(),
        token: None,
        token_secret: None,
    };
    let mut o = SignOptions::new(Profile::Magento247, 1);
    o.method = SignatureMethod::HmacSha1;
    let e = oauth::sign(
        &SignedRequest {
            method: "GET",
            url: URL,
            content_type: None,
            body: None,
        },
        &creds,
        &o,
    )
    .unwrap_err();
    assert_eq!(
        (e.status(), e.to_string().as_str()),
        (400, "Signature method HMAC-SHA1 is not supported")
    );
    // 2.4.8 fails on numeric query keys and form arrays (Magento answers 500).
    let o = SignOptions::new(Profile::Magento248, 1);
    let e = oauth::sign(
        &SignedRequest {
            method: "GET",
            url: "https://h/x?9=a",
            content_type: None,
            body: None,
        },
        &creds,
        &o,
    )
    .unwrap_err();
    assert_eq!(e.status(), 500);
    let form = SignedRequest {
        method: "POST",
        url: "https://h/x",
        content_type: Some("application/x-www-form-urlencoded"),
        body: Some("a[b]=1"),
    };
    assert_eq!(oauth::sign(&form, &creds, &o).unwrap_err().status(), 500);
    // 2.4.7 signs a form array as the string "Array".
    let s = oauth::sign(&form, &creds, &SignOptions::new(Profile::Magento247, 1)).unwrap();
    assert!(s.base_string.contains("a%3DArray"), "{}", s.base_string);
}

#[test]
fn magento_247_form_bodies_and_query_quirks() {
    let creds = ClientCredentials {
        consumer_key: CK.into(),
        consumer_secret: CS.into(),
        token: Some(TK.into()),
        token_secret: Some(TS.into()),
    };
    let mut o = SignOptions::new(Profile::Magento247, 1);
    o.nonce = Some("n".into());
    let base = |url: &str, ct: Option<&str>, body: Option<&str>| {
        oauth::sign(
            &SignedRequest {
                method: "POST",
                url,
                content_type: ct,
                body,
            },
            &creds,
            &o,
        )
        .unwrap()
        .base_string
    };
    // Query pieces without `=` or with two are not signed; `+` stays a plus.
    let b = base("https://h/x?flag&a=b=c&p=1+2", None, None);
    assert!(
        !b.contains("flag") && !b.contains("a%3Db") && b.contains("p%3D1%252B2"),
        "{b}"
    );
    // Form bodies: only for a lower-case application/x-www-form-urlencoded; `.` in names becomes `_`.
    let b = base(
        "https://h/x",
        Some("application/x-www-form-urlencoded; charset=UTF-8"),
        Some("a.b=1+2"),
    );
    assert!(b.contains("a_b%3D1%2520"), "{b}");
    let b = base(
        "https://h/x",
        Some("Application/X-WWW-Form-Urlencoded"),
        Some("a.b=1"),
    );
    assert!(!b.contains("a_b"), "{b}");
    let b = base("https://h/x", Some("application/json"), Some(r#"{"a":1}"#));
    assert!(!b.contains("%2522a"), "{b}");
}

#[test]
fn handshake_helpers() {
    let a = oauth::parse_activation(
        &format!("oauth_consumer_key={CK}&oauth_consumer_secret={CS}&store_base_url=https%3A%2F%2Fshop.example.com%2F&oauth_verifier={}", "w".repeat(32)),
        1000,
    )
    .unwrap();
    assert_eq!(a.store_base_url, "https://shop.example.com/");
    assert!(!a.expired(1299) && a.expired(1300));
    assert!(oauth::parse_activation("oauth_consumer_key=x", 0).is_err());

    let mut o = SignOptions::new(Profile::Magento247, 1_700_000_000);
    o.nonce = Some("nreq1".into());
    o.extra = vec![(
        "oauth_callback".into(),
        "http://client.example.com/cb?x=1&y=a b".into(),
    )];
    let (url, s) = oauth::request_token_request("https://shop.example.com/", CK, CS, &o).unwrap();
    assert_eq!(url, "https://shop.example.com/oauth/token/request");
    // The golden vector 2.4.7-4.
    assert_eq!(s.signature, "3Ut1uEgnEJXMPt8KDGsqwJAlTWZtcZbeckk6iPDmqGk=");

    let pair =
        oauth::parse_token_response(&format!("oauth_token={TK}&oauth_token_secret={TS}")).unwrap();
    assert_eq!((pair.token.as_str(), pair.secret.as_str()), (TK, TS));
    let e = oauth::parse_token_response("oauth_problem=Consumer+key+has+expired").unwrap_err();
    assert_eq!(e.to_string(), "Consumer key has expired");
    let (url, s) = oauth::access_token_request(
        "https://shop.example.com",
        CK,
        CS,
        &pair,
        &"w".repeat(32),
        &SignOptions::new(Profile::Magento247, 1),
    )
    .unwrap();
    assert_eq!(url, "https://shop.example.com/oauth/token/access");
    assert!(s
        .authorization
        .contains(&format!("oauth_verifier=\"{}\"", "w".repeat(32))));
    assert!(s.base_string.contains(&format!("oauth_token%3D{TK}")));
}
