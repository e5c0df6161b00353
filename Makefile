# mage-policy — developer entry points. `make test` is what CI runs.
SHELL := /bin/bash
CARGO ?= cargo
export MAGE_POLICY_CORPUS ?= $(abspath ../shared/corpus/magento)

.PHONY: test setup lint test-rust wasm-check test-js test-wasm bench demo pkg fmt clean

## Everything: formatting, lints, the wasm32 build of the core, all Rust tests.
test: setup lint wasm-check test-rust test-wasm test-js

## Idempotent installs: only what is missing is installed.
setup:
	@bash scripts/setup.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --all-features -- -D warnings
	$(CARGO) clippy --lib --target wasm32-unknown-unknown -- -D warnings

## The core must stay portable: build it for wasm32-unknown-unknown.
wasm-check:
	$(CARGO) build --lib --release --target wasm32-unknown-unknown

## Unit, corpus, vector, property, CLI and doc tests.
test-rust:
	$(CARGO) test --all-features

## wasm-bindgen tests in Node and headless Chromium.
test-wasm: setup
	bash scripts/test-wasm.sh

## The npm package: packed, installed into a scratch project, tested in Node (ESM
## and CJS) and type-checked.
test-js: pkg
	bash scripts/test-js.sh

## Criterion benchmarks (figures in the README's Performance section).
bench: pkg
	$(CARGO) bench --bench engine --bench credentials
	node js/bench/bench.mjs

fmt:
	$(CARGO) fmt --all

## The demo site arrives with the demo issue.
demo:
	@echo "make demo: not yet — the demo site (www/) is not built yet. Try the CLI:"
	@echo "  cargo run --features cli -- routes --webapi fixtures/sample/webapi.xml --acl fixtures/sample/acl.xml --principal '{\"type\":\"customer\",\"id\":5}'"

## The npm package (pkg/): wasm for web and nodejs targets, JS layer, types.
pkg: setup
	bash scripts/build-pkg.sh

clean:
	$(CARGO) clean
