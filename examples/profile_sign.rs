//! Signs one request in a loop, for profilers: `cargo run --release --example profile_sign`.
use mage_policy::oauth::{self, ClientCredentials, Profile, SignOptions, SignedRequest};

fn main() {
    let creds = ClientCredentials {
        consumer_key: "a".repeat(32),
        consumer_secret: "c".repeat(32),
        token: Some("b".repeat(32)),
        token_secret: Some("d".repeat(32)),
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
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(500_000);
    let mut total = 0;
    for _ in 0..n {
        total += oauth::sign(std::hint::black_box(&req), &creds, &opts)
            .unwrap()
            .signature
            .len();
    }
    println!("{total}");
}
