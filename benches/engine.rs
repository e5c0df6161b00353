//! Criterion benchmarks: decisions over the Magento corpus, route lookup alone (the
//! index against a literal transcription of Magento's scan), XML and bundle loading,
//! and synthetic route sets of 300, 3,000 and 30,000 routes to show flat cost.
//!
//! `cargo bench --bench engine`; set `MAGE_POLICY_CORPUS` if the corpus is not at
//! `../shared/corpus/magento`.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mage_policy::{bundle, Policy, PolicyBuilder, Principal, Request};

#[path = "../tests/common/reference_router.rs"]
mod reference_router;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("MAGE_POLICY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/magento"));
    dir.join("webapi").is_dir().then_some(dir)
}

fn read_dir(dir: &Path) -> Vec<(String, String)> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v.into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn builder(webapi: &[(String, String)], acl: &[(String, String)]) -> PolicyBuilder {
    let mut b = Policy::builder();
    for (n, t) in webapi {
        b = b.webapi(n.clone(), t.clone());
    }
    for (n, t) in acl {
        b = b.acl(n.clone(), t.clone());
    }
    b
}

/// A realistic mix: storefront widgets (guests and customers), admin tooling,
/// integrations, and the noise an edge sees (404s, bad methods).
fn mix(policy: &Policy) -> Vec<(&'static str, &'static str, Principal)> {
    let customer = Principal::customer(5, 1);
    let admin = Principal::Admin {
        id: 1,
        role: Some(policy.role_from_resources([
            "Magento_Sales::sales",
            "Magento_Sales::actions_view",
            "Magento_Catalog::products",
        ])),
    };
    let integration = Principal::Integration {
        id: 2,
        role: Some(policy.role_all()),
    };
    vec![
        ("GET", "/rest/default/V1/customers/me", customer.clone()),
        ("GET", "/rest/default/V1/carts/mine", customer.clone()),
        (
            "POST",
            "/rest/default/V1/carts/mine/items",
            customer.clone(),
        ),
        (
            "PUT",
            "/rest/default/V1/carts/mine/items/17",
            customer.clone(),
        ),
        ("GET", "/rest/default/V1/products/24-MB01", Principal::Guest),
        (
            "GET",
            "/rest/V1/products?searchCriteria[pageSize]=10",
            Principal::Guest,
        ),
        (
            "POST",
            "/rest/default/V1/guest-carts/abc123/items",
            Principal::Guest,
        ),
        ("GET", "/rest/V1/directory/countries", Principal::Guest),
        ("GET", "/rest/V1/orders/42", admin.clone()),
        ("POST", "/rest/V1/orders/42/cancel", admin),
        (
            "PUT",
            "/rest/all/V1/products/24-MB01/stockItems/1",
            integration.clone(),
        ),
        (
            "GET",
            "/rest/V1/configurable-products/sku1/options/all",
            integration,
        ),
        ("GET", "/rest/V1/customers/12", customer),
        ("GET", "/rest/V1/nothing/here", Principal::Guest),
        ("PATCH", "/rest/V1/customers/me", Principal::Guest),
        ("GET", "/rest/v1/customers/me", Principal::Guest),
    ]
}

fn decisions(c: &mut Criterion) {
    let Some(dir) = corpus() else {
        eprintln!("corpus not found: skipping corpus benchmarks");
        return;
    };
    let webapi = read_dir(&dir.join("webapi"));
    let acl = read_dir(&dir.join("acl"));
    let policy = builder(&webapi, &acl).build().unwrap();
    let requests = mix(&policy);

    print_mix_table(&policy, &requests);

    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Elements(requests.len() as u64));
    g.bench_function("decide_mix", |b| {
        b.iter(|| {
            for (m, p, who) in &requests {
                black_box(policy.decide(&Request::new(m, p), who).status());
            }
        })
    });
    g.throughput(Throughput::Elements(1));
    let customer = Principal::customer(5, 1);
    g.bench_function("decide_customers_me", |b| {
        b.iter(|| {
            black_box(
                policy
                    .decide(
                        &Request::new("GET", black_box("/rest/default/V1/customers/me")),
                        &customer,
                    )
                    .allowed(),
            )
        })
    });
    g.bench_function("decide_carts_mine_items_put", |b| {
        b.iter(|| {
            black_box(
                policy
                    .decide(
                        &Request::new("PUT", black_box("/rest/default/V1/carts/mine/items/17")),
                        &customer,
                    )
                    .allowed(),
            )
        })
    });
    g.bench_function("decide_and_render_401", |b| {
        b.iter(|| {
            black_box(
                policy
                    .decide(
                        &Request::new("GET", black_box("/rest/V1/customers/12")),
                        &Principal::Guest,
                    )
                    .body(),
            )
        })
    });

    let paths = [
        ("GET", "/V1/customers/12"),
        ("PUT", "/V1/carts/mine/items/17"),
        ("GET", "/V1/configurable-products/sku1/options/all"),
        ("GET", "/V1/products/24-MB01/media/3"),
        ("POST", "/V1/guest-carts/abc/items"),
    ];
    g.throughput(Throughput::Elements(paths.len() as u64));
    g.bench_function("route_lookup_index", |b| {
        b.iter(|| {
            for (m, p) in &paths {
                black_box(policy.match_route(m, p));
            }
        })
    });
    g.bench_function("route_lookup_magento_scan", |b| {
        b.iter(|| {
            for (m, p) in &paths {
                black_box(reference_router::reference(&policy, p, m));
            }
        })
    });
    g.throughput(Throughput::Elements(1));
    g.sample_size(30);
    g.bench_function("load_xml_76_files", |b| {
        b.iter(|| black_box(builder(&webapi, &acl).build().unwrap()))
    });
    let bytes = bundle::to_bytes(&policy);
    println!("corpus bundle: {} bytes", bytes.len());
    g.bench_function("load_bundle", |b| {
        b.iter(|| black_box(bundle::from_bytes(&bytes).unwrap()))
    });
    g.finish();
}

/// Time each request of the mix on its own and print a table plus the median: the
/// figure the README quotes ("route + decision, median over a realistic mix").
fn print_mix_table(policy: &Policy, requests: &[(&str, &str, Principal)]) {
    const ROUNDS: u32 = 200_000;
    let mut per_request: Vec<(f64, String)> = requests
        .iter()
        .map(|(m, p, who)| {
            let req = Request::new(m, p);
            for _ in 0..10_000 {
                black_box(policy.decide(black_box(&req), who).status());
            }
            let start = std::time::Instant::now();
            for _ in 0..ROUNDS {
                black_box(policy.decide(black_box(&req), who).status());
            }
            let ns = start.elapsed().as_nanos() as f64 / ROUNDS as f64;
            let d = policy.decide(&req, who);
            (
                ns,
                format!("{m:<6} {p:<55} {:>3} {}", d.status(), who.kind()),
            )
        })
        .collect();
    println!("\nroute + decision per request (corpus, {ROUNDS} rounds each):");
    for (ns, label) in &per_request {
        println!("  {ns:>7.1} ns  {label}");
    }
    per_request.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = per_request.len();
    let median = (per_request[(n - 1) / 2].0 + per_request[n / 2].0) / 2.0;
    println!("  median {median:.1} ns over {n} requests\n");
}

/// `n` routes spread over modules, entities and shapes like Magento's.
fn synthetic(n: usize) -> String {
    let mut xml = String::from("<routes>");
    for i in 0..n {
        let (url, method) = match i % 6 {
            0 => (format!("/V1/module{}/entity{}", i % 97, i), "GET"),
            1 => (format!("/V1/module{}/entity{}/:id", i % 97, i), "GET"),
            2 => (format!("/V1/module{}/entity{}/:id", i % 97, i), "PUT"),
            3 => (
                format!("/V1/module{}/entity{}/:id/items/:itemId", i % 97, i),
                "DELETE",
            ),
            4 => (format!("/V1/module{}/entity{}/mine", i % 97, i), "GET"),
            _ => (format!("/V1/module{}/entity{}/search", i % 97, i), "POST"),
        };
        xml.push_str(&format!(
            r#"<route url="{url}" method="{method}"><service class="S{i}" method="m"/><resources><resource ref="anonymous"/></resources></route>"#
        ));
    }
    xml.push_str("</routes>");
    xml
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    for n in [300usize, 3_000, 30_000] {
        let policy = Policy::builder()
            .webapi("synthetic.xml", synthetic(n))
            .build()
            .unwrap();
        let k = n / 2 - (n / 2) % 6; // an entity in the middle of the table
        let probe = format!("/rest/V1/module{}/entity{}/77", (k + 1) % 97, k + 1);
        let who = Principal::Guest;
        g.bench_with_input(BenchmarkId::new("decide", n), &probe, |b, p| {
            b.iter(|| black_box(policy.decide(&Request::new("GET", p), &who).allowed()))
        });
        if n <= 3_000 {
            let processed = probe.trim_start_matches("/rest").to_string();
            g.bench_with_input(BenchmarkId::new("magento_scan", n), &processed, |b, p| {
                b.iter(|| black_box(reference_router::reference(&policy, p, "GET")))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, decisions, scaling);
criterion_main!(benches);
