//! What the two front ends share — the command-line tool (`mage-policy-cli`) and the
//! WebAssembly binding (`mage-policy-wasm`): the JSON they read, the JSON they write,
//! and the state they keep behind their handles. Both are thin: they convert their
//! arguments, call in here and hand the answer back, so `mage-policy decide` and
//! `engine.decide`, `mage-policy authorize` and `gateway.authorize` answer the same
//! question with the same JSON.
//!
//! * [`input`] — typed getters over a parsed JSON value, with errors naming the member.
//! * [`options`] — engine options (files, stores, settings) → a [`Policy`](crate::Policy).
//! * [`principal`] — principals as JSON.
//! * [`roles`] — the role registry: roles compiled once per resource list.
//! * [`keys`] — derived JWT keys, cached.
//! * [`gateway`] — the edge handle: credentials, nonces, revocations, account data.
//! * [`credentials`] — JWT and OAuth inputs and answers.
//! * [`output`] — every other JSON shape (decisions, authorized requests, routes,
//!   the route table, the ACL tree, diagnostics) and `explain`'s words.
//! * [`Failure`] — errors as `{"code","message",…}`.

pub mod credentials;
pub mod engine;
mod failure;
pub mod gateway;
pub mod input;
pub mod keys;
pub mod options;
pub mod output;
pub mod principal;
pub mod roles;

pub use failure::Failure;
pub use input::InputError;

use crate::decide::Outcome;

/// Every outcome, in the order of their positional codes (the JS layer's packed
/// decisions carry the index).
pub const OUTCOMES: [Outcome; 9] = [
    Outcome::Allowed,
    Outcome::NotRest,
    Outcome::MethodNotAllowed,
    Outcome::NotProcessable,
    Outcome::NoRoute,
    Outcome::Unauthorized,
    Outcome::HttpsRequired,
    Outcome::NotModelled,
    Outcome::TooLong,
];
