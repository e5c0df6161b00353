#!/usr/bin/env bash
# wasm-bindgen tests (crates/wasm/tests/engine.rs) in Node and in headless Chromium. A browser run
# that finds no browser can execute nothing and still exit 0, so each run must report
# a non-zero number of passed tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
run() {
  local label=$1; shift
  local log
  log=$(mktemp)
  env "$@" cargo test -p mage-policy-wasm --target wasm32-unknown-unknown --test engine 2>&1 | tee "$log"
  if ! grep -Eq "test result: ok\. [1-9][0-9]* passed" "$log"; then
    echo "wasm tests ($label): no tests passed — refusing an empty run" >&2
    exit 1
  fi
}
run node NODE_OPTIONS=
run chromium WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver
