//! Helpers for the command-line tests: the repository's fixtures and the Magento
//! corpus beside the repository (read at test time, never copied).
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root (this crate lives in `crates/cli`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `$MAGE_POLICY_CORPUS`, default `../shared/corpus/magento` beside the repository.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MAGE_POLICY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/corpus/magento"));
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

/// `--webapi … --acl …` for the sample store.
pub fn sample() -> Vec<String> {
    let dir = repo().join("fixtures/sample");
    vec![
        "--webapi".into(),
        dir.join("webapi.xml").display().to_string(),
        "--acl".into(),
        dir.join("acl.xml").display().to_string(),
    ]
}

/// Run the tool: (exit code, stdout, stderr).
pub fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mage-policy"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Each output line as JSON.
pub fn lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
