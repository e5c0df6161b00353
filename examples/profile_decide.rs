//! Runs one decision in a loop, for profilers (`perf record`, `valgrind --tool=callgrind`).
//! `cargo run --release --example profile_decide -- [iterations] [path | bundle]`
mod common;

use mage_policy::{Principal, Request};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let path = args
        .next()
        .unwrap_or_else(|| "/rest/default/V1/customers/me".to_string());
    let policy = common::corpus_policy();
    if path == "bundle" {
        let bytes = mage_policy::bundle::to_bytes(&policy);
        for _ in 0..n {
            std::hint::black_box(mage_policy::bundle::from_bytes(&bytes).unwrap());
        }
        return;
    }
    let who = Principal::customer(5, 1);
    let mut allowed = 0usize;
    for _ in 0..n {
        let p = std::hint::black_box(path.as_str());
        allowed += policy.decide(&Request::new("GET", p), &who).allowed() as usize;
    }
    println!("{allowed} of {n} allowed");
}
