//! A literal, slow transcription of Magento's route selection (spec §2.3):
//! `Rest\Config::getRestRoutes` + `Router::match` + `Route::match`. The oracle the
//! fast router is tested against, and the "scan" baseline of the benchmarks.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use mage_policy::{php, Policy};

/// PHP's `$routes[$url][$method]` table, with insertion order kept.
struct Table<'a> {
    urls: Vec<(&'a str, Vec<(&'a str, usize)>)>,
}

fn table(policy: &Policy) -> Table<'_> {
    let mut urls: Vec<(&str, Vec<(&str, usize)>)> = Vec::new();
    for (i, r) in policy.routes().iter().enumerate() {
        match urls.iter_mut().find(|(u, _)| *u == r.url) {
            Some((_, ms)) => ms.push((r.method.as_str(), i)),
            None => urls.push((r.url.as_str(), vec![(r.method.as_str(), i)])),
        }
    }
    Table { urls }
}

/// Route::match, transcribed.
fn route_match(url: &str, path: &str) -> Option<Vec<(String, String)>> {
    let path_parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let route_parts: Vec<&str> = url.trim_matches('/').split('/').collect();
    if path_parts.len() != route_parts.len() {
        return None;
    }
    let mut result = Vec::new();
    for (value, part) in path_parts.iter().zip(&route_parts) {
        let is_var = part.starts_with(':') && part.chars().nth(1) != Some(':');
        if is_var {
            result.push((part[1..].to_string(), php::urldecode(value).into_owned()));
        } else if !php::loose_eq(value, part) {
            return None;
        }
    }
    Some(result)
}

/// Returns the winning route index and the request params after every candidate
/// wrote its variables.
pub fn reference(
    policy: &Policy,
    path: &str,
    method: &str,
) -> Option<(usize, BTreeMap<String, String>)> {
    let t = table(policy);
    // Config::getRestRoutes: exact shortcut.
    if let Some((_, ms)) = t.urls.iter().find(|(u, _)| *u == path) {
        if let Some((_, i)) = ms.iter().find(|(m, _)| *m == method) {
            return Some((*i, BTreeMap::new()));
        }
    }
    static BASE: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"^/?\w+/\w+").unwrap());
    let base = BASE.find(path).map(|m| m.as_str()).unwrap_or("");
    if base.is_empty() {
        return None; // no service base ⇒ no candidates
    }
    let mut sorted: Vec<&(&str, Vec<(&str, usize)>)> = t.urls.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes())); // ksort SORT_STRING
    let mut candidates = Vec::new();
    for (url, ms) in sorted {
        if url.trim_matches('/').starts_with(base.trim_matches('/')) {
            for (m, i) in ms {
                if m.to_uppercase() == method.to_uppercase() {
                    candidates.push((*url, *i));
                }
            }
        }
    }
    // Router::match: every matching candidate sets its params; array_pop wins.
    let mut params = BTreeMap::new();
    let mut matched = Vec::new();
    for (url, i) in candidates {
        if let Some(vars) = route_match(url, path) {
            for (k, v) in vars {
                params.insert(k, v);
            }
            matched.push(i);
        }
    }
    matched.pop().map(|i| (i, params))
}
