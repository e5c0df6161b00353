# mage-policy — developer entry points. `make test` is what CI runs.
SHELL := /bin/bash
CARGO ?= cargo
export MAGE_POLICY_CORPUS ?= $(abspath ../shared/corpus/magento)

.PHONY: test setup lint test-rust wasm-check test-js test-wasm test-demo check-publish fuzz fuzz-smoke bench demo demo-deps pkg fmt clean

## Everything: formatting, lints, the wasm32 build of the core, all Rust tests.
test: setup lint wasm-check test-rust test-wasm test-js test-demo check-publish fuzz-smoke

## Idempotent installs: only what is missing is installed.
setup:
	@bash scripts/setup.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p mage-policy-wasm --target wasm32-unknown-unknown -- -D warnings

## The engine and its binding must stay portable: build them for wasm32-unknown-unknown.
wasm-check:
	$(CARGO) build -p mage-policy-wasm --lib --target wasm32-unknown-unknown

## Unit, corpus, vector, property, CLI and doc tests of the three crates.
test-rust:
	$(CARGO) test --workspace

## wasm-bindgen tests in Node and headless Chromium.
test-wasm: setup
	bash scripts/test-wasm.sh

## The npm package: packed, installed into a scratch project, tested in Node (ESM
## and CJS) and type-checked.
test-js: pkg
	bash scripts/test-js.sh

## Publishable: `cargo package` for each crate, `npm publish --dry-run` for the package.
check-publish: pkg
	bash scripts/check-publish.sh

## Criterion benchmarks (figures in the README's Performance section).
bench: pkg
	$(CARGO) bench -p mage-policy --bench engine --bench credentials
	node js/bench/bench.mjs

fmt:
	$(CARGO) fmt --all

## The demo: storefront widget, admin explorer and an edge gateway in workerd, served
## on 127.0.0.1:$(PORT) (default 8080). Ctrl-C stops it.
PORT ?= 8080
FUZZ_SECONDS ?= 600
demo: demo-deps
	node www/serve.mjs --port $(PORT)

## The packed npm package installed into www/node_modules (as users install it).
demo-deps: pkg
	bash scripts/demo-deps.sh

## Fuzzing (cargo-fuzz, nightly): every target for 10 minutes (FUZZ_SECONDS=N to change).
fuzz: setup
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

## A short fuzz run of every target (part of make test).
fuzz-smoke: setup
	bash scripts/fuzz.sh 30

## End-to-end tests of the demo in headless Chromium (screenshots in target/screenshots/).
test-demo: demo-deps
	node --test www/test/

## The npm package (pkg/): wasm for web and nodejs targets, JS layer, types.
pkg: setup
	bash scripts/build-pkg.sh

clean:
	$(CARGO) clean
