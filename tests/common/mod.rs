//! Shared helpers for the integration tests: the Magento corpus lives in `../shared`
//! and is read at test time, never copied into the project.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use mage_policy::{Policy, PolicyBuilder};

/// `$MAGE_POLICY_CORPUS`, default `../shared/corpus/magento` (relative to the crate).
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MAGE_POLICY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/magento"));
    if dir.join("webapi").is_dir() {
        return Some(dir);
    }
    if std::env::var("MAGE_POLICY_REQUIRE_CORPUS").as_deref() == Ok("1") {
        panic!(
            "MAGE_POLICY_REQUIRE_CORPUS=1 but the Magento corpus is missing at {}",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED: Magento corpus not found at {} (set MAGE_POLICY_CORPUS)",
        dir.display()
    );
    None
}

/// The third-party corpus beside the Magento one.
pub fn thirdparty_dir() -> Option<PathBuf> {
    let d = corpus_dir()?.join("../thirdparty");
    if d.join("webapi").is_dir() {
        Some(d)
    } else if std::env::var("MAGE_POLICY_REQUIRE_CORPUS").as_deref() == Ok("1") {
        panic!(
            "MAGE_POLICY_REQUIRE_CORPUS=1 but {} is missing",
            d.display()
        );
    } else {
        eprintln!("SKIPPED: third-party corpus not found at {}", d.display());
        None
    }
}

/// `(name, text)` of every `.xml` file in `dir`, sorted by name.
pub fn read_dir(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect()
}

/// A builder with every core webapi.xml and acl.xml, in sorted name order.
pub fn corpus_builder(dir: &Path) -> PolicyBuilder {
    let mut b = Policy::builder();
    for (n, t) in read_dir(&dir.join("webapi")) {
        b = b.webapi(format!("webapi/{n}"), t);
    }
    for (n, t) in read_dir(&dir.join("acl")) {
        b = b.acl(format!("acl/{n}"), t);
    }
    b
}

/// The core corpus policy, or `None` (test skipped) when the corpus is absent.
pub fn corpus_policy() -> Option<Policy> {
    let dir = corpus_dir()?;
    Some(
        corpus_builder(&dir)
            .build()
            .expect("the Magento corpus loads"),
    )
}

/// The project's own sample store (`fixtures/sample`).
pub fn sample_builder() -> PolicyBuilder {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
    Policy::builder()
        .webapi(
            "fixtures/sample/webapi.xml",
            std::fs::read_to_string(dir.join("webapi.xml")).unwrap(),
        )
        .acl(
            "fixtures/sample/acl.xml",
            std::fs::read_to_string(dir.join("acl.xml")).unwrap(),
        )
}

pub fn sample_policy() -> Policy {
    sample_builder().build().expect("the sample store loads")
}
