//! Magento JWT user tokens: golden tokens minted by Magento's own issuer
//! (`magento-golden-vectors.md`), the V9 vector, and every rejection rule of spec §6.3.

use std::collections::HashMap;

use mage_policy::token::{self, Claims, JwtAlg, JwtError, JwtKey, UserKind, VerifyOptions};

const KEY: &str = "8f2c1d9e4b7a60315c9e2f4a7d1b3c5e";
const JWT1: &str = "eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ.eyJ1aWQiOjUsInV0eXBpZCI6MywiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.kArhUfS0B-yPp2mCRt2w8aTmV65GbG158sqJDEVSQgw";
const JWT2: &str = "eyJraWQiOiIxIiwiYWxnIjoiSFM1MTIifQ.eyJ1aWQiOjEsInV0eXBpZCI6MiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.cPuWBvMcFWJGIPq4BtxEBcoN1UMItvG7KqHZQ4CONH_9GugzlMmApa-xR1zdEL8aN2zlBEfj0g5wKbdiAg5fow";

fn key() -> JwtKey {
    JwtKey::from_crypt_key(KEY).unwrap()
}

#[test]
fn golden_jwt1_customer_default_is_issued_byte_for_byte() {
    let t = token::issue(
        &key(),
        JwtAlg::HS256,
        UserKind::Customer,
        5,
        1_700_000_000,
        60,
    )
    .unwrap();
    assert_eq!(t, JWT1);
    let c = token::verify(
        JWT1,
        &key(),
        &VerifyOptions::new(JwtAlg::HS256, 1_700_000_001),
    )
    .unwrap();
    assert_eq!(
        c,
        Claims {
            uid: 5,
            utypid: 3,
            iat: 1_700_000_000,
            exp: 1_700_003_600
        }
    );
}

#[test]
fn golden_jwt2_admin_hs512() {
    let t = token::issue(&key(), JwtAlg::HS512, UserKind::Admin, 1, 1_700_000_000, 60).unwrap();
    assert_eq!(t, JWT2);
    assert!(token::verify(
        JWT2,
        &key(),
        &VerifyOptions::new(JwtAlg::HS512, 1_700_000_001)
    )
    .is_ok());
    // Configured HS256: the HS512 token is refused (algorithm must match exactly).
    let e = token::verify(
        JWT2,
        &key(),
        &VerifyOptions::new(JwtAlg::HS256, 1_700_000_001),
    )
    .unwrap_err();
    assert_eq!(e.reason(), "bad_alg");
}

#[test]
fn golden_jwt3_rotated_keys_use_only_the_last() {
    let k = JwtKey::from_crypt_key(
        "  a1b2c3d4e5f60718293a4b5c6d7e8f90 \t 8f2c1d9e4b7a60315c9e2f4a7d1b3c5e\n\n",
    )
    .unwrap();
    assert_eq!(
        token::issue(&k, JwtAlg::HS256, UserKind::Customer, 5, 1_700_000_000, 60).unwrap(),
        JWT1
    );
}

#[test]
fn v9_header_without_kid_verifies() {
    let k = JwtKey::from_crypt_key("0123456789abcdef0123456789abcdef").unwrap();
    let t = "eyJhbGciOiJIUzI1NiJ9.eyJ1aWQiOjEsInV0eXBpZCI6MiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.c8aLnTG4XUwQt0nE1jASU7NPddiVd8Owa0IA-mLD1s8";
    let c = token::verify(t, &k, &VerifyOptions::new(JwtAlg::HS256, 1_700_000_100)).unwrap();
    assert_eq!((c.uid, c.utypid), (1, 2));
}

#[test]
fn expiry_is_exp_le_now_except_for_integrations() {
    let o = |now| VerifyOptions::new(JwtAlg::HS256, now);
    assert!(token::verify(JWT1, &key(), &o(1_700_003_599)).is_ok());
    assert_eq!(
        token::verify(JWT1, &key(), &o(1_700_003_600)).unwrap_err(),
        JwtError::Expired {
            exp: 1_700_003_600,
            now: 1_700_003_600
        }
    );
    let integration = token::encode(
        &key(),
        JwtAlg::HS256,
        &Claims {
            uid: 9,
            utypid: 1,
            iat: 1_000,
            exp: 2_000,
        },
    );
    assert_eq!(
        token::verify(&integration, &key(), &o(1_800_000_000))
            .unwrap()
            .utypid,
        1
    );
}

#[test]
fn revocation_is_iat_le_revoke_before() {
    let mut revoked: HashMap<(u8, u64), i64> = HashMap::new();
    revoked.insert((3, 5), 1_700_000_000);
    let opts = VerifyOptions::new(JwtAlg::HS256, 1_700_000_100).revocations(&revoked);
    assert_eq!(
        token::verify(JWT1, &key(), &opts).unwrap_err().reason(),
        "revoked"
    );
    revoked.insert((3, 5), 1_699_999_999);
    let opts = VerifyOptions::new(JwtAlg::HS256, 1_700_000_100).revocations(&revoked);
    assert!(token::verify(JWT1, &key(), &opts).is_ok());
    // Another user's revocation does not matter.
    revoked.insert((3, 5), 0);
    revoked.insert((2, 5), 1_800_000_000);
    let opts = VerifyOptions::new(JwtAlg::HS256, 1_700_000_100).revocations(&revoked);
    assert!(token::verify(JWT1, &key(), &opts).is_ok());
}

fn forge(header: &str, payload: &str, key: &[u8]) -> String {
    use base64::Engine;
    let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let input = format!("{}.{}", e(header), e(payload));
    let sig = {
        use hmac::Mac;
        let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
        m.update(input.as_bytes());
        m.finalize().into_bytes()
    };
    format!(
        "{input}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig)
    )
}

fn padded() -> Vec<u8> {
    let mut k = vec![b'&'; 1008];
    k.extend_from_slice(KEY.as_bytes());
    k.extend(std::iter::repeat_n(b'&', 1008));
    k
}

#[test]
fn rejection_reasons() {
    let now = VerifyOptions::new(JwtAlg::HS256, 1_700_000_100);
    let check = |t: &str| {
        token::verify(t, &key(), &now)
            .map(|_| ())
            .map_err(|e| e.reason())
    };
    let good = r#"{"uid":5,"utypid":3,"iat":1700000000,"exp":1700003600}"#;
    assert_eq!(check(&forge(r#"{"alg":"HS256"}"#, good, &padded())), Ok(()));
    // alg none, and a token signed for another store's key
    let none = format!(
        "{}.",
        forge(r#"{"alg":"none"}"#, good, &padded())
            .rsplit_once('.')
            .unwrap()
            .0
    );
    assert_eq!(check(&none), Err("bad_alg"));
    assert_eq!(
        check(&forge(r#"{"alg":"HS256"}"#, good, b"another store")),
        Err("bad_signature")
    );
    // claims
    assert_eq!(
        check(&forge(
            r#"{"alg":"HS256"}"#,
            r#"{"uid":0,"utypid":3,"iat":1700000000,"exp":1700003600}"#,
            &padded()
        )),
        Err("missing_claim")
    );
    assert_eq!(
        check(&forge(
            r#"{"alg":"HS256"}"#,
            r#"{"utypid":3,"iat":1700000000,"exp":1700003600}"#,
            &padded()
        )),
        Err("missing_claim")
    );
    assert_eq!(
        check(&forge(
            r#"{"alg":"HS256"}"#,
            r#"{"uid":"5","utypid":3,"iat":1700000000,"exp":1700003600}"#,
            &padded()
        )),
        Err("malformed")
    );
    // odd forms are refused rather than imitated
    assert_eq!(
        check(&forge(
            r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#,
            good,
            &padded()
        )),
        Err("malformed")
    );
    assert_eq!(check("not.a.jwt!"), Err("malformed"));
    assert_eq!(check("a.b"), Err("malformed"));
    assert_eq!(check(&format!("{JWT1}=")), Err("malformed"));
    assert_eq!(check(&"a".repeat(10_000)), Err("malformed"));
    // the signature is over the received bytes: re-encoding the payload breaks it
    let (h, rest) = JWT1.split_once('.').unwrap();
    let (_, s) = rest.split_once('.').unwrap();
    let tampered = format!(
        "{h}.{}.{s}",
        forge(
            "{}",
            r#"{"uid":6,"utypid":3,"iat":1700000000,"exp":1700003600}"#,
            b"x"
        )
        .split('.')
        .nth(1)
        .unwrap()
    );
    assert_eq!(check(&tampered), Err("bad_signature"));
}

#[test]
fn issue_refuses_what_magento_refuses() {
    assert!(token::issue(&key(), JwtAlg::HS256, UserKind::Customer, 0, 1, 60).is_err());
}

#[test]
fn decode_reads_without_a_key() {
    let d = token::decode(JWT1, Some(1_700_003_000)).unwrap();
    assert_eq!(
        (d.uid, d.utypid, d.exp, d.seconds_left),
        (Some(5), Some(3), Some(1_700_003_600), Some(600))
    );
    assert_eq!(d.header["kid"], "1");
    assert!(token::decode("x.y", None).is_err());
}
