#!/usr/bin/env bash
# Install the packed npm package (built by `make pkg`) into www/node_modules, as a user
# would install it: the demo imports `mage-policy` by name.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/npm
TARBALL=$(cd pkg && npm pack --silent --pack-destination ../target/npm | tail -1)
(cd www && npm install --silent --no-audit --no-fund --no-save --package-lock=false "../target/npm/$TARBALL")
echo "demo: installed target/npm/$TARBALL into www/node_modules"
