#!/usr/bin/env bash
# Builds the npm package into pkg/: the wasm (web and nodejs targets, wasm-opt -Oz from
# npm binaryen), the JS layer, types, package.json and README. Prints gzip sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=pkg
WASM=target/wasm32-unknown-unknown/release/mage_policy.wasm
WASM_OPT=js/node_modules/.bin/wasm-opt

cargo build --lib --release --target wasm32-unknown-unknown
rm -rf "$OUT"
mkdir -p "$OUT/dist"
wasm-bindgen --target web --out-dir "$OUT/dist/web" --no-typescript "$WASM"
wasm-bindgen --target nodejs --out-dir "$OUT/dist/node" --no-typescript "$WASM"
FEATURES="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types"
for t in web node; do
  "$WASM_OPT" -Oz --strip-debug --strip-producers $FEATURES \
    "$OUT/dist/$t/mage_policy_bg.wasm" -o "$OUT/dist/$t/mage_policy_bg.wasm"
done
# The nodejs target writes CommonJS with a .js extension; in a "type": "module"
# package it must say so.
echo '{"type":"commonjs"}' > "$OUT/dist/node/package.json"

{ cat js/src/core.js; echo; echo 'export { createApi };'; } > "$OUT/dist/core.mjs"
{ cat js/src/core.js; echo; echo 'module.exports = { createApi };'; } > "$OUT/dist/core.cjs"
cp js/entries/node.mjs js/entries/node.cjs js/entries/browser.mjs js/entries/workerd.mjs "$OUT/dist/"
cp js/types/index.d.ts "$OUT/index.d.ts"
cp pkg-template/package.json "$OUT/package.json"
cp pkg-template/README.md "$OUT/README.md"

for t in web node; do
  f="$OUT/dist/$t/mage_policy_bg.wasm"
  echo "wasm ($t): $(wc -c < "$f") bytes, $(gzip -9 -c "$f" | wc -c) bytes gzip"
done

# Size budget (issue 4): 150 KB gzip per shipped .wasm. Reported on every build;
# MAGE_POLICY_ENFORCE_SIZE=1 makes going over it an error.
BUDGET=153600
for t in web node; do
  size=$(gzip -9 -c "$OUT/dist/$t/mage_policy_bg.wasm" | wc -c)
  if [ "$size" -gt "$BUDGET" ]; then
    echo "size: $t .wasm is $size bytes gzip, over the budget of $BUDGET" >&2
    if [ "${MAGE_POLICY_ENFORCE_SIZE:-0}" = "1" ]; then exit 1; fi
  fi
done
