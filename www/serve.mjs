#!/usr/bin/env node
// `make demo`: the store origin (Node) on an internal port and the edge gateway (real
// workerd) in front of it on 127.0.0.1:PORT (default 8080; `--port N` or PORT=N).
// Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync, mkdirSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { startOrigin } from './origin.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const argPort = args.indexOf('--port');
const port = Number(argPort >= 0 ? args[argPort + 1] : process.env.PORT || 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: bad port ${argPort >= 0 ? args[argPort + 1] : process.env.PORT}`);
  process.exit(2);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.xml': 'application/xml; charset=utf-8', '.wasm': 'application/wasm',
  '.json': 'application/json', '.svg': 'image/svg+xml',
};

/** Write the workerd configuration and the files it embeds into `dir`. */
function prepare(dir, originPort, edgePort) {
  const pkgDir = dirname(createRequire(join(here, 'package.json')).resolve('mage-policy/package.json'));
  const statics = []; // [url path, file in dir]
  const add = (urlPath, src) => {
    const rel = `files${urlPath}`;
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    copyFileSync(src, join(dir, rel));
    statics.push([urlPath, rel]);
  };
  for (const f of readdirSync(join(here, 'static'))) add(`/${f}`, join(here, 'static', f));
  for (const f of ['browser.mjs', 'core.mjs', 'web/mage_policy.js', 'web/mage_policy_bg.wasm']) add(`/pkg/${f}`, join(pkgDir, 'dist', f));
  add('/demo-config.mjs', join(here, 'demo-config.mjs')); // the signer's demo credentials
  add('/sample/webapi.xml', join(root, 'fixtures/sample/webapi.xml'));
  add('/sample/acl.xml', join(root, 'fixtures/sample/acl.xml'));

  for (const f of ['workerd.mjs', 'core.mjs', 'web/mage_policy.js', 'web/mage_policy_bg.wasm']) {
    mkdirSync(dirname(join(dir, 'pkg', f)), { recursive: true });
    copyFileSync(join(pkgDir, 'dist', f), join(dir, 'pkg', f));
  }
  copyFileSync(join(here, 'edge/worker.mjs'), join(dir, 'worker.mjs'));
  copyFileSync(join(here, 'demo-config.mjs'), join(dir, 'demo-config.mjs'));

  const imports = statics.map(([, rel], i) => `import f${i} from '${rel}';`).join('\n');
  const entries = statics.map(([p], i) => `  ${JSON.stringify(p)}: { body: f${i}, type: ${JSON.stringify(TYPES[extname(p)] || 'application/octet-stream')} },`).join('\n');
  writeFileSync(join(dir, 'static-files.mjs'), `${imports}\nexport const files = {\n${entries}\n};\n`);

  const modules = [
    '(name = "worker.mjs", esModule = embed "worker.mjs")',
    '(name = "mage-policy", esModule = embed "pkg/workerd.mjs")',
    '(name = "core.mjs", esModule = embed "pkg/core.mjs")',
    '(name = "web/mage_policy.js", esModule = embed "pkg/web/mage_policy.js")',
    '(name = "web/mage_policy_bg.wasm", wasm = embed "pkg/web/mage_policy_bg.wasm")',
    '(name = "demo-config.mjs", esModule = embed "demo-config.mjs")',
    '(name = "static-files.mjs", esModule = embed "static-files.mjs")',
    '(name = "sample/webapi.xml", text = embed "files/sample/webapi.xml")',
    '(name = "sample/acl.xml", text = embed "files/sample/acl.xml")',
    ...statics.map(([p, rel]) => `(name = ${JSON.stringify(rel)}, ${/\.(wasm)$/.test(p) ? 'data' : 'text'} = embed ${JSON.stringify(rel)})`),
  ];
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "edge", worker = .edge),
    (name = "origin", external = (address = "127.0.0.1:${originPort}", http = ())),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${edgePort}", http = (), service = "edge") ],
);
const edge :Workerd.Worker = (
  modules = [
    ${modules.join(',\n    ')},
  ],
  bindings = [ (name = "ORIGIN", service = "origin") ],
  compatibilityDate = "2025-01-01",
);
`);
}

function workerdBin() {
  const candidates = [join(root, 'js/node_modules/.bin/workerd'), join(here, 'node_modules/.bin/workerd')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('workerd is not installed: run `make setup` (npm install in js/)');
  return found;
}

async function waitFor(url, tries = 150) {
  for (let i = 0; i < tries; i++) {
    try { await fetch(url); return; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error(`${url} did not answer`);
}

const origin = await startOrigin({ port: 0 });
const originPort = new URL(origin.url).port;
const dir = mkdtempSync(join(tmpdir(), 'mage-policy-demo-'));
prepare(dir, originPort, port);
const edge = spawn(workerdBin(), ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  edge.kill('SIGTERM');
  await origin.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}
edge.on('exit', (code) => { if (!stopping) { console.error(`workerd exited (${code})`); stop(1); } });
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const url = `http://127.0.0.1:${port}/`;
await waitFor(`${url}__edge/stats`);
console.log(`mage-policy demo: ${url}  (storefront)  ${url}admin.html  (admin tooling)`);
console.log(`  edge: workerd on 127.0.0.1:${port} · origin: Node on ${origin.url} · Ctrl-C to stop`);
