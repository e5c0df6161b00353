//! The router and decisions: arbitrary methods and paths against the sample policy, for
//! every kind of caller. Never a panic; an allowed answer always names a route.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mage_policy::{Policy, Principal, Request};

#[path = "common.rs"]
mod common;

static POLICY: OnceLock<Policy> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let policy = POLICY.get_or_init(common::sample_policy);
    let parts = common::split(data, 2);
    let principals = [
        Principal::Guest,
        Principal::customer(5, 1),
        Principal::Admin {
            id: 1,
            role: Some(policy.role_all()),
        },
        Principal::Admin {
            id: 2,
            role: Some(policy.role_from_resources(["Magento_Customer::customer"])),
        },
    ];
    for p in &principals {
        for https in [false, true] {
            let d = policy.decide(&Request::new(&parts[0], &parts[1]).https(https), p);
            if d.allowed() {
                // Only the schema endpoint is open without a route (manual::magento_quirks).
                assert!(
                    d.route().is_some() || d.processor() == Some(mage_policy::Processor::Schema),
                    "allowed without a route: {:?} {:?}",
                    parts[0],
                    parts[1]
                );
                assert!(d.body().is_none());
            } else {
                assert!(d.status() >= 400);
            }
        }
    }
});
