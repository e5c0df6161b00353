//! Magento's merge and conversion rules (spec §1.2–§1.3, §3.4) and located diagnostics.

mod common;

use mage_policy::{Policy, Principal, Request};

fn route(url: &str, method: &str, inner: &str) -> String {
    format!(r#"<route url="{url}" method="{method}">{inner}</route>"#)
}

fn routes(body: &str) -> String {
    format!("<routes>{body}</routes>")
}

const SVC: &str = r#"<service class="A\B" method="m"/>"#;

#[test]
fn later_files_union_resources_and_replace_service() {
    let a = routes(&route(
        "/V1/x",
        "GET",
        &format!(r#"{SVC}<resources><resource ref="R::one"/></resources>"#),
    ));
    let b = routes(&route(
        "/V1/x",
        "GET",
        r#"<service class="C\D" method="n"/><resources><resource ref="R::two"/><resource ref="R::one"/></resources>"#,
    ));
    let p = Policy::builder()
        .webapi("a.xml", a)
        .webapi("b.xml", b)
        .build()
        .unwrap();
    assert_eq!(p.routes().len(), 1);
    let r = &p.routes()[0];
    assert_eq!(r.service_class, "C\\D");
    assert_eq!(r.service_method, "n");
    assert_eq!(r.resources, ["R::one", "R::two"]);
}

#[test]
fn adding_anonymous_later_does_not_open_a_route() {
    let a = routes(&route(
        "/V1/x",
        "GET",
        &format!(r#"{SVC}<resources><resource ref="R::one"/></resources>"#),
    ));
    let b = routes(&route(
        "/V1/x",
        "GET",
        r#"<resources><resource ref="anonymous"/></resources>"#,
    ));
    let p = Policy::builder()
        .webapi("a.xml", a)
        .webapi("b.xml", b)
        .build()
        .unwrap();
    assert_eq!(p.routes()[0].resources, ["R::one", "anonymous"]);
    assert!(!p
        .decide(&Request::new("GET", "/rest/V1/x"), &Principal::Guest)
        .allowed());
}

#[test]
fn parameters_merge_by_name_and_later_values_win() {
    let a = routes(&route(
        "/V1/x",
        "PUT",
        &format!(
            r#"{SVC}<resources><resource ref="self"/></resources><data>
              <parameter name="a.id" force="true">%customer_id%</parameter>
              <parameter name="b">one</parameter></data>"#
        ),
    ));
    let b = routes(&route(
        "/V1/x",
        "PUT",
        r#"<data><parameter name="b" force="yes">two</parameter><parameter name="c">null</parameter></data>"#,
    ));
    let p = Policy::builder()
        .webapi("a.xml", a)
        .webapi("b.xml", b)
        .build()
        .unwrap();
    let params = &p.routes()[0].parameters;
    assert_eq!(params.len(), 3);
    assert_eq!(
        (
            params[0].name.as_str(),
            params[0].force,
            params[0].value.as_deref()
        ),
        ("a.id", true, Some("%customer_id%"))
    );
    assert_eq!(
        (
            params[1].name.as_str(),
            params[1].force,
            params[1].value.as_deref()
        ),
        ("b", true, Some("two"))
    );
    assert_eq!(
        (
            params[2].name.as_str(),
            params[2].force,
            params[2].value.as_deref()
        ),
        ("c", false, None)
    );
}

#[test]
fn secure_uses_php_truthiness_and_force_uses_filter_var() {
    let body: String = [
        ("a", "false"),
        ("b", "0"),
        ("c", ""),
        ("d", " 1 "),
        ("e", "true"),
    ]
    .iter()
    .map(|(u, s)| {
        route(
            &format!("/V1/{u}"),
            "GET",
            &format!(r#"{SVC}<resources><resource ref="anonymous"/></resources>"#),
        )
        .replace("method=\"GET\"", &format!("method=\"GET\" secure=\"{s}\""))
    })
    .collect();
    let p = Policy::builder()
        .webapi("s.xml", routes(&body))
        .build()
        .unwrap();
    let secure: Vec<bool> = p.routes().iter().map(|r| r.secure).collect();
    // `secure="false"` is secure in Magento: (bool)"false" === true.
    assert_eq!(secure, [true, false, false, true, true]);

    let params = r#"<data>
        <parameter name="a" force="on">1</parameter><parameter name="b" force="false">1</parameter>
        <parameter name="c" force=" TRUE ">1</parameter><parameter name="d" force="2">1</parameter>
        <parameter name="e"> %customer_id% </parameter></data>"#;
    let p = Policy::builder()
        .webapi(
            "p.xml",
            routes(&route(
                "/V1/x",
                "GET",
                &format!(r#"{SVC}<resources><resource ref="anonymous"/></resources>{params}"#),
            )),
        )
        .build()
        .unwrap();
    let f: Vec<bool> = p.routes()[0].parameters.iter().map(|x| x.force).collect();
    assert_eq!(f, [true, false, true, false, false]);
    // Values are not trimmed: this is a literal, not a placeholder.
    assert_eq!(
        p.routes()[0].parameters[4].value.as_deref(),
        Some(" %customer_id% ")
    );
}

#[test]
fn url_is_trimmed_but_not_normalised() {
    let body = route(
        "  /V1/x/  ",
        "GET",
        &format!(r#"{SVC}<resources><resource ref="anonymous"/></resources>"#),
    ) + &route(
        "/V1/x",
        "GET",
        &format!(r#"{SVC}<resources><resource ref="anonymous"/></resources>"#),
    );
    let p = Policy::builder()
        .webapi("u.xml", routes(&body))
        .build()
        .unwrap();
    let urls: Vec<&str> = p.routes().iter().map(|r| r.url.as_str()).collect();
    assert_eq!(urls, ["/V1/x/", "/V1/x"]);
}

#[test]
fn acl_merges_by_id_at_every_depth_and_sorts_by_sort_order() {
    let a = r#"<config><acl><resources><resource id="Magento_Backend::admin">
        <resource id="M::b" title="B" sortOrder="20"/><resource id="M::a" title="A" sortOrder="30"/>
      </resource></resources></acl></config>"#;
    let b = r#"<config><acl><resources><resource id="Magento_Backend::admin">
        <resource id="M::a" title="A2" sortOrder="10"><resource id="M::a1"/></resource>
        <resource id="M::c" sortOrder="15" disabled="true"><resource id="M::c1"/></resource>
      </resource></resources></acl></config>"#;
    let p = Policy::builder()
        .acl("a.xml", a)
        .acl("b.xml", b)
        .build()
        .unwrap();
    let ids: Vec<&str> = p.acl().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["Magento_Backend::admin", "M::a", "M::a1", "M::b"]);
    assert_eq!(p.acl().get("M::a").unwrap().title.as_deref(), Some("A2"));
}

#[test]
fn malformed_xml_is_a_located_error() {
    let err = Policy::builder()
        .webapi(
            "bad.xml",
            "<routes>\n  <route url=\"/V1/x\" method=\"GET\">\n</routes>",
        )
        .build()
        .unwrap_err();
    let d = err.first().unwrap();
    assert_eq!(d.code, "xml-syntax");
    let loc = d.location.as_ref().unwrap();
    assert_eq!((loc.file.as_str(), loc.line), ("bad.xml", 3));
    assert!(err.to_string().starts_with("bad.xml:3:"), "{err}");
}

#[test]
fn missing_required_attributes_are_located_errors() {
    let err = Policy::builder()
        .webapi(
            "m.xml",
            "<routes>\n<route url=\"/V1/x\">\n<service class=\"A\"/></route></routes>",
        )
        .build()
        .unwrap_err();
    let msgs: Vec<String> = err
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(
        msgs[0].starts_with("m.xml:2:1: error[missing-attribute]: <route> has no `method`"),
        "{msgs:?}"
    );
    assert!(
        msgs[1].starts_with("m.xml:3:1: error[missing-attribute]: <service> has no `method`"),
        "{msgs:?}"
    );
}

#[test]
fn unknown_elements_are_located_warnings() {
    let xml = routes(&route(
        "/V1/x",
        "GET",
        &format!(r#"{SVC}<resources><resource ref="anonymous"/></resources><extra/>"#),
    ));
    let p = Policy::builder()
        .webapi("w.xml", xml.clone())
        .build()
        .unwrap();
    let w = &p.diagnostics()[0];
    assert_eq!(w.code, "unknown-element");
    assert!(!w.is_error());
    let loc = w.location.as_ref().unwrap();
    assert_eq!(
        (loc.line, loc.column as usize),
        (1, xml.find("<extra/>").unwrap() + 1)
    );
}

#[test]
fn missing_service_or_resources_fail_like_magento() {
    let err = Policy::builder()
        .webapi(
            "w.xml",
            routes(&route(
                "/V1/x",
                "GET",
                r#"<resources><resource ref="anonymous"/></resources>"#,
            )),
        )
        .build()
        .unwrap_err();
    assert_eq!(err.first().unwrap().code, "missing-service");
    let err = Policy::builder()
        .webapi("w.xml", routes(&route("/V1/x", "GET", SVC)))
        .build()
        .unwrap_err();
    assert_eq!(err.first().unwrap().code, "missing-resources");
}

#[test]
fn duplicate_acl_id_under_two_parents_is_an_error() {
    let acl = r#"<config><acl><resources>
      <resource id="A::a"><resource id="X::x"/></resource>
      <resource id="B::b"><resource id="X::x"/></resource></resources></acl></config>"#;
    let err = Policy::builder().acl("a.xml", acl).build().unwrap_err();
    let d = err.first().unwrap();
    assert_eq!(d.code, "duplicate-acl-id");
    assert_eq!(d.location.as_ref().unwrap().line, 3);
}

#[test]
fn wrong_root_and_xml_declaration_after_comment() {
    let err = Policy::builder()
        .webapi("acl-as-webapi.xml", "<config/>")
        .build()
        .unwrap_err();
    assert_eq!(err.first().unwrap().code, "wrong-root");
    let err = Policy::builder()
        .webapi(
            "late-decl.xml",
            "<!-- licence -->\n<?xml version=\"1.0\"?>\n<routes/>",
        )
        .build()
        .unwrap_err();
    let d = err.first().unwrap();
    assert_eq!(d.code, "xml-syntax");
    assert_eq!(d.location.as_ref().unwrap().line, 2);
}

#[test]
fn ambiguous_merge_names_both_places() {
    let a = routes(
        &(route(
            "/V1/x",
            "GET",
            &format!(r#"{SVC}<resources><resource ref="anonymous"/></resources>"#),
        )
        .repeat(2)),
    );
    let b = routes(&route("/V1/x", "GET", SVC));
    let err = Policy::builder()
        .webapi("a.xml", a)
        .webapi("b.xml", b)
        .build()
        .unwrap_err();
    let d = err.first().unwrap();
    assert_eq!(d.code, "ambiguous-merge");
    assert_eq!(d.location.as_ref().unwrap().file, "b.xml");
    assert!(d.help.as_ref().unwrap().contains("a.xml:1:"));
}

#[test]
fn thirdparty_corpus_merges_over_core() {
    let Some(core) = common::corpus_dir() else {
        return;
    };
    let Some(tp) = common::thirdparty_dir() else {
        return;
    };
    let mut b = common::corpus_builder(&core);
    for (n, t) in common::read_dir(&tp.join("webapi")) {
        b = b.webapi(format!("thirdparty/webapi/{n}"), t);
    }
    for (n, t) in common::read_dir(&tp.join("acl")) {
        b = b.acl(format!("thirdparty/acl/{n}"), t);
    }
    let p = b.build().unwrap_or_else(|e| panic!("{:#?}", e.diagnostics));
    assert!(p.routes().len() > 347);
    // TwoFactorAuth re-declares the admin token route: the service is swapped, the
    // resource list (anonymous) kept.
    let r = p
        .routes()
        .iter()
        .find(|r| r.url == "/V1/integration/admin/token" && r.method == "POST")
        .unwrap();
    assert_eq!(
        r.service_class,
        "Magento\\TwoFactorAuth\\Api\\AdminTokenServiceInterface"
    );
    assert_eq!(r.resources, ["anonymous"]);
    // Every file parsed: no errors, only warnings.
    assert!(p.diagnostics().iter().all(|d| !d.is_error()));
}

#[test]
fn thirdparty_malformed_file_fails_with_location() {
    let Some(tp) = common::thirdparty_dir() else {
        return;
    };
    for (n, t) in common::read_dir(&tp.join("malformed")) {
        let err = Policy::builder().webapi(n.clone(), t).build().unwrap_err();
        let d = err.first().unwrap();
        assert_eq!(d.code, "xml-syntax", "{n}: {d}");
        let loc = d.location.as_ref().unwrap();
        assert_eq!(loc.file, n);
        assert!(loc.line > 1, "{d}");
    }
}
