#!/usr/bin/env bash
# Publishable: every crate passes `cargo package` (which builds each from its packaged
# sources, the workspace's crates resolved from one another), and the npm package
# passes `npm publish --dry-run` with its licence files.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo package --workspace --allow-dirty --quiet
for c in mage-policy mage-policy-cli mage-policy-wasm; do
  f=target/package/$c-0.1.0.crate
  list=$(tar tzf "$f")
  for want in Cargo.toml README.md LICENSE-MIT LICENSE-APACHE; do
    grep -qx "$c-0.1.0/$want" <<<"$list" || { echo "check-publish: $f lacks $want" >&2; exit 1; }
  done
  echo "check-publish: $f ($(wc -c < "$f") bytes)"
done
out=$(cd pkg && npm publish --dry-run --ignore-scripts 2>&1)
for want in LICENSE-MIT LICENSE-APACHE README.md index.d.ts dist/web/mage_policy_bg.wasm dist/node.cjs; do
  grep -q "$want" <<<"$out" || { echo "check-publish: the npm package lacks $want" >&2; echo "$out" >&2; exit 1; }
done
echo "check-publish: npm publish --dry-run: $(grep -E 'total files|package size' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
