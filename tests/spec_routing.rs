//! Every worked example of spec §2.4, against the real corpus.

mod common;

use mage_policy::{Outcome, Policy, Principal, Request};

fn all_admin(policy: &Policy) -> Principal {
    Principal::Admin {
        id: 1,
        role: Some(policy.role_all()),
    }
}

struct Case {
    method: &'static str,
    path: &'static str,
    processed: &'static str,
    outcome: Outcome,
    status: u16,
    winner: Option<&'static str>,
    resources: &'static [&'static str],
    params: &'static [(&'static str, &'static str)],
    leftover: &'static [(&'static str, &'static str)],
    store_id: u32,
}

const fn case(method: &'static str, path: &'static str, processed: &'static str) -> Case {
    Case {
        method,
        path,
        processed,
        outcome: Outcome::Allowed,
        status: 200,
        winner: None,
        resources: &[],
        params: &[],
        leftover: &[],
        store_id: 1,
    }
}

#[test]
fn spec_2_4_worked_examples() {
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    let cases = [
        Case {
            winner: Some("/V1/customers/me"),
            resources: &["self"],
            ..case("GET", "/rest/V1/customers/me", "/V1/customers/me")
        },
        Case {
            winner: Some("/V1/customers/me"),
            resources: &["self"],
            ..case("GET", "/rest/default/V1/customers/me/", "/V1/customers/me")
        },
        Case {
            winner: Some("/V1/customers/:customerId"),
            resources: &["Magento_Customer::customer"],
            params: &[("customerId", "12")],
            ..case("GET", "/rest/V1/customers/12", "/V1/customers/12")
        },
        Case {
            winner: Some("/V1/customers/:customerId"),
            resources: &["Magento_Customer::customer"],
            params: &[("customerId", "me")],
            ..case("GET", "/rest/V1/customers/m%65", "/V1/customers/m%65")
        },
        Case {
            winner: Some("/V1/customers/:customerId"),
            resources: &["Magento_Customer::delete"],
            params: &[("customerId", "me")],
            ..case("DELETE", "/rest/V1/customers/me", "/V1/customers/me")
        },
        Case {
            outcome: Outcome::NoRoute,
            status: 404,
            ..case("POST", "/rest/V1/customers/me", "/V1/customers/me")
        },
        Case {
            winner: Some("/V1/carts/mine/items/:itemId"),
            resources: &["self"],
            params: &[("itemId", "5")],
            leftover: &[("cartId", "mine")],
            ..case(
                "PUT",
                "/rest/V1/carts/mine/items/5",
                "/V1/carts/mine/items/5",
            )
        },
        Case {
            winner: Some("/V1/configurable-products/:sku/options/all"),
            resources: &["Magento_Catalog::products"],
            params: &[("sku", "sku1")],
            leftover: &[("id", "all")],
            ..case(
                "GET",
                "/rest/V1/configurable-products/sku1/options/all",
                "/V1/configurable-products/sku1/options/all",
            )
        },
        Case {
            winner: Some("/V1/configurable-products/:sku/options/:id"),
            resources: &["Magento_Catalog::products"],
            params: &[("sku", "sku1"), ("id", "7")],
            ..case(
                "GET",
                "/rest/V1/configurable-products/sku1/options/7",
                "/V1/configurable-products/sku1/options/7",
            )
        },
        Case {
            winner: Some("/V1/customerGroups/default"),
            resources: &["Magento_Customer::group"],
            ..case(
                "GET",
                "/rest/V1/customerGroups/default",
                "/V1/customerGroups/default",
            )
        },
        Case {
            winner: Some("/V1/guest-carts/:cartId"),
            resources: &["self"],
            params: &[("cartId", "abc")],
            ..case("PUT", "/rest/V1/guest-carts/abc", "/V1/guest-carts/abc")
        },
        Case {
            winner: Some("/V1/products/:sku"),
            resources: &["Magento_Catalog::products"],
            params: &[("sku", "a b")],
            ..case("GET", "/rest/V1/products/a+b", "/V1/products/a+b")
        },
        Case {
            winner: Some("/V1/products/:sku"),
            resources: &["Magento_Catalog::products"],
            params: &[("sku", "abc")],
            store_id: 0,
            ..case("GET", "/rest/all/V1/products/abc", "/V1/products/abc")
        },
        Case {
            outcome: Outcome::NotProcessable,
            status: 400,
            ..case("GET", "/rest/v1/customers/me", "/v1/customers/me")
        },
        Case {
            outcome: Outcome::NotProcessable,
            status: 400,
            ..case(
                "GET",
                "/rest/DEFAULT/V1/customers/me",
                "/DEFAULT/V1/customers/me",
            )
        },
        Case {
            outcome: Outcome::NoRoute,
            status: 404,
            ..case("GET", "/rest/V1//customers/me", "/V1//customers/me")
        },
        Case {
            outcome: Outcome::NoRoute,
            status: 404,
            ..case("GET", "/rest/V1", "/V1")
        },
        Case {
            outcome: Outcome::MethodNotAllowed,
            status: 405,
            ..case("PATCH", "/rest/V1/customers/me", "/V1/customers/me")
        },
    ];
    let admin = all_admin(&policy);
    for c in &cases {
        let d = policy.decide(&Request::new(c.method, c.path), &admin);
        let label = format!("{} {}", c.method, c.path);
        assert_eq!(d.outcome(), c.outcome, "{label}");
        assert_eq!(d.status(), c.status, "{label}");
        assert_eq!(d.path(), c.processed, "{label}");
        assert_eq!(d.store().id, c.store_id, "{label}");
        assert_eq!(d.route().map(|r| r.def.url.as_str()), c.winner, "{label}");
        assert_eq!(d.required(), c.resources, "{label}");
        let params: Vec<(&str, &str)> = d.params().iter().map(|(k, v)| (*k, v.as_ref())).collect();
        assert_eq!(params, c.params, "{label}");
        let leftover: Vec<(&str, &str)> = d
            .leftover_params()
            .iter()
            .map(|(k, v)| (*k, v.as_ref()))
            .collect();
        assert_eq!(leftover, c.leftover, "{label}");
    }
}

#[test]
fn spec_2_4_candidate_counts() {
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    let admin = all_admin(&policy);
    let d = policy.decide(&Request::new("GET", "/rest/V1/customers/12"), &admin);
    assert_eq!(d.route().unwrap().candidates, 1);
    assert!(!d.route().unwrap().exact);
    let d = policy.decide(&Request::new("PUT", "/rest/V1/carts/mine/items/5"), &admin);
    assert_eq!(d.route().unwrap().candidates, 2);
    let d = policy.decide(&Request::new("GET", "/rest/V1/customers/me"), &admin);
    assert!(d.route().unwrap().exact);
}

#[test]
fn magento_error_bodies() {
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    let g = Principal::Guest;
    let d = policy.decide(&Request::new("GET", "/rest/V1/customers/12"), &g);
    assert_eq!(d.status(), 401);
    assert_eq!(
        d.body().unwrap(),
        r#"{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Customer::customer"}}"#
    );
    let d = policy.decide(&Request::new("GET", "/rest/V1/nothing/here"), &g);
    assert_eq!(
        d.body().unwrap(),
        r#"{"message":"Request does not match any route."}"#
    );
    let d = policy.decide(&Request::new("patch", "/rest/V1/customers/me"), &g);
    assert_eq!(
        d.body().unwrap(),
        r#"{"message":"The PATCH HTTP method is not supported."}"#
    );
    let d = policy.decide(&Request::new("GET", "/rest/v1/customers/me"), &g);
    assert_eq!(
        d.body().unwrap(),
        r#"{"message":"Specified request cannot be processed."}"#
    );
    let d = policy.decide(&Request::new("GET", "/graphql"), &g);
    assert_eq!(d.outcome(), Outcome::NotRest);
    assert_eq!(d.body(), None);
}

#[test]
fn https_only_route_is_checked_after_authorization() {
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    let admin = all_admin(&policy);
    let plain = Request::new("GET", "/rest/V1/analytics/link").https(false);
    let d = policy.decide(&plain, &admin);
    assert_eq!(d.status(), 400);
    assert_eq!(
        d.body().unwrap(),
        r#"{"message":"Operation allowed only in HTTPS"}"#
    );
    // A guest fails authorization first: 401, not 400.
    assert_eq!(policy.decide(&plain, &Principal::Guest).status(), 401);
    assert!(policy
        .decide(&Request::new("GET", "/rest/V1/analytics/link"), &admin)
        .allowed());
}

#[test]
fn method_is_upper_cased_and_async_reuses_routes() {
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    let admin = all_admin(&policy);
    assert!(policy
        .decide(&Request::new("get", "/rest/V1/customers/12"), &admin)
        .allowed());
    let d = policy.decide(&Request::new("POST", "/rest/async/V1/products"), &admin);
    assert!(d.allowed());
    assert_eq!(d.status(), 202);
    assert_eq!(d.route().unwrap().def.url, "/V1/products");
    assert_eq!(
        policy
            .decide(
                &Request::new("POST", "/rest/async/V1/products"),
                &Principal::Guest
            )
            .status(),
        401
    );
    // GET is not accepted by the async processor.
    assert_eq!(
        policy
            .decide(&Request::new("GET", "/rest/async/V1/products"), &admin)
            .status(),
        400
    );
}
