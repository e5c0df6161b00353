//! Decisions from a bundle equal decisions from the XML it was compiled from.

mod common;

use mage_policy::{bundle, Principal, Request};

#[test]
fn bundle_round_trip_gives_identical_decisions_on_the_corpus() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let xml = common::corpus_builder(&dir)
        .allow_insecure(true)
        .build()
        .unwrap();
    let bytes = bundle::to_bytes(&xml);
    let loaded = bundle::from_bytes(&bytes).unwrap();
    assert_eq!(bundle::to_bytes(&loaded), bytes, "serialisation is stable");
    assert_eq!(loaded.routes(), xml.routes());
    assert_eq!(loaded.settings(), xml.settings());
    let principals = [
        Principal::Guest,
        Principal::customer(5, 1),
        Principal::Admin {
            id: 1,
            role: Some(xml.role_all()),
        },
        Principal::Integration {
            id: 2,
            role: Some(
                xml.role_from_resources(["Magento_Catalog::products", "Magento_Sales::sales"]),
            ),
        },
    ];
    let mut compared = 0;
    for r in xml.routes() {
        let path = format!("/rest/default{}", r.url.replace(':', "x"));
        for p in &principals {
            for m in ["GET", "POST", "PUT", "DELETE"] {
                let req = Request::new(m, &path);
                let (a, b) = (xml.decide(&req, p), loaded.decide(&req, p));
                assert_eq!(
                    (a.status(), a.body(), a.missing()),
                    (b.status(), b.body(), b.missing()),
                    "{m} {path}"
                );
                assert_eq!(a.route().map(|r| r.index), b.route().map(|r| r.index));
                compared += 1;
            }
        }
    }
    assert!(compared > 5000);
}
