//! OAuth 1.0a: arbitrary Authorization headers, URLs and bodies through the verifier
//! (every profile) and the signer. Never a panic; a signature we make verifies once and
//! its replay is refused.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mage_policy::oauth::{
    self, ClientCredentials, MemoryCredentials, MemoryNonces, Profile, SignOptions, SignedRequest,
    VerifyOptions,
};

const CREDS: &str = r#"{"consumers":{"ck0123456789abcdef0123456789abcd":{"secret":"cs0123456789abcdef0123456789abcd"}},
  "tokens":{"tk0123456789abcdef0123456789abcd":{"secret":"ts0123456789abcdef0123456789abcd","consumer":"ck0123456789abcdef0123456789abcd","type":"access"}}}"#;

fuzz_target!(|data: &[u8]| {
    let parts: Vec<String> = data
        .splitn(5, |&b| b == 0xFF)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .chain(std::iter::repeat(String::new()))
        .take(5)
        .collect();
    let (method, url, header, content_type, body) =
        (&parts[0], &parts[1], &parts[2], &parts[3], &parts[4]);
    let store = MemoryCredentials::from_json(CREDS).unwrap();
    let req = SignedRequest {
        method,
        url,
        content_type: (!content_type.is_empty()).then_some(content_type.as_str()),
        body: Some(body),
    };
    for profile in [Profile::Rfc5849, Profile::Magento247, Profile::Magento248] {
        let mut nonces = MemoryNonces::default();
        let _ = oauth::verify(
            &req,
            Some(header),
            &store,
            &mut nonces,
            &VerifyOptions::new(profile, 1_700_000_000),
        );

        // Sign the fuzzed request with the real credentials: it must verify exactly once.
        let creds = ClientCredentials {
            consumer_key: "ck0123456789abcdef0123456789abcd".into(),
            consumer_secret: "cs0123456789abcdef0123456789abcd".into(),
            token: Some("tk0123456789abcdef0123456789abcd".into()),
            token_secret: Some("ts0123456789abcdef0123456789abcd".into()),
        };
        let mut opts = SignOptions::new(profile, 1_700_000_000);
        opts.nonce = Some("fuzznonce".into());
        if let Ok(signed) = oauth::sign(&req, &creds, &opts) {
            let mut nonces = MemoryNonces::default();
            let v = VerifyOptions::new(profile, 1_700_000_000);
            let first = oauth::verify(&req, Some(&signed.authorization), &store, &mut nonces, &v);
            if let Ok(Some(_)) = first {
                let again =
                    oauth::verify(&req, Some(&signed.authorization), &store, &mut nonces, &v);
                assert!(again.is_err(), "a replayed nonce was accepted");
            }
        }
    }
});
