//! The fast router agrees with a literal, slow transcription of Magento's algorithm
//! (`Rest\Config::getRestRoutes` + `Router::match` + `Route::match`, spec §2.3), on the
//! corpus and on generated route sets.

mod common;
#[path = "common/reference_router.rs"]
mod reference_router;

use reference_router::reference;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use mage_policy::{Policy, Principal, Request};
use proptest::prelude::*;

fn fast(policy: &Policy, path: &str, method: &str) -> Option<(usize, BTreeMap<String, String>)> {
    let full = format!("/rest{path}");
    let d = policy.decide(&Request::new(method, &full), &Principal::Guest);
    let r = d.route()?;
    let mut params = BTreeMap::new();
    for (k, v) in d.leftover_params().iter().chain(d.params()) {
        params.insert(k.to_string(), v.to_string());
    }
    Some((r.index, params))
}

fn agree(policy: &Policy, path: &str, method: &str) {
    // Only paths the sync processor takes reach the router.
    static SYNC: LazyLock<regex::Regex> = LazyLock::new(|| regex::Regex::new(r"^/V\d+").unwrap());
    if !SYNC.is_match(path) {
        return;
    }
    // PathProcessor trims every leading and trailing slash before routing (spec §2.2).
    let processed = format!("/{}", path.trim_matches('/'));
    assert_eq!(
        fast(policy, path, method),
        reference(policy, &processed, method),
        "{method} {path}"
    );
}

fn instantiate(url: &str, values: &[&str], k: usize) -> String {
    url.split('/')
        .enumerate()
        .map(|(i, s)| {
            if s.starts_with(':') {
                values[(i + k) % values.len()]
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn corpus_routes_agree_with_reference() {
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    let values = [
        "me", "mine", "12", "all", "m%65", "a+b", "default", "01", "x-y", "", "search", "items",
    ];
    let mut checked = 0;
    for r in policy.routes() {
        for k in 0..values.len() {
            let p = instantiate(&r.url, &values, k);
            for m in ["GET", "POST", "PUT", "DELETE"] {
                agree(&policy, &p, m);
                agree(&policy, &format!("{p}/"), m);
                checked += 2;
            }
        }
    }
    assert!(checked > 30_000);
}

const LITERALS: &[&str] = &[
    "V1",
    "customers",
    "me",
    "mine",
    "items",
    "carts",
    "guest",
    "guest-carts",
    "1",
    "01",
    "1.0",
    "1e0",
    " 1",
    "-x",
    ".x",
    "0",
    "_a",
    "a_b",
    "all",
    "search",
    "9223372036854775808",
    "9223372036854775809",
];
const VARS: &[&str] = &[":id", ":sku", ":cartId", "::x", ":"];
const PATH_VALUES: &[&str] = &["m%65", "a+b", "", "%", "x%2Fy", "ALL", "me ", "10"];

fn template_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(LITERALS).prop_map(str::to_string),
        2 => proptest::sample::select(VARS).prop_map(str::to_string),
    ]
}

fn route_url() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(template_segment(), 1..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(segs, lead, trail)| {
            let mut u = String::new();
            if lead {
                u.push('/');
            }
            u.push_str("V1/");
            u.push_str(&segs.join("/"));
            if trail {
                u.push('/');
            }
            u
        })
}

fn path_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(LITERALS).prop_map(str::to_string),
        1 => proptest::sample::select(PATH_VALUES).prop_map(str::to_string),
    ]
}

fn request_path() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(path_segment(), 1..4),
        any::<bool>(),
    )
        .prop_map(|(segs, trail)| {
            let mut p = format!("/V1/{}", segs.join("/"));
            if trail {
                p.push('/');
            }
            p
        })
}

fn policy_for(routes: &[(String, &str)]) -> Policy {
    let body: String = routes
        .iter()
        .map(|(u, m)| {
            format!(
                r#"<route url="{}" method="{m}"><service class="S" method="m"/><resources><resource ref="anonymous"/></resources></route>"#,
                u.replace('&', "&amp;").replace('"', "&quot;")
            )
        })
        .collect();
    Policy::builder()
        .webapi("gen.xml", format!("<routes>{body}</routes>"))
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn generated_route_sets_agree_with_reference(
        routes in proptest::collection::vec((route_url(), proptest::sample::select(&["GET", "POST", "get", "PUT"][..])), 1..24),
        paths in proptest::collection::vec(request_path(), 1..12),
        method in proptest::sample::select(&["GET", "POST", "PUT"][..]),
    ) {
        let policy = policy_for(&routes);
        for p in &paths {
            agree(&policy, p, method);
        }
        // Every route's own template, instantiated, must agree too.
        for (u, _) in &routes {
            let p = format!("/{}", u.trim_start_matches('/'));
            agree(&policy, &instantiate(&p, PATH_VALUES, 0), method);
        }
    }
}

#[test]
fn digit_dash_and_dot_literals_lose_to_variables() {
    // ':' sorts after digits, '-' and '.', before letters (spec §2.3). The exact
    // shortcut hides this for byte-equal paths, so the literal is followed by a variable.
    let routes: Vec<(String, &str)> = [
        "/V1/x/:id/:v",
        "/V1/x/1/:v",
        "/V1/x/-a/:v",
        "/V1/x/.b/:v",
        "/V1/x/abc/:v",
    ]
    .iter()
    .map(|u| (u.to_string(), "GET"))
    .collect();
    let policy = policy_for(&routes);
    let winner = |p: &str| fast(&policy, p, "GET").map(|(i, _)| policy.routes()[i].url.clone());
    assert_eq!(winner("/V1/x/1/z").as_deref(), Some("/V1/x/:id/:v"));
    assert_eq!(winner("/V1/x/01/z").as_deref(), Some("/V1/x/:id/:v"));
    assert_eq!(winner("/V1/x/-a/z").as_deref(), Some("/V1/x/:id/:v"));
    assert_eq!(winner("/V1/x/.b/z").as_deref(), Some("/V1/x/:id/:v"));
    assert_eq!(winner("/V1/x/abc/z").as_deref(), Some("/V1/x/abc/:v"));
    for p in [
        "/V1/x/1/z",
        "/V1/x/01/z",
        "/V1/x/-a/z",
        "/V1/x/.b/z",
        "/V1/x/abc/z",
    ] {
        agree(&policy, p, "GET");
    }
}
