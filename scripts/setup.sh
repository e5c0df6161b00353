#!/usr/bin/env bash
# Installs what `make test` needs and the machine may lack. Idempotent: every step is
# skipped when its result is already there.
set -euo pipefail

if ! command -v cargo >/dev/null; then
  echo "setup: cargo is required (rustup toolchain)" >&2
  exit 1
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
    echo "setup: adding ${component}"
    rustup component add "${component}"
  fi
done

# Differential-test oracles: oauthlib (RFC 5849) and PyJWT.
if command -v python3 >/dev/null && ! python3 -c "import oauthlib, jwt" 2>/dev/null; then
  echo "setup: installing oauthlib and pyjwt for the differential tests"
  python3 -m pip install --quiet "oauthlib==4.0.1" "pyjwt>=2.8,<3"
fi

# wasm-bindgen CLI, the exact version of the wasm-bindgen crate.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen 0.2.130" ]; then
  echo "setup: installing wasm-bindgen-cli 0.2.130 (takes a few minutes)"
  cargo install wasm-bindgen-cli --version 0.2.130
fi

# JS tooling (binaryen's wasm-opt, TypeScript, workerd, playwright-core, Vite, the
# benchmark peers), versions pinned by js/package-lock.json.
if [ ! -f js/node_modules/.package-lock.json ] || [ js/package-lock.json -nt js/node_modules/.package-lock.json ]; then
  echo "setup: installing js/ dev dependencies"
  # `npm install`, not `npm ci`: with this machine's npm settings the lockfile omits
  # other platforms' optional packages (rollup), which `npm ci` then refuses.
  (cd js && npm install --no-audit --no-fund)
fi

# Debian's Chromium and ChromeDriver for the browser tests (Playwright drives the
# system browser; it never downloads its own).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "setup: installing chromium and chromium-driver"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# The image's nightly toolchain builds the shipped wasm (see build-pkg.sh): it needs
# rust-src and the wasm32 target. Skipped where there is no nightly.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
    echo "setup: adding rust-src to nightly"
    rustup component add rust-src --toolchain nightly
  fi
  if ! rustup target list --toolchain nightly --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    echo "setup: adding wasm32-unknown-unknown to nightly"
    rustup target add wasm32-unknown-unknown --toolchain nightly
  fi
  # cargo-fuzz for `make fuzz` and the fuzz smoke run in `make test` (~90 s to build).
  if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "setup: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
  fi
fi
