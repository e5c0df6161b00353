//! The decision table of spec §3.5, row by row, plus the ACL rules of §3.3–§3.4.

mod common;

use mage_policy::{AccountShare, Policy, Principal, Request, RuleRow, Store, Stores};

const ANON: (&str, &str) = ("POST", "/rest/V1/customers");
const SELF_: (&str, &str) = ("GET", "/rest/V1/customers/me");
const ACL: (&str, &str) = ("GET", "/rest/V1/customers/12");

fn allowed(policy: &Policy, (m, p): (&str, &str), who: &Principal) -> bool {
    policy.decide(&Request::new(m, p), who).allowed()
}

fn row(policy: &Policy, who: &Principal) -> [bool; 3] {
    [
        allowed(policy, ANON, who),
        allowed(policy, SELF_, who),
        allowed(policy, ACL, who),
    ]
}

fn admin(role: Option<mage_policy::Role>) -> Principal {
    Principal::Admin { id: 1, role }
}

fn integration(role: Option<mage_policy::Role>) -> Principal {
    Principal::Integration { id: 7, role }
}

fn check_table(policy: &Policy) {
    let restricted_with = policy.role_from_resources(["Magento_Customer::customer"]);
    let restricted_without = policy.role_from_resources(["Magento_Catalog::products"]);
    // guest | allow | deny | deny
    assert_eq!(row(policy, &Principal::Guest), [true, false, false]);
    // customer | allow | allow (own website) | deny
    assert_eq!(row(policy, &Principal::customer(5, 1)), [true, true, false]);
    // admin, All | allow | allow (fallback to "all") | allow
    assert_eq!(
        row(policy, &admin(Some(policy.role_all()))),
        [true, true, true]
    );
    // admin, restricted | allow | deny | per rules
    assert_eq!(
        row(policy, &admin(Some(restricted_with.clone()))),
        [true, false, true]
    );
    assert_eq!(
        row(policy, &admin(Some(restricted_without.clone()))),
        [true, false, false]
    );
    // integration, All | allow | allow | allow
    assert_eq!(
        row(policy, &integration(Some(policy.role_all()))),
        [true, true, true]
    );
    // integration, selected | allow | deny | per rules
    assert_eq!(
        row(policy, &integration(Some(restricted_with))),
        [true, false, true]
    );
    assert_eq!(
        row(policy, &integration(Some(restricted_without))),
        [true, false, false]
    );
    // admin/integration without role row | allow | deny | deny
    assert_eq!(row(policy, &admin(None)), [true, false, false]);
    assert_eq!(row(policy, &integration(None)), [true, false, false]);
}

#[test]
fn spec_3_5_decision_table_on_the_corpus() {
    let Some(policy) = common::corpus_policy() else {
        return;
    };
    check_table(&policy);
}

#[test]
fn spec_3_5_decision_table_on_the_sample_store() {
    check_table(&common::sample_policy());
}

#[test]
fn self_requires_the_customers_website_and_a_real_login() {
    let stores = Stores::new(
        vec![
            Store {
                code: "default".into(),
                id: 1,
                website_id: 1,
            },
            Store {
                code: "de".into(),
                id: 2,
                website_id: 2,
            },
        ],
        "default",
    )
    .unwrap();
    let policy = common::sample_builder()
        .stores(stores.clone())
        .build()
        .unwrap();
    let c1 = Principal::customer(5, 1);
    assert!(allowed(
        &policy,
        ("GET", "/rest/default/V1/customers/me"),
        &c1
    ));
    assert!(allowed(&policy, ("GET", "/rest/V1/customers/me"), &c1)); // default store
    assert!(!allowed(&policy, ("GET", "/rest/de/V1/customers/me"), &c1));
    // Store 0 (admin, via `all`) is never in a customer's shared stores.
    assert!(!allowed(&policy, ("GET", "/rest/all/V1/customers/me"), &c1));
    // Customer id 0 is falsy.
    assert!(!allowed(
        &policy,
        ("GET", "/rest/V1/customers/me"),
        &Principal::customer(0, 1)
    ));
    // A persistent-cart ("emulated") customer is not logged in.
    let emulated = Principal::Customer {
        id: 5,
        website_id: 1,
        emulated: true,
    };
    assert!(!allowed(
        &policy,
        ("GET", "/rest/V1/customers/me"),
        &emulated
    ));
    // Global account sharing: every store view, still never store 0.
    let global = common::sample_builder()
        .stores(stores)
        .account_share(AccountShare::Global)
        .build()
        .unwrap();
    assert!(allowed(&global, ("GET", "/rest/de/V1/customers/me"), &c1));
    assert!(!allowed(&global, ("GET", "/rest/all/V1/customers/me"), &c1));
}

#[test]
fn several_refs_are_all_required() {
    let policy = common::sample_policy();
    let path = ("POST", "/rest/V1/orders/9/cancel");
    let both = policy.role_from_resources([
        "Magento_Sales::sales",
        "Magento_Sales::actions",
        "Magento_Sales::cancel",
    ]);
    let one = policy.role_from_resources(["Magento_Sales::sales"]);
    assert!(allowed(&policy, path, &admin(Some(both))));
    let d = policy.decide(&Request::new(path.0, path.1), &admin(Some(one)));
    assert_eq!(d.status(), 401);
    assert_eq!(d.missing(), &["Magento_Sales::cancel"]);
    assert_eq!(
        d.body().unwrap(),
        r#"{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Sales::sales, Magento_Sales::cancel"}}"#
    );
}

#[test]
fn saved_roles_deny_unticked_children_explicitly() {
    let policy = common::sample_policy();
    // Ticking a parent does not grant its children: Magento saves a deny row for them.
    let parent_only = policy.role_from_resources(["Magento_Customer::customer"]);
    assert!(parent_only.is_allowed(&policy, "Magento_Customer::customer"));
    assert!(!parent_only.is_allowed(&policy, "Magento_Customer::manage"));
    // Magento_Backend::admin is always added to a non-"all" list.
    assert!(parent_only.is_allowed(&policy, "Magento_Backend::admin"));
    // An empty list saves nothing: denied everything, "all" included.
    let none = policy.role_from_resources(Vec::<String>::new());
    assert!(!none.is_allowed(&policy, "Magento_Backend::admin"));
    assert!(!none.has_all());
    // Magento_Backend::all among other ids: allow(role, null) too, but the explicit
    // deny rows of unticked resources still win for them.
    let mixed = policy.role_from_resources(["Magento_Backend::all", "Magento_Catalog::products"]);
    assert!(mixed.has_all());
    assert!(!mixed.is_allowed(&policy, "Magento_Customer::customer"));
    assert!(mixed.is_allowed(&policy, "Unknown_Module::thing"));
}

#[test]
fn raw_rule_rows_use_laminas_inheritance() {
    let policy = common::sample_policy();
    // Only an allow on the parent (no deny rows): children inherit it.
    let rows = vec![RuleRow {
        resource: "Magento_Customer::customer".into(),
        allow: true,
    }];
    let role = policy.role_from_rules(rows);
    assert!(role.is_allowed(&policy, "Magento_Customer::delete"));
    assert!(!role.is_allowed(&policy, "Magento_Catalog::products"));
    // With a deny row somewhere, resources without any row are denied (Rule.php
    // post-pass), so the inheritance no longer opens the children.
    let rows = vec![
        RuleRow {
            resource: "Magento_Customer::customer".into(),
            allow: true,
        },
        RuleRow {
            resource: "Magento_Catalog::products".into(),
            allow: false,
        },
    ];
    let role = policy.role_from_rules(rows);
    assert!(role.is_allowed(&policy, "Magento_Customer::customer"));
    assert!(!role.is_allowed(&policy, "Magento_Customer::delete"));
    // Rows for ids the ACL does not know are ignored.
    let role = policy.role_from_rules(vec![RuleRow {
        resource: "Nope::x".into(),
        allow: true,
    }]);
    assert!(!role.is_allowed(&policy, "Magento_Customer::customer"));
}

#[test]
fn unknown_comma_joined_and_disabled_refs_need_all() {
    let webapi = r#"<routes>
      <route url="/V1/a" method="GET"><service class="A" method="a"/>
        <resources><resource ref="Magento_Customer::customer, Magento_Sales::sales"/></resources></route>
      <route url="/V1/b" method="GET"><service class="B" method="b"/>
        <resources><resource ref="Typo_Module::nope"/></resources></route>
      <route url="/V1/c" method="GET"><service class="C" method="c"/>
        <resources><resource ref="Magento_Config::advanced"/></resources></route>
      <route url="/V1/d" method="GET"><service class="D" method="d"/>
        <resources/></route>
    </routes>"#;
    let acl = r#"<config><acl><resources>
      <resource id="Magento_Backend::all"/>
      <resource id="Magento_Backend::admin">
        <resource id="Magento_Customer::customer"/><resource id="Magento_Sales::sales"/>
        <resource id="Magento_Config::advanced" disabled="true"/>
      </resource></resources></acl></config>"#;
    let policy = Policy::builder()
        .webapi("w.xml", webapi)
        .acl("a.xml", acl)
        .build()
        .unwrap();
    let codes: Vec<&str> = policy.diagnostics().iter().map(|d| d.code).collect();
    assert!(codes.contains(&"comma-in-ref"));
    assert!(codes.contains(&"undefined-acl-id"));
    assert!(codes.contains(&"no-resources"));
    let restricted = admin(Some(policy.role_from_resources([
        "Magento_Customer::customer",
        "Magento_Sales::sales",
        "Magento_Config::advanced",
    ])));
    let all = admin(Some(policy.role_all()));
    for p in ["/rest/V1/a", "/rest/V1/b", "/rest/V1/c"] {
        assert!(!allowed(&policy, ("GET", p), &restricted), "{p}");
        assert!(allowed(&policy, ("GET", p), &all), "{p}");
        assert!(
            !allowed(&policy, ("GET", p), &Principal::customer(1, 1)),
            "{p}"
        );
    }
    // An empty resource list is vacuously allowed for everyone (spec §1.4).
    assert!(allowed(&policy, ("GET", "/rest/V1/d"), &Principal::Guest));
}

#[test]
fn allow_insecure_opens_exactly_the_listed_routes() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let closed = common::corpus_builder(&dir).build().unwrap();
    let open = common::corpus_builder(&dir)
        .allow_insecure(true)
        .build()
        .unwrap();
    let g = Principal::Guest;
    for (m, p) in [
        ("GET", "/rest/V1/products"),
        ("GET", "/rest/V1/products/abc"),
        ("GET", "/rest/V1/configurable-products/x/options/all"),
        ("GET", "/rest/V1/store/storeConfigs"),
        ("GET", "/rest/V1/cmsBlock/3"),
    ] {
        assert!(!allowed(&closed, (m, p), &g), "{p}");
        let d = open.decide(&Request::new(m, p), &g);
        assert!(d.allowed(), "{p}");
        assert_eq!(d.required(), &["anonymous"]);
    }
    // Not in the list: stays closed.
    assert!(!allowed(&open, ("POST", "/rest/V1/products"), &g));
    assert!(!allowed(&open, ("GET", "/rest/V1/customers/1"), &g));
    // Every one of the 31 list entries exists in the 2.4.7 corpus.
    let opened = (0..open.routes().len())
        .filter(|&i| open.opened_by_allow_insecure(i))
        .count();
    assert_eq!(opened, 31);
}

#[test]
fn insecure_list_parses_from_webapisecurity_di_xml() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let di = std::fs::read_to_string(dir.join("extra/WebapiSecurity/etc/di.xml")).unwrap();
    let policy = common::corpus_builder(&dir)
        .insecure_routes_from_di_xml("WebapiSecurity/etc/di.xml", &di)
        .build()
        .unwrap();
    let expected: Vec<String> = mage_policy::DEFAULT_INSECURE_ROUTES
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(policy.settings().insecure_routes, expected);
    let err = Policy::builder()
        .insecure_routes_from_di_xml("x.xml", "<config/>")
        .build()
        .unwrap_err();
    assert_eq!(err.first().unwrap().code, "no-insecure-list");
}
