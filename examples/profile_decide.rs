//! Runs one decision in a loop, for profilers (`perf record`, `valgrind --tool=callgrind`).
//! `cargo run --release --example profile_decide -- [iterations] [path | bundle]`
use mage_policy::{Policy, Principal, Request};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let path = args
        .next()
        .unwrap_or_else(|| "/rest/default/V1/customers/me".to_string());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/magento");
    let mut b = Policy::builder();
    for kind in ["webapi", "acl"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(kind))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let t = std::fs::read_to_string(&f).unwrap();
            b = if kind == "webapi" {
                b.webapi(f.display().to_string(), t)
            } else {
                b.acl(f.display().to_string(), t)
            };
        }
    }
    let policy = b.build().unwrap();
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
