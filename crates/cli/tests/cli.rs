//! The command-line contract: JSON lines in and out, exit codes, discovery.

mod common;

use common::{lines, run, sample};

use serde_json::Value;

#[test]
fn decide_reads_and_writes_json_lines() {
    let mut args = vec!["decide".to_string()];
    args.extend(sample());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let input = concat!(
        r#"{"method":"GET","path":"/rest/default/V1/customers/me","https":true,"principal":{"type":"customer","id":5,"website":1}}"#,
        "\n",
        r#"{"method":"GET","path":"/rest/V1/customers/12","principal":{"type":"guest"}}"#,
        "\n",
        r#"{"method":"POST","path":"/rest/V1/orders/3/cancel","principal":{"type":"admin","id":1,"resources":["Magento_Sales::sales"]}}"#,
        "\n",
        r#"{"method":"PATCH","path":"/rest/V1/customers/me"}"#,
        "\n",
    );
    let (code, out, _) = run(&args, input);
    assert_eq!(code, 0);
    let v = lines(&out);
    assert_eq!(v.len(), 4);
    assert_eq!(v[0]["status"], 200);
    assert_eq!(v[0]["allowed"], true);
    assert_eq!(
        v[0]["route"]["service"],
        "Magento\\Customer\\Api\\CustomerRepositoryInterface::getById"
    );
    assert_eq!(v[1]["status"], 401);
    assert_eq!(
        v[1]["message"],
        "The consumer isn't authorized to access %resources."
    );
    assert_eq!(
        v[1]["parameters"]["resources"],
        "Magento_Customer::customer"
    );
    assert_eq!(v[1]["params"]["customerId"], "12");
    assert_eq!(
        v[2]["missing"],
        serde_json::json!(["Magento_Sales::cancel"])
    );
    assert_eq!(
        v[2]["resources"],
        serde_json::json!(["Magento_Sales::sales", "Magento_Sales::cancel"])
    );
    assert_eq!(v[3]["status"], 405);
    assert_eq!(v[3]["route"], Value::Null);
}

#[test]
fn bad_input_lines_are_reported_and_exit_2() {
    let mut args = vec!["decide".to_string()];
    args.extend(sample());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let input = "{\"method\":\"GET\",\"path\":\"/rest/V1/products\"}\nnot json\n{\"method\":\"GET\",\"path\":\"/x\",\"principal\":{\"type\":\"root\"}}\n";
    let (code, out, _) = run(&args, input);
    assert_eq!(code, 2);
    let v = lines(&out);
    assert_eq!(v[0]["status"], 401);
    assert_eq!(v[1]["error"]["line"], 2);
    assert_eq!(v[2]["error"]["line"], 3);
}

#[test]
fn bad_xml_is_reported_with_its_location_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("mp-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("webapi.xml");
    std::fs::write(
        &f,
        "<routes>\n  <route url=\"/V1/x\" method=\"GET\">\n</routes>\n",
    )
    .unwrap();
    let (code, _, err) = run(&["decide", "--webapi", f.to_str().unwrap()], "");
    assert_eq!(code, 2);
    assert!(err.contains("webapi.xml:3:"), "{err}");
    assert!(err.contains("error[xml-syntax]"), "{err}");
    let (code, _, err) = run(&["decide"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--webapi"), "{err}");
}

#[test]
fn explain_and_routes() {
    let mut args = vec!["explain".to_string()];
    args.extend(sample());
    args.push("--request".into());
    args.push(r#"{"method":"PUT","path":"/rest/V1/carts/mine/items/5","principal":{"type":"customer","id":5}}"#.into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, _) = run(&args, "");
    assert_eq!(code, 0);
    assert!(
        out.contains("route: PUT /V1/carts/mine/items/:itemId"),
        "{out}"
    );
    assert!(
        out.contains("leftover parameter cartId = \"mine\""),
        "{out}"
    );
    assert!(out.contains("→ ALLOWED"), "{out}");

    let mut args = vec!["routes".to_string()];
    args.extend(sample());
    args.extend([
        "--principal".into(),
        r#"{"type":"guest"}"#.into(),
        "--json".into(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, _) = run(&args, "");
    assert_eq!(code, 0);
    let urls: Vec<String> = lines(&out)
        .iter()
        .map(|v| {
            format!(
                "{} {}",
                v["method"].as_str().unwrap(),
                v["url"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        urls,
        [
            "GET /V1/directory/countries",
            "POST /V1/customers",
            "POST /V1/guest-carts",
            "POST /V1/integration/customer/token"
        ]
    );
}

#[test]
fn compile_then_decide_from_the_bundle() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let out = std::env::temp_dir().join(format!("mp-cli-{}.bundle", std::process::id()));
    let (code, _, err) = run(
        &[
            "compile",
            corpus.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("22 webapi.xml and 54 acl.xml: 347 routes, 228 ACL ids"),
        "{err}"
    );
    let input = "{\"method\":\"GET\",\"path\":\"/rest/V1/customers/m%65\",\"principal\":{\"type\":\"admin\",\"id\":1,\"resources\":[\"Magento_Customer::customer\"]}}\n";
    let (code, from_bundle, _) = run(&["decide", "--bundle", out.to_str().unwrap()], input);
    assert_eq!(code, 0);
    let webapi = corpus.join("webapi");
    let acl = corpus.join("acl");
    let (_, from_xml, _) = run(
        &[
            "decide",
            "--webapi",
            webapi.to_str().unwrap(),
            "--acl",
            acl.to_str().unwrap(),
        ],
        input,
    );
    assert_eq!(from_bundle, from_xml);
    assert_eq!(lines(&from_bundle)[0]["params"]["customerId"], "me");
}

#[test]
fn magento_root_loads_modules_in_config_php_order() {
    let root = std::env::temp_dir().join(format!("mp-root-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let module = |dir: &str, name: &str, service: &str| {
        let etc = root.join(dir).join("etc");
        std::fs::create_dir_all(&etc).unwrap();
        std::fs::write(
            etc.join("module.xml"),
            format!(r#"<config><module name="{name}"/></config>"#),
        )
        .unwrap();
        std::fs::write(
            etc.join("webapi.xml"),
            format!(r#"<routes><route url="/V1/x" method="GET"><service class="{service}" method="m"/><resources><resource ref="anonymous"/></resources></route></routes>"#),
        )
        .unwrap();
    };
    // Alphabetically A_Zed comes first; config.php loads B_Base first, so A_Zed wins.
    module("vendor/b/base", "B_Base", "Base");
    module("app/code/A/Zed", "A_Zed", "Zed");
    module("app/code/C/Off", "C_Off", "Off");
    std::fs::create_dir_all(root.join("app/etc")).unwrap();
    std::fs::write(
        root.join("app/etc/config.php"),
        "<?php\nreturn [\n    'modules' => [\n        'B_Base' => 1,\n        'A_Zed' => 1,\n        'C_Off' => 0,\n    ],\n];\n",
    )
    .unwrap();
    let out = root.join("b.bundle");
    let (code, _, err) = run(
        &[
            "compile",
            root.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("C_Off is not enabled"), "{err}");
    let (_, o, _) = run(
        &["decide", "--bundle", out.to_str().unwrap()],
        "{\"method\":\"GET\",\"path\":\"/rest/V1/x\"}\n",
    );
    assert_eq!(lines(&o)[0]["route"]["service"], "Zed::m");
}

#[test]
fn jwt_issue_verify_decode() {
    let key = "8f2c1d9e4b7a60315c9e2f4a7d1b3c5e";
    let (code, token, _) = run(
        &[
            "jwt",
            "issue",
            "--crypt-key",
            key,
            "--uid",
            "5",
            "--type",
            "customer",
            "--iat",
            "1700000000",
        ],
        "",
    );
    assert_eq!(code, 0);
    // Magento's own issuer minted exactly this token (golden vector JWT-1).
    assert_eq!(token.trim(), "eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ.eyJ1aWQiOjUsInV0eXBpZCI6MywiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.kArhUfS0B-yPp2mCRt2w8aTmV65GbG158sqJDEVSQgw");
    let input = format!("{}\n{}\nnonsense\n", token.trim(), token.trim());
    let (code, out, _) = run(
        &[
            "jwt",
            "verify",
            "--crypt-key",
            key,
            "--now",
            "1700000100",
            "--revoked",
            "customer:9:1800000000",
        ],
        &input,
    );
    assert_eq!(code, 0, "invalid tokens are answers, not failures");
    let v = lines(&out);
    assert_eq!(
        v[0],
        serde_json::json!({"valid": true, "uid": 5, "utypid": 3, "iat": 1700000000, "exp": 1700003600})
    );
    assert_eq!(v[2]["reason"], "malformed");
    let (_, out, _) = run(
        &[
            "jwt",
            "verify",
            "--crypt-key",
            key,
            "--now",
            "1700000100",
            "--revoked",
            "customer:5:1700000000",
        ],
        &input,
    );
    assert_eq!(lines(&out)[0]["reason"], "revoked");
    let (_, out, _) = run(
        &["jwt", "verify", "--crypt-key", key, "--now", "1700003600"],
        &input,
    );
    assert_eq!(lines(&out)[0]["reason"], "expired");
    let (_, out, _) = run(
        &[
            "jwt",
            "verify",
            "--crypt-key",
            key,
            "--alg",
            "HS512",
            "--now",
            "1",
        ],
        &input,
    );
    assert_eq!(lines(&out)[0]["reason"], "bad_alg");
    let (_, out, _) = run(&["jwt", "decode", "--now", "1700003000"], &input);
    assert_eq!(lines(&out)[0]["secondsLeft"], 600);
    let (code, _, err) = run(
        &[
            "jwt",
            "issue",
            "--crypt-key",
            key,
            "--uid",
            "5",
            "--type",
            "customer",
            "--iat",
            "1",
            "--alg",
            "none",
        ],
        "",
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn oauth_sign_then_verify_round_trip_and_base_string() {
    let dir = std::env::temp_dir().join(format!("mp-cli-oauth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (ck, cs, tk, ts) = (
        "a".repeat(32),
        "c".repeat(32),
        "b".repeat(32),
        "d".repeat(32),
    );
    let file = dir.join("consumers.json");
    std::fs::write(
        &file,
        serde_json::json!({"consumers": {ck.clone(): {"secret": cs}}, "tokens": {tk.clone(): {"secret": ts, "consumer": ck, "type": "access"}}}).to_string(),
    )
    .unwrap();
    let url = "https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10";
    let (code, out, err) = run(
        &[
            "oauth",
            "sign",
            "--profile",
            "magento-2.4.7",
            "--consumer-key",
            &ck,
            "--consumer-secret",
            &cs,
            "--token",
            &tk,
            "--token-secret",
            &ts,
            "--nonce",
            "n0nce",
            "--timestamp",
            "1700000000",
        ],
        &format!("{}\n", serde_json::json!({"method": "GET", "url": url})),
    );
    assert_eq!(code, 0, "{err}");
    let signed = &lines(&out)[0];
    assert_eq!(
        signed["signature"],
        "j658MLJVyE0eQrmibIujUgCD2VAJPEGDvsgkP0D/Zmw="
    ); // spec §7.2
    let request = serde_json::json!({"method": "GET", "url": url, "headers": {"Authorization": signed["authorization"]}});
    let input = format!("{request}\n{request}\n");
    let (code, out, _) = run(
        &[
            "oauth",
            "verify",
            "--profile",
            "magento-2.4.7",
            "--consumers",
            file.to_str().unwrap(),
            "--now",
            "1700000010",
        ],
        &input,
    );
    assert_eq!(code, 0);
    let v = lines(&out);
    assert_eq!(v[0]["valid"], true);
    assert_eq!(v[0]["consumerKey"], "a".repeat(32));
    // Nonces are remembered for the invocation: the second copy is a replay.
    assert_eq!(
        (v[1]["valid"].clone(), v[1]["status"].clone()),
        (serde_json::json!(false), serde_json::json!(401))
    );
    assert_eq!(
        v[1]["message"],
        "The nonce is already being used by the consumer with ID 1"
    );
    let (_, out, _) = run(
        &["oauth", "base-string", "--profile", "magento-2.4.7"],
        &format!("{request}\n"),
    );
    assert_eq!(lines(&out)[0]["baseString"], signed["baseString"]);
}

#[test]
fn an_unknown_principal_type_is_an_error_not_a_guest_or_a_user() {
    let mut args = vec!["decide".to_string()];
    args.extend(sample());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(
        &args,
        r#"{"method":"GET","path":"/rest/V1/customers/me","principal":{"type":"root","id":1}}"#,
    );
    assert_eq!(code, 2);
    let text = out + &err;
    assert!(!text.contains("\"allowed\":true"), "{text}");
    assert!(
        text.contains("root"),
        "the error names the unknown type: {text}"
    );
}

#[test]
fn authorize_reads_whole_requests_with_sources_from_flags() {
    let (code, token, err) = run(
        &[
            "jwt",
            "issue",
            "--crypt-key",
            "8f2c1d9e4b7a60315c9e2f4a7d1b3c5e",
            "--uid",
            "1",
            "--type",
            "admin",
            "--iat",
            "1700000000",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let mut args: Vec<String> = [
        "authorize",
        "--crypt-key",
        "8f2c1d9e4b7a60315c9e2f4a7d1b3c5e",
        "--admin-role",
        "1=Magento_Customer::customer",
        "--session",
        "abc=7:1",
        "--now",
        "1700000100",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(sample());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let auth = format!("Bearer {}", token.trim());
    let input = [
        serde_json::json!({"method":"GET","url":"https://shop.example.com/rest/V1/customers/12","headers":{"Authorization": auth}}),
        serde_json::json!({"method":"DELETE","url":"https://shop.example.com/rest/V1/customers/12","headers":[["Authorization", auth]]}),
        serde_json::json!({"method":"GET","url":"https://shop.example.com/rest/V1/carts/mine","headers":{"Cookie":"PHPSESSID=abc","X-Requested-With":"XMLHttpRequest"}}),
        serde_json::json!({"url":"https://shop.example.com/rest/V1/directory/countries"}),
    ]
    .iter()
    .map(|v| v.to_string())
    .collect::<Vec<_>>()
    .join("\n")
        + "\nnot json\n";
    let (code, out, _) = run(&args, &input);
    assert_eq!(code, 2, "a line that cannot be read makes the run exit 2");
    let v = lines(&out);
    assert_eq!(v[0]["status"], 200);
    assert_eq!(v[0]["identity"]["type"], "admin");
    assert_eq!(v[1]["status"], 401);
    assert_eq!(
        v[1]["missing"],
        serde_json::json!(["Magento_Customer::delete"])
    );
    assert_eq!(v[2]["identity"]["id"], 7);
    assert_eq!(v[3]["status"], 200);
    assert_eq!(v[3]["identity"], Value::Null);
    assert_eq!(v[4]["error"]["line"], 5);
    // Sources of the wrong shape are a usage error that names the member.
    let dir = std::env::temp_dir().join(format!("mp-cli-src-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("sources.json");
    std::fs::write(&f, r#"{"jwt":{"cryptKey":"k","algorithm":"HS256"}}"#).unwrap();
    let mut args = vec![
        "authorize".to_string(),
        "--sources".into(),
        f.display().to_string(),
    ];
    args.extend(sample());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, err) = run(&args, "");
    assert_eq!(code, 2);
    assert!(err.contains("algorithm"), "{err}");
}
