// The command line and the JS API give the same JSON for the same question: the same
// requests through `mage-policy authorize` / `decide` / `routes` and through
// `gateway.authorize` / `engine.decide` / `engine.routes`, compared byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.MAGE_POLICY_ROOT;
const pkg = process.env.MAGE_POLICY_PKG_DIR;
const cli = process.env.MAGE_POLICY_CLI || join(root, 'target/debug/mage-policy');
const { Engine, jwt, oauth } = await import(pathToFileURL(join(pkg, 'dist/node.mjs')).href);
const { sample, CK, CS, TK, TS, CRYPT_KEY } = await import(pathToFileURL(join(root, 'js/test-support/fixtures.mjs')).href);

const files = ['--webapi', join(root, 'fixtures/sample/webapi.xml'), '--acl', join(root, 'fixtures/sample/acl.xml')];
const run = (args, lines) => execFileSync(cli, [...args, ...files], { input: lines.map((l) => JSON.stringify(l)).join('\n') })
  .toString().trim().split('\n');

const now = 1700000100;
const shop = 'https://shop.example.com';
const sources = {
  now,
  jwt: { cryptKey: CRYPT_KEY, revoked: [{ userType: 3, id: 9, before: 1700000050 }] },
  oauth: { credentials: { consumers: { [CK]: { secret: CS, id: 1, integration: { id: 7, active: true } } }, tokens: { [TK]: { secret: TS, consumer: CK, type: 'access' } } } },
  session: { abc: { id: 7, website: 1 } },
  customerWebsite: { 5: 1 },
  adminRole: { 1: ['Magento_Customer::customer'], 2: 'all' },
  integrationRole: { 7: ['Magento_CatalogInventory::cataloginventory'] },
  placeholders: { customerGroupId: 1, customerStoreId: 1, cartId: 42 },
};
const token = (uid, type, iat = 1700000000) => jwt.issue({ cryptKey: CRYPT_KEY, uid, type, iat });
const bearer = (uid, type, iat) => ({ Authorization: `Bearer ${token(uid, type, iat)}` });
const signed = (method, url, nonce) => ({ method, url, headers: { Authorization: oauth.sign({ method, url }, { consumerKey: CK, consumerSecret: CS, token: TK, tokenSecret: TS }, { nonce, timestamp: 1700000000 }).authorization } });
const requests = [
  { method: 'GET', url: `${shop}/rest/V1/directory/countries` },
  { method: 'GET', url: `${shop}/rest/V1/customers/12` },
  { method: 'GET', url: `${shop}/rest/default/V1/customers/me`, headers: bearer(5, 'customer') },
  { method: 'POST', url: `${shop}/rest/V1/carts/mine/items`, headers: { ...bearer(5, 'customer'), 'Content-Type': 'application/json' }, body: '{"cartItem":{"sku":"MH01","qty":1,"quote_id":1}}' },
  { method: 'POST', url: `${shop}/rest/V1/carts/mine/items`, headers: { ...bearer(5, 'customer'), 'Content-Type': 'application/json' }, body: '{"cartItem":' },
  { method: 'GET', url: `${shop}/rest/V1/customers/12`, headers: bearer(1, 'admin') },
  { method: 'DELETE', url: `${shop}/rest/V1/customers/12`, headers: bearer(1, 'admin') },
  { method: 'DELETE', url: `${shop}/rest/V1/customers/12`, headers: bearer(2, 'admin') },
  { method: 'GET', url: `${shop}/rest/V1/customers/me`, headers: bearer(9, 'customer') },
  { method: 'GET', url: `${shop}/rest/V1/customers/me`, headers: bearer(5, 'customer', 1600000000) },
  { method: 'GET', url: `${shop}/rest/V1/carts/mine`, headers: { Cookie: 'PHPSESSID=abc', 'X-Requested-With': 'XMLHttpRequest' } },
  { method: 'GET', url: `${shop}/rest/V1/carts/mine`, headers: { Cookie: 'PHPSESSID=abc' } },
  { method: 'GET', url: `${shop}/rest/V1/customers/me`, headers: { Authorization: 'Bearer 0123456789abcdefghijklmnopqrstuv' } },
  signed('PUT', `${shop}/rest/V1/stockItems/MB01`, 'p1'),
  signed('PUT', `${shop}/rest/V1/stockItems/MB01`, 'p1'),
  signed('GET', `${shop}/rest/V1/customers/12`, 'p2'),
  { method: 'GET', url: `${shop}/rest/V1/products`, headers: { 'X-Big': 'x'.repeat(20000) } },
  { method: 'PATCH', url: `${shop}/rest/V1/customers/me` },
  { method: 'GET', url: `${shop}/rest/V1/nothing/here` },
  { method: 'GET', url: `${shop}/customer/account` },
  { method: 'GET', url: `http://shop.example.com/rest/V1/analytics/link`, headers: bearer(2, 'admin') },
  { method: 'GET', url: `https://shop.example.com/rest/V1/customers/m%65`, headers: bearer(1, 'admin') },
];

test('authorize: the CLI and gateway.authorize give the same JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mp-parity-'));
  writeFileSync(join(dir, 'sources.json'), JSON.stringify(sources));
  const lines = run(['authorize', '--sources', join(dir, 'sources.json')], requests);
  const engine = Engine.fromXml(sample);
  const gateway = engine.gateway(sources);
  assert.equal(lines.length, requests.length);
  requests.forEach((r, i) => {
    const js = JSON.stringify(gateway.authorize(r));
    assert.equal(js, lines[i], `request ${i}: ${r.method} ${r.url}`);
  });
  // What was compared is what it should be.
  const answers = lines.map((l) => JSON.parse(l));
  assert.deepEqual(answers.map((a) => a.status), [200, 401, 200, 200, 400, 200, 401, 200, 401, 401, 200, 401, 401, 200, 401, 401, 431, 405, 404, 404, 400, 200]);
  assert.equal(answers[13].identity.via, 'oauth');
  assert.equal(answers[14].refusal, 'oauth');
  assert.equal(answers[12].identity.needsOrigin, true);
  gateway.free();
  engine.free();
});

const principals = [
  undefined,
  { type: 'guest' },
  { type: 'customer', id: 5 },
  { type: 'customer', id: 5, website: 2 },
  { type: 'customer', id: 5, emulated: true },
  { type: 'admin', id: 1, resources: ['Magento_Customer::customer'] },
  { type: 'admin', id: 1, resources: 'all' },
  { type: 'integration', id: 3, resources: ['Magento_Catalog::products'] },
  { type: 'integration', id: 3 },
];
const paths = [['GET', '/rest/V1/customers/12'], ['DELETE', '/rest/V1/customers/12'], ['GET', '/rest/default/V1/customers/me'],
  ['PUT', '/rest/V1/carts/mine/items/5'], ['GET', '/rest/V1/products?searchCriteria=1'], ['PATCH', '/rest/V1/products'], ['GET', '/rest/V1/nope'],
  ['GET', '/rest/V1/analytics/link'], ['GET', '/rest/all/V1/customers/me'], ['GET', '/shop/x']];

test('decide: the CLI and engine.decide give the same JSON', () => {
  const engine = Engine.fromXml(sample);
  const lines = [];
  for (const p of principals) for (const [method, path] of paths) for (const https of [true, false]) lines.push({ method, path, https, ...(p ? { principal: p } : {}) });
  const out = run(['decide'], lines);
  lines.forEach((l, i) => {
    assert.equal(JSON.stringify(engine.decide(l.method, l.path, l.principal, { https: l.https })), out[i], JSON.stringify(l));
  });
  engine.free();
});

test('routes: the CLI and engine.routes give the same JSON', () => {
  const engine = Engine.fromXml(sample);
  for (const p of principals.slice(1)) {
    const out = execFileSync(cli, ['routes', '--json', '--all', '--principal', JSON.stringify(p), ...files]).toString().trim().split('\n');
    assert.deepEqual(engine.routes(p).map((r) => JSON.stringify(r)), out, JSON.stringify(p));
  }
  engine.free();
});

test('types: the TypeScript unions list exactly the engine names', async () => {
  const glue = await import(pathToFileURL(join(pkg, 'dist/web/mage_policy.js')).href);
  glue.initSync({ module: readFileSync(join(pkg, 'dist/web/mage_policy_bg.wasm')) });
  const names = JSON.parse(glue.names());
  const dts = readFileSync(join(pkg, 'index.d.ts'), 'utf8');
  const union = (re) => [...(dts.match(re) || [''])[0].matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]);
  assert.deepEqual(union(/export type Outcome =[^;]*;/), names.outcomes);
  assert.deepEqual(union(/export type Refusal =[^;]*;/), names.refusals);
  assert.deepEqual(union(/via: [^;]*;/), names.vias);
  assert.deepEqual(union(/export interface Identity \{\s*type: [^;]*;/), names.kinds);
});
