//! Properties of percent-encoding, base strings and sign → verify, on generated input.

use mage_policy::oauth::{
    self, ClientCredentials, ConsumerRecord, MemoryCredentials, MemoryNonces, Profile, SignOptions,
    SignedRequest, TokenKind, TokenRecord, VerifyOptions,
};
use mage_policy::php::rawurldecode;
use proptest::prelude::*;

fn profile() -> impl Strategy<Value = Profile> {
    prop_oneof![
        Just(Profile::Rfc5849),
        Just(Profile::Magento247),
        Just(Profile::Magento248)
    ]
}

/// Query keys and values with the characters that make profiles differ.
fn qtext() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9_.~ +%/é!*'()-]{0,8}").unwrap()
}

fn query() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec(
        (
            proptest::string::string_regex("[a-z][a-z0-9_]{0,6}").unwrap(),
            qtext(),
        ),
        0..5,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn percent_encoding_round_trips_and_uses_only_unreserved(s in any::<String>()) {
        let e = oauth::percent_encode(&s);
        prop_assert_eq!(rawurldecode(&e), s.as_str());
        prop_assert!(e.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._~%".contains(&c)));
        // Encoding is injective, so encoded names never collide.
        prop_assert_eq!(oauth::percent_encode(&e).len() >= e.len(), true);
    }

    #[test]
    fn base_strings_are_three_encoded_parts(p in profile(), q in query(), path in "[a-zA-Z0-9/]{0,12}") {
        let qs: Vec<String> = q.iter().map(|(k, v)| format!("{}={}", oauth::percent_encode(k), oauth::percent_encode(v))).collect();
        let url = format!("https://shop.example.com/{path}?{}", qs.join("&"));
        let req = SignedRequest { method: "get", url: &url, content_type: None, body: None };
        let base = oauth::base_string(p, &req, &[("oauth_consumer_key".into(), "k".into())]).unwrap();
        let parts: Vec<&str> = base.split('&').collect();
        prop_assert_eq!(parts.len(), 3, "{}", base);
        prop_assert_eq!(parts[0], "GET");
        for part in &parts[1..] {
            prop_assert!(part.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._~%".contains(&c)), "{}", part);
        }
        prop_assert!(parts[2].contains("oauth_consumer_key%3Dk"));
    }

    #[test]
    fn rfc_base_string_ignores_query_order(q in query()) {
        let qs: Vec<String> = q.iter().map(|(k, v)| format!("{}={}", oauth::percent_encode(k), oauth::percent_encode(v))).collect();
        let mut rev = qs.clone();
        rev.reverse();
        let a = format!("http://h/x?{}", qs.join("&"));
        let b = format!("http://h/x?{}", rev.join("&"));
        let base = |u: &str| oauth::base_string(Profile::Rfc5849, &SignedRequest { method: "GET", url: u, content_type: None, body: None }, &[]).unwrap();
        prop_assert_eq!(base(&a), base(&b));
    }

    #[test]
    fn what_we_sign_we_verify(p in profile(), q in query(), form in query(), post in any::<bool>(), nonce in "[a-z0-9]{1,32}") {
        let qs: Vec<String> = q.iter().map(|(k, v)| format!("{}={}", oauth::percent_encode(k), oauth::percent_encode(v))).collect();
        let url = format!("https://shop.example.com/rest/V1/x?{}", qs.join("&"));
        let body: String = form.iter().map(|(k, v)| format!("{}={}", oauth::percent_encode(k), oauth::percent_encode(v))).collect::<Vec<_>>().join("&");
        let req = if post {
            SignedRequest { method: "POST", url: &url, content_type: Some("application/x-www-form-urlencoded"), body: Some(&body) }
        } else {
            SignedRequest { method: "GET", url: &url, content_type: None, body: None }
        };
        let (ck, cs, tk, ts) = ("c".repeat(32), "s".repeat(32), "t".repeat(32), "u".repeat(32));
        let creds = ClientCredentials { consumer_key: ck.clone(), consumer_secret: cs.clone(), token: Some(tk.clone()), token_secret: Some(ts.clone()) };
        let mut o = SignOptions::new(p, 1_700_000_000);
        o.nonce = Some(nonce);
        let signed = match oauth::sign(&req, &creds, &o) {
            Ok(s) => s,
            // 2.4.8 fails on numeric keys like Magento does, and a Magento nonce "0"
            // is refused before signing: nothing to verify.
            Err(e) => { prop_assert!(e.status() == 500 || e.code() == "bad-nonce", "{}", e); return Ok(()); }
        };
        let mut store = MemoryCredentials::default();
        store.add_consumer(ConsumerRecord { id: 1, key: ck, secret: cs, updated_at: None, integration: None });
        store.add_token(TokenRecord { token: tk, secret: ts, consumer_id: 1, kind: TokenKind::Access, revoked: false, verifier: None });
        let v = oauth::verify(&req, Some(&signed.authorization), &store, &mut MemoryNonces::default(), &VerifyOptions::new(p, 1_700_000_000));
        prop_assert!(matches!(v, Ok(Some(_))), "{:?} {}", v, signed.base_string);
    }
}
