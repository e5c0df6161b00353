//! Criterion benchmarks for the credential layer: OAuth sign and verify (Magento
//! 2.4.7 profile), JWT verify, and a whole bearer-token request through
//! identify + authorize on the sample store.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use mage_policy::forced::Placeholders;
use mage_policy::identity::{HttpRequest, JwtSource, Sources};
use mage_policy::oauth::{
    self, ClientCredentials, ConsumerRecord, IntegrationRef, MemoryCredentials, NonceCheck,
    NonceStore, Profile, SignOptions, SignedRequest, TokenKind, TokenRecord, VerifyOptions,
};
use mage_policy::token::{self, JwtAlg, JwtKey, UserKind};
use mage_policy::Policy;

/// Accepts every nonce: the benchmark re-verifies one request many times.
struct NoReplayCheck;
impl NonceStore for NoReplayCheck {
    fn check_and_record(&mut self, _: u64, _: &str, _: i64, _: i64) -> NonceCheck {
        NonceCheck::Fresh
    }
}

fn credentials(c: &mut Criterion) {
    let (ck, cs, tk, ts) = (
        "a".repeat(32),
        "c".repeat(32),
        "b".repeat(32),
        "d".repeat(32),
    );
    let creds = ClientCredentials {
        consumer_key: ck.clone(),
        consumer_secret: cs.clone(),
        token: Some(tk.clone()),
        token_secret: Some(ts.clone()),
    };
    let url = "https://shop.example.com/rest/default/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1";
    let req = SignedRequest {
        method: "GET",
        url,
        content_type: None,
        body: None,
    };
    let mut opts = SignOptions::new(Profile::Magento247, 1_700_000_000);
    opts.nonce = Some("0123456789abcdefghijklmnopqrstuv".into());
    let mut g = c.benchmark_group("credentials");
    g.bench_function("oauth_sign_magento247", |b| {
        b.iter(|| black_box(oauth::sign(black_box(&req), &creds, &opts).unwrap()))
    });
    let mut random = SignOptions::new(Profile::Magento247, 1_700_000_000);
    random.nonce = None;
    g.bench_function("oauth_sign_with_random_nonce", |b| {
        b.iter(|| black_box(oauth::sign(black_box(&req), &creds, &random).unwrap()))
    });

    let header = oauth::sign(&req, &creds, &opts).unwrap().authorization;
    let mut store = MemoryCredentials::default();
    store.add_consumer(ConsumerRecord {
        id: 1,
        key: ck.clone(),
        secret: cs.clone(),
        updated_at: None,
        integration: Some(IntegrationRef {
            id: 1,
            active: true,
        }),
    });
    store.add_token(TokenRecord {
        token: tk.clone(),
        secret: ts.clone(),
        consumer_id: 1,
        kind: TokenKind::Access,
        revoked: false,
        verifier: None,
    });
    let vopts = VerifyOptions::new(Profile::Magento247, 1_700_000_000);
    g.bench_function("oauth_verify_magento247", |b| {
        b.iter(|| {
            black_box(
                oauth::verify(
                    black_box(&req),
                    Some(&header),
                    &store,
                    &mut NoReplayCheck,
                    &vopts,
                )
                .unwrap(),
            )
        })
    });

    let key = JwtKey::from_crypt_key("8f2c1d9e4b7a60315c9e2f4a7d1b3c5e").unwrap();
    let jwt = token::issue(
        &key,
        JwtAlg::HS256,
        UserKind::Customer,
        5,
        1_700_000_000,
        60,
    )
    .unwrap();
    let jopts = token::VerifyOptions::new(JwtAlg::HS256, 1_700_000_100);
    g.bench_function("jwt_verify_hs256", |b| {
        b.iter(|| black_box(token::verify(black_box(&jwt), &key, &jopts).unwrap()))
    });
    g.bench_function("jwt_issue_hs256", |b| {
        b.iter(|| {
            black_box(
                token::issue(
                    &key,
                    JwtAlg::HS256,
                    UserKind::Customer,
                    5,
                    1_700_000_000,
                    60,
                )
                .unwrap(),
            )
        })
    });

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
    let policy = Policy::builder()
        .webapi(
            "webapi.xml",
            std::fs::read_to_string(dir.join("webapi.xml")).unwrap(),
        )
        .acl(
            "acl.xml",
            std::fs::read_to_string(dir.join("acl.xml")).unwrap(),
        )
        .build()
        .unwrap();
    let bearer = format!("Bearer {jwt}");
    let http = HttpRequest {
        method: "GET",
        url: "https://shop.example.com/rest/default/V1/carts/mine",
        headers: vec![("Authorization", bearer.as_str())],
        body: None,
    };
    let placeholders = Placeholders::default();
    g.bench_function("identify_and_authorize_bearer", |b| {
        b.iter(|| {
            let mut s = Sources::new(1_700_000_100);
            s.jwt = Some(JwtSource::new(&key, JwtAlg::HS256));
            black_box(
                policy
                    .authorize(black_box(&http), &mut s, &placeholders)
                    .status(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, credentials);
criterion_main!(benches);
