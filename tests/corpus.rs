//! The Magento 2.4.7-p8 corpus loads with the counts the spec gives (§0), and the
//! merged result agrees with the corpus' own derived files.

mod common;

use std::collections::BTreeSet;

#[test]
fn core_corpus_has_347_routes_and_228_effective_acl_ids() {
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    assert_eq!(policy.routes().len(), 347);
    assert_eq!(policy.acl().len(), 228);
    let errors: Vec<_> = policy
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn disabled_acl_ids_are_dropped() {
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    for id in [
        "Magento_CatalogSearch::config_catalog_search",
        "Magento_Config::advanced",
        "Magento_Shipping::shipping_policy",
    ] {
        assert!(!policy.acl().contains(id), "{id} should be dropped");
    }
    assert!(policy.acl().contains("Magento_Customer::manage"));
}

#[test]
fn routes_agree_with_derived_routes_json() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("derived/routes.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let derived = json["routes"].as_array().unwrap();
    assert_eq!(derived.len(), policy.routes().len());
    for d in derived {
        let url = d["url"].as_str().unwrap();
        let method = d["method"].as_str().unwrap();
        let r = policy
            .routes()
            .iter()
            .find(|r| r.url == url && r.method == method)
            .unwrap_or_else(|| panic!("missing {method} {url}"));
        assert_eq!(r.service_class, d["service"]["class"].as_str().unwrap());
        assert_eq!(r.service_method, d["service"]["method"].as_str().unwrap());
        let res: Vec<&str> = d["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(r.resources, res, "{method} {url}");
        let params = d["parameters"].as_object().unwrap();
        assert_eq!(r.parameters.len(), params.len(), "{method} {url}");
        for p in &r.parameters {
            let dp = &params[&p.name];
            assert_eq!(
                p.value.as_deref(),
                dp["value"].as_str(),
                "{method} {url} {}",
                p.name
            );
        }
        let secure = d["secure"]
            .as_str()
            .map(|s| mage_policy::php::bool_cast(s.trim()))
            .unwrap_or(false);
        assert_eq!(r.secure, secure, "{method} {url}");
    }
}

#[test]
fn acl_ids_agree_with_derived_acl_tree() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("derived/acl_tree.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut derived = BTreeSet::new();
    fn walk(v: &serde_json::Value, out: &mut BTreeSet<String>) {
        for n in v.as_array().unwrap() {
            if n["disabled"].as_bool() == Some(true) {
                continue;
            }
            out.insert(n["id"].as_str().unwrap().to_string());
            walk(&n["children"], out);
        }
    }
    walk(&json["resources"], &mut derived);
    let ours: BTreeSet<String> = policy.acl().iter().map(|r| r.id.clone()).collect();
    assert_eq!(ours, derived);
    // Sibling order is by sortOrder: Magento_Backend::all (10) before ::admin (20).
    let roots: Vec<&str> = policy.acl().roots().map(|r| r.id.as_str()).collect();
    assert_eq!(roots, ["Magento_Backend::all", "Magento_Backend::admin"]);
}
