// The package in real workerd: serve js/workerd/worker.mjs on 127.0.0.1 and check
// that it decides, verifies a JWT and verifies an OAuth signature.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:net';

const root = process.env.MAGE_POLICY_ROOT;
const pkg = process.env.MAGE_POLICY_PKG_DIR; // the installed package (node_modules/mage-policy)
const workerdBin = join(root, 'js/node_modules/.bin/workerd');
let proc;
let base;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mp-workerd-'));
  mkdirSync(join(dir, 'web'));
  for (const f of ['workerd.mjs', 'core.mjs', 'web/mage_policy.js', 'web/mage_policy_bg.wasm']) copyFileSync(join(pkg, 'dist', f), join(dir, f));
  copyFileSync(join(root, 'js/workerd/worker.mjs'), join(dir, 'worker.mjs'));
  copyFileSync(join(root, 'fixtures/sample/webapi.xml'), join(dir, 'webapi.xml'));
  copyFileSync(join(root, 'fixtures/sample/acl.xml'), join(dir, 'acl.xml'));
  const port = await freePort();
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "mage-policy", esModule = embed "workerd.mjs"),
    (name = "core.mjs", esModule = embed "core.mjs"),
    (name = "web/mage_policy.js", esModule = embed "web/mage_policy.js"),
    (name = "web/mage_policy_bg.wasm", wasm = embed "web/mage_policy_bg.wasm"),
    (name = "sample-webapi.xml", text = embed "webapi.xml"),
    (name = "sample-acl.xml", text = embed "acl.xml"),
  ],
  compatibilityDate = "2025-01-01",
);
`);
  proc = spawn(workerdBin, ['serve', join(dir, 'config.capnp'), '--verbose'], { stdio: ['ignore', 'inherit', 'inherit'] });
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { await fetch(`${base}/jwt`); return; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error('workerd did not start');
});

after(() => { if (proc) proc.kill(); });

test('workerd: decide', async () => {
  const q = (method, path, principal) => fetch(`${base}/decide?${new URLSearchParams({ method, path, principal: JSON.stringify(principal) })}`).then((r) => r.json());
  const guest = await q('GET', '/rest/V1/customers/12', { type: 'guest' });
  assert.equal(guest.status, 401);
  assert.equal(guest.body, '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Magento_Customer::customer"}}');
  const me = await q('GET', '/rest/default/V1/customers/me', { type: 'customer', id: 5 });
  assert.deepEqual([me.status, me.route], [200, '/V1/customers/me']);
});

test('workerd: JWT issue and verify', async () => {
  const r = await fetch(`${base}/jwt`).then((x) => x.json());
  assert.equal(r.token, 'eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ.eyJ1aWQiOjUsInV0eXBpZCI6MywiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.kArhUfS0B-yPp2mCRt2w8aTmV65GbG158sqJDEVSQgw');
  assert.deepEqual(r.verified, { valid: true, uid: 5, utypid: 3, iat: 1700000000, exp: 1700003600 });
});

test('workerd: OAuth sign and verify, replay refused', async () => {
  const first = await fetch(`${base}/oauth?nonce=w1`).then((x) => x.json());
  assert.equal(first.verified.valid, true);
  const again = await fetch(`${base}/oauth?nonce=w1`).then((x) => x.json());
  assert.equal(again.error.name, 'OAuthError');
  assert.equal(again.error.status, 401);
  const spec = await fetch(`${base}/oauth?nonce=n0nce`).then((x) => x.json());
  assert.equal(spec.signature, 'j658MLJVyE0eQrmibIujUgCD2VAJPEGDvsgkP0D/Zmw=');
});

test('workerd: gateway identifies and refuses before the origin', async () => {
  const anon = await fetch(`${base}/rest/V1/customers/me`);
  assert.equal(anon.status, 401);
  assert.equal(await anon.text(), '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"self"}}');
  const token = (await fetch(`${base}/jwt`).then((x) => x.json())).token;
  const me = await fetch(`${base}/rest/default/V1/customers/me`, { headers: { authorization: `Bearer ${token}` } }).then((x) => x.json());
  assert.deepEqual([me.forwarded, me.identity.via, me.identity.id], [true, 'bearer', 5]);
});

test('workerd: gateway — an admin JWT with adminRole, allowed on the first request', async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = (await fetch(`${base}/jwt?type=admin&uid=1&iat=${now}`).then((x) => x.json())).token;
  const call = (method, path) => fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'X-Test-Gateway': '1' } }).then((x) => x.json());
  const get = await call('GET', '/rest/V1/customers/12');
  assert.deepEqual([get.status, get.allowed, get.identity.type, get.identity.id], [200, true, 'admin', 1]);
  const del = await call('DELETE', '/rest/V1/customers/12');
  assert.equal(del.status, 401);
  assert.deepEqual(del.missing, ['Magento_Customer::delete']);
  assert.equal(del.body, '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Magento_Customer::delete"}}');
});

test('workerd: gateway — an OAuth integration with integrationRole, allowed on the first request', async () => {
  const { oauth } = await import(pathToFileURL(join(pkg, 'dist/node.mjs')).href);
  const creds = { consumerKey: 'a'.repeat(32), consumerSecret: 'c'.repeat(32), token: 'b'.repeat(32), tokenSecret: 'd'.repeat(32) };
  const call = (method, path, nonce) => {
    const url = `${base}${path}`;
    const { authorization } = oauth.sign({ method, url }, creds, { nonce });
    return fetch(url, { method, headers: { authorization, 'X-Test-Gateway': '1' } }).then((x) => x.json());
  };
  const ok = await call('PUT', '/rest/V1/stockItems/MB01', `w-ok-${Date.now()}`);
  assert.deepEqual([ok.status, ok.allowed, ok.identity.type, ok.identity.id, ok.identity.via], [200, true, 'integration', 7, 'oauth']);
  const no = await call('GET', '/rest/V1/customers/12', `w-no-${Date.now()}`);
  assert.equal(no.status, 401);
  assert.deepEqual(no.missing, ['Magento_Customer::customer']);
  assert.equal(no.body, '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Magento_Customer::customer"}}');
});
