// The JS boundary under hostile input (fast-check): every exported function, fed random
// and hostile values (wrong types, huge strings, undefined, cyclic objects, symbols,
// BigInts, throwing getters), either returns or throws an Error with a `code` — never a
// wasm trap, never a poisoned module — within a time budget per property, and the
// module's memory stays bounded (a Workers isolate has 128 MB). And a soak test: 10,000
// engines created and freed with flat wasm memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';

const root = process.env.MAGE_POLICY_ROOT;
const pkg = process.env.MAGE_POLICY_PKG_DIR;
// The package's own pieces, instantiated here so that the test can watch the module's
// memory (the entries keep the instance to themselves).
const wasm = await import(pathToFileURL(join(pkg, 'dist/web/mage_policy.js')).href);
const { createApi } = await import(pathToFileURL(join(pkg, 'dist/core.mjs')).href);
const instance = wasm.initSync({ module: readFileSync(join(pkg, 'dist/web/mage_policy_bg.wasm')) });
const api = createApi(wasm);
const { Engine, oauth, jwt, createClient } = api;

const sample = {
  webapi: [{ name: 'webapi.xml', xml: readFileSync(join(root, 'fixtures/sample/webapi.xml'), 'utf8') }],
  acl: [{ name: 'acl.xml', xml: readFileSync(join(root, 'fixtures/sample/acl.xml'), 'utf8') }],
};
const engine = Engine.fromXml(sample);
const bundle = engine.toBundle();
const CRYPT_KEY = '8f2c1d9e4b7a60315c9e2f4a7d1b3c5e';
const gateway = engine.gateway({ jwt: { cryptKey: CRYPT_KEY }, adminRole: () => ['Magento_Customer::customer'], placeholders: { cartId: 1 } });
// Per property: its runs must finish within this budget (fast-check stops and fails the
// property past it); the whole suite stays within a minute on a 2-core machine.
const BUDGET_MS = 2500;
const MEMORY_LIMIT = 64 << 20;

// Hostile values beside fast-check's `anything`.
const cyclic = () => { const o = { a: 1 }; o.self = o; o.list = [o]; return o; };
const throwing = () => ({
  get method() { throw new Error('getter'); },
  get url() { throw new Error('getter'); },
  get webapi() { throw new Error('getter'); },
  [fc.toStringMethod]() { return '<object with throwing getters>'; },
});
const huge = 'x'.repeat(4 << 20);
const hostile = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }),
  fc.constantFrom(undefined, null, NaN, Infinity, -1, 2 ** 53, '', huge, '\u0000', '\ud800', Symbol('s'), 10n, () => 1),
  fc.constant(null).map(cyclic),
  fc.constant(null).map(throwing),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }),
);

/** Call `fn`; a throw must be an Error carrying a string `code`. */
function survives(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error, `threw a non-Error: ${String(e)}`);
    assert.equal(typeof e.code, 'string', `an Error without a code: ${e.name}: ${e.message}`);
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `a wasm trap: ${e.message}`);
  }
}

/** The module still works after whatever happened. */
function canary() {
  const d = engine.decide('GET', '/rest/V1/customers/me', { type: 'customer', id: 5 });
  assert.equal(d.status, 200);
  assert.equal(jwt.verify(jwt.issue({ cryptKey: CRYPT_KEY, uid: 1, type: 'customer', iat: 1700000000 }), { cryptKey: CRYPT_KEY, now: 1700000001 }).valid, true);
}

const calls = {
  'Engine.fromXml': (a) => Engine.fromXml(a).free(),
  'Engine.fromXml (files)': (a, b) => Engine.fromXml({ webapi: [a], acl: b }).free(),
  'Engine.fromBundle': (a) => Engine.fromBundle(a).free(),
  'engine.decide': (a, b, c) => engine.decide(a, b, c),
  'engine.decide (principal)': (a) => engine.decide('GET', '/rest/V1/customers/5', a),
  'engine.decide (details)': (a, b) => JSON.stringify(engine.decide(a, b)),
  'engine.explain': (a, b, c) => engine.explain(a, b, c),
  'engine.routes': (a, b) => engine.routes(a, b),
  'engine.authorize': (a, b, c) => engine.authorize(a, b, c),
  'engine.authorize (request)': (a) => engine.authorize({ method: 'POST', url: 'https://s.example/rest/V1/carts/mine/items', headers: a, body: '{}' }, { jwt: { cryptKey: CRYPT_KEY } }),
  'engine.authorize (sources)': (a) => engine.authorize({ method: 'GET', url: 'https://s.example/rest/V1/customers/me', headers: { Authorization: 'Bearer x.y.z' } }, a),
  'engine.identify': (a, b) => engine.identify(a, b),
  'engine.gateway': (a) => engine.gateway(a).free(),
  'gateway.authorize': (a, b) => gateway.authorize(a, b),
  'gateway.authorize (headers)': (a) => gateway.authorize({ method: 'GET', url: 'https://s.example/rest/V1/customers/me', headers: a }),
  'gateway.authorize (fields)': (a, b, c) => gateway.authorize({ method: a, url: b, headers: { Authorization: c } }, c),
  'oauth.sign': (a, b, c) => oauth.sign(a, b, c),
  'oauth.sign (fields)': (a, b) => oauth.sign({ method: a, url: b }, { consumerKey: a, consumerSecret: b }),
  'oauth.baseString': (a, b, c) => oauth.baseString(a, b, c),
  'oauth.verify': (a, b) => oauth.verify(a, b),
  'oauth.Verifier': (a, b) => new oauth.Verifier(a, b).free(),
  'jwt.issue': (a) => jwt.issue(a),
  'jwt.issue (fields)': (a, b) => jwt.issue({ cryptKey: CRYPT_KEY, uid: a, type: b, iat: a }),
  'jwt.verify': (a, b) => jwt.verify(a, b),
  'jwt.verify (token)': (a) => jwt.verify(a, { cryptKey: CRYPT_KEY }),
  'jwt.decode': (a, b) => jwt.decode(a, b),
  createClient: (a) => createClient(a),
  'client.can': (a, b) => createClient({ baseUrl: 'https://s.example', engine }).can(a, b),
};

const timings = [];
for (const [name, call] of Object.entries(calls)) {
  test(`hostile input: ${name} throws coded Errors only and leaves the module working`, () => {
    const started = Date.now();
    fc.assert(fc.property(hostile, hostile, hostile, (a, b, c) => {
      survives(() => call(a, b, c));
      canary();
    }), { numRuns: 150, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: true });
    const took = Date.now() - started;
    timings.push([name, took]);
    assert.ok(took <= BUDGET_MS + 1000, `${name}: ${took} ms, over the ${BUDGET_MS} ms budget`);
  });
}

test('hostile input: the module memory stays bounded', () => {
  const bytes = instance.memory.buffer.byteLength;
  const slowest = timings.slice().sort((x, y) => y[1] - x[1]).slice(0, 3).map(([n, ms]) => `${n} ${ms} ms`).join(', ');
  console.log(`wasm memory after the hostile suite: ${(bytes / 1048576).toFixed(1)} MiB; slowest properties: ${slowest}`);
  assert.ok(bytes <= MEMORY_LIMIT, `wasm memory ${bytes} bytes, over ${MEMORY_LIMIT}`);
});

test('hostile input: a freed engine refuses politely, twice freed is harmless', () => {
  const e = Engine.fromXml(sample);
  e.free();
  e.free();
  survives(() => e.decide('GET', '/rest/V1/products'));
  assert.throws(() => e.decide('GET', '/rest/V1/products'), (err) => typeof err.code === 'string');
  canary();
});

test('soak: 10,000 engines created and freed with flat memory', () => {
  const memory = () => instance.memory.buffer.byteLength;
  const cycle = (n) => {
    for (let i = 0; i < n; i++) {
      const e = i % 2 ? Engine.fromBundle(bundle) : Engine.fromXml(sample);
      e.decide('GET', '/rest/V1/customers/me', { type: 'customer', id: 5 });
      e.routes({ type: 'guest' });
      e.free();
    }
  };
  cycle(500); // warm-up: the allocator settles
  const before = memory();
  cycle(10000);
  const after = memory();
  console.log(`wasm memory: ${before} bytes after warm-up, ${after} bytes after 10,000 engines`);
  assert.equal(after, before, 'wasm memory grew: engines leak');
  canary();
});
