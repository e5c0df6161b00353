//! The XML loader: arbitrary webapi.xml and acl.xml text (merged over the sample) must
//! load or fail with located diagnostics — never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mage_policy::{Policy, Principal, Request};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let parts = common::split(data, 2);
    let built = Policy::builder()
        .webapi("sample/webapi.xml", common::SAMPLE_WEBAPI)
        .webapi("fuzz/webapi.xml", &parts[0])
        .acl("sample/acl.xml", common::SAMPLE_ACL)
        .acl("fuzz/acl.xml", &parts[1])
        .build();
    match built {
        Ok(policy) => {
            let d = policy.decide(&Request::new("GET", "/rest/V1/products"), &Principal::Guest);
            let _ = d.status();
            let _ = mage_policy::bundle::to_bytes(&policy);
        }
        Err(e) => {
            assert!(!e.diagnostics.is_empty());
            for d in &e.diagnostics {
                let _ = d.to_string();
            }
        }
    }
});
