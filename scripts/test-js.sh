#!/usr/bin/env bash
# Package tests: `npm pack` the built package, install the tarball into a scratch
# project, and run the node:test suites there (ESM and CommonJS), then type-check.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SCRATCH=target/npm-scratch
rm -rf "$SCRATCH" target/npm && mkdir -p "$SCRATCH" target/npm
TARBALL=$(cd pkg && npm pack --silent --pack-destination ../target/npm | tail -1)
echo "packed target/npm/$TARBALL"
cat > "$SCRATCH/package.json" <<'JSON'
{ "name": "mage-policy-scratch", "private": true, "type": "module" }
JSON
(cd "$SCRATCH" && npm install --silent --no-audit --no-fund "../npm/$TARBALL")
cp -r js/test js/test-support "$SCRATCH/"
(cd "$SCRATCH" && MAGE_POLICY_ROOT="$ROOT" node --test test/)

# Types: the declarations and a typed usage example, strict.
cp js/types/example.ts "$SCRATCH/example.ts"
cat > "$SCRATCH/tsconfig.json" <<'JSON'
{ "compilerOptions": { "strict": true, "noEmit": true, "module": "nodenext", "moduleResolution": "nodenext",
  "target": "es2022", "lib": ["es2022", "dom"], "types": [], "skipLibCheck": false }, "files": ["example.ts"] }
JSON
(cd "$SCRATCH" && "$ROOT/js/node_modules/.bin/tsc" -p tsconfig.json)
echo "tsc --strict: types and example compile"

# Hostile input at the JS boundary (fast-check) and a create/free soak test.
MAGE_POLICY_ROOT="$ROOT" MAGE_POLICY_PKG_DIR="$ROOT/$SCRATCH/node_modules/mage-policy" node --test js/test-robustness/

# The command line and the JS API answer alike (the CLI built from crates/cli).
cargo build -q -p mage-policy-cli
MAGE_POLICY_ROOT="$ROOT" MAGE_POLICY_PKG_DIR="$ROOT/$SCRATCH/node_modules/mage-policy" node --test js/test-parity/

# The README's JavaScript examples, run as written against the installed package.
MAGE_POLICY_ROOT="$ROOT" MAGE_POLICY_SCRATCH="$ROOT/$SCRATCH" node --test js/test-readme/

# The package in real workerd (npm `workerd`), served on 127.0.0.1.
MAGE_POLICY_ROOT="$ROOT" MAGE_POLICY_PKG_DIR="$ROOT/$SCRATCH/node_modules/mage-policy" node --test js/test-workerd/

# The web build in headless Chromium (Playwright + Debian's chromium).
MAGE_POLICY_ROOT="$ROOT" MAGE_POLICY_PKG_DIR="$ROOT/$SCRATCH/node_modules/mage-policy" node --test js/test-browser/

# A Vite 7 build of a tiny app importing the package, loaded in Chromium.
MAGE_POLICY_ROOT="$ROOT" MAGE_POLICY_SCRATCH="$ROOT/$SCRATCH" NODE_PATH="$ROOT/js/node_modules" node --test js/test-vite/
