// Shared by the fuzz targets: the project's sample policy and helpers.
#![allow(dead_code)]

use mage_policy::Policy;

pub const SAMPLE_WEBAPI: &str = include_str!("../../fixtures/sample/webapi.xml");
pub const SAMPLE_ACL: &str = include_str!("../../fixtures/sample/acl.xml");

pub fn sample_policy() -> Policy {
    Policy::builder()
        .webapi("webapi.xml", SAMPLE_WEBAPI)
        .acl("acl.xml", SAMPLE_ACL)
        .allow_insecure(true)
        .build()
        .expect("the sample policy loads")
}

/// Split the input into `n` strings at 0xFF bytes (lossy UTF-8).
pub fn split(data: &[u8], n: usize) -> Vec<String> {
    let mut parts: Vec<String> = data
        .splitn(n, |&b| b == 0xFF)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    parts.resize(n, String::new());
    parts
}
