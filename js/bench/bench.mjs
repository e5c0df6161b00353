// Side-by-side benchmarks (tinybench, one process): mage-policy vs the peers named in
// the design, on the Magento corpus. Prints medians (ns) and ratios.
//   node js/bench/bench.mjs        (after `make pkg`)
import { readFileSync, readdirSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import FindMyWay from 'find-my-way';
import OAuth from 'oauth-1.0a';
import { jwtVerify } from 'jose';
import { Engine, oauth, jwt } from '../../pkg/dist/node.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = process.env.MAGE_POLICY_CORPUS || join(root, '..', 'shared', 'corpus', 'magento');
const read = (sub) => readdirSync(join(corpusDir, sub)).filter((f) => f.endsWith('.xml')).sort()
  .map((f) => ({ name: `${sub}/${f}`, xml: readFileSync(join(corpusDir, sub, f), 'utf8') }));
const corpus = { webapi: read('webapi'), acl: read('acl') };

const engine = Engine.fromXml(corpus);
const routes = engine.routeTable();
const bundle = engine.toBundle();
const admin = { type: 'admin', id: 1, resources: ['Magento_Customer::customer', 'Magento_Catalog::products'] };

// --- decide vs cedar-wasm and casbin --------------------------------------------
const cedarPolicies = {
  staticPolicies: 'permit(principal in Role::"restricted", action in Action::"Magento_Customer::customer", resource);',
};
cedar.preparsePolicySet('magento', cedarPolicies);
const cedarCall = {
  principal: { type: 'User', id: '1' },
  action: { type: 'Action', id: 'GET /V1/customers/:customerId' },
  resource: { type: 'Route', id: '/V1/customers/12' },
  context: {},
  preparsedPolicySetId: 'magento',
  entities: [
    { uid: { type: 'User', id: '1' }, attrs: {}, parents: [{ type: 'Role', id: 'restricted' }] },
    { uid: { type: 'Role', id: 'restricted' }, attrs: {}, parents: [] },
    { uid: { type: 'Action', id: 'GET /V1/customers/:customerId' }, attrs: {}, parents: [{ type: 'Action', id: 'Magento_Customer::customer' }] },
    { uid: { type: 'Action', id: 'Magento_Customer::customer' }, attrs: {}, parents: [] },
  ],
};
const cedarAnswer = cedar.statefulIsAuthorized(cedarCall);
if (cedarAnswer.type !== 'success' || cedarAnswer.response.decision !== 'allow') throw new Error(`cedar setup: ${JSON.stringify(cedarAnswer)}`);

const casbinModel = newModelFromString(`
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub) && keyMatch2(r.obj, p.obj) && r.act == p.act
`);
const casbinPolicy = routes.flatMap((r) => r.resources.map((res) => `p, ${res}, /rest${r.url}, ${r.method}`))
  .concat(['g, admin1, Magento_Customer::customer', 'g, admin1, Magento_Catalog::products']).join('\n');
const enforcer = await newEnforcer(casbinModel, new StringAdapter(casbinPolicy));
if (!enforcer.enforceSync('admin1', '/rest/V1/customers/12', 'GET')) throw new Error('casbin setup');

// --- route lookup vs find-my-way ---------------------------------------------------
const router = FindMyWay();
let registered = 0;
for (const r of routes) {
  try { router.on(r.method, `/rest${r.url}`, () => {}); registered += 1; } catch { /* find-my-way refuses some Magento shapes */ }
}
if (!router.find('GET', '/rest/V1/customers/12')) throw new Error('find-my-way setup');

// --- OAuth and JWT ---------------------------------------------------------------------
const creds = { consumerKey: 'a'.repeat(32), consumerSecret: 'c'.repeat(32), token: 'b'.repeat(32), tokenSecret: 'd'.repeat(32) };
const signReq = { method: 'GET', url: 'https://shop.example.com/rest/default/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1' };
const peerOAuth = OAuth({
  consumer: { key: creds.consumerKey, secret: creds.consumerSecret },
  signature_method: 'HMAC-SHA256',
  hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
});
const cryptKey = '8f2c1d9e4b7a60315c9e2f4a7d1b3c5e';
const token = jwt.issue({ cryptKey, uid: 5, type: 'customer', iat: Math.floor(Date.now() / 1000) });
const joseKey = new TextEncoder().encode(`${'&'.repeat(1008)}${cryptKey}${'&'.repeat(1008)}`);
if (!(await jwtVerify(token, joseKey, { algorithms: ['HS256'] }))) throw new Error('jose setup');

// --- whole edge requests through a gateway ------------------------------------------
const now = Math.floor(Date.now() / 1000);
const shop = 'https://shop.example.com';
const integration = { id: 3, resources: ['Magento_Catalog::catalog', 'Magento_Catalog::products'] };
const oauthCredentials = { consumers: { [creds.consumerKey]: { secret: creds.consumerSecret, id: 1, integration: { id: integration.id, active: true } } },
  tokens: { [creds.token]: { secret: creds.tokenSecret, consumer: creds.consumerKey, type: 'access' } } };
const carts = new Map([[5, 101]]);
const gateway = engine.gateway({
  jwt: { cryptKey },
  oauth: { credentials: oauthCredentials },
  customerWebsite: () => 1,
  integrationRole: (id) => (id === integration.id ? integration.resources : null),
  placeholders: (caller) => ({ cartId: carts.get(caller.id) ?? false }),
});
const bearer = { Authorization: `Bearer ${token}` };
const guestReq = { method: 'GET', url: `${shop}/rest/V1/directory/countries`, headers: { Accept: 'application/json' } };
const meReq = { method: 'GET', url: `${shop}/rest/default/V1/customers/me`, headers: bearer };
const cartReq = { method: 'POST', url: `${shop}/rest/default/V1/carts/mine/items`, headers: { ...bearer, 'Content-Type': 'application/json' },
  body: '{"cartItem":{"sku":"MH01","qty":1,"quote_id":999}}' };
const productsUrl = `${shop}/rest/default/V1/products?searchCriteria[pageSize]=10`;
// Fresh nonces: signed in advance (signing is measured on its own above).
const POOL = 60000;
const signedPool = (n) => Array.from({ length: n }, (_, i) => oauth.sign({ method: 'GET', url: productsUrl }, creds, { nonce: `n${i}x${Math.random().toString(36).slice(2)}`, timestamp: now }).authorization);
const poolA = signedPool(POOL);
const poolB = signedPool(POOL);
let ia = 0;
let ib = 0;
const verifier = new oauth.Verifier('magento-2.4.7', oauthCredentials);
for (const [name, req, check] of [['guest', guestReq, 200], ['customer JWT', meReq, 200], ['forced %cart_id%', cartReq, 200]]) {
  const a = gateway.authorize(req);
  if (a.status !== check) throw new Error(`gateway setup (${name}): ${JSON.stringify(a)}`);
}
if (JSON.parse(gateway.authorize(cartReq).requestBody).cartItem.quote_id !== 101) throw new Error('gateway setup: forced cart');
{
  const a = gateway.authorize({ method: 'GET', url: productsUrl, headers: { Authorization: poolA[POOL - 1] } });
  if (!a.allowed || a.identity.via !== 'oauth') throw new Error(`gateway setup (oauth): ${JSON.stringify(a)}`);
}
// What one would otherwise write by hand for the JWT case: jose + find-my-way + a role lookup.
const roles = new Map([[5, { type: 'customer', website: 1 }]]);
const byHand = async (req) => {
  const auth = req.headers.Authorization;
  const { payload } = await jwtVerify(auth.slice(7), joseKey, { algorithms: ['HS256'] });
  const route = router.find(req.method, new URL(req.url).pathname.replace('/rest/default', '/rest'));
  const who = payload.utypid === 3 ? roles.get(payload.uid) : null;
  return route !== null && who !== undefined && who !== null;
};
if (!(await byHand(meReq))) throw new Error('by-hand setup');

const bench = new Bench({ time: 400, warmupTime: 100 });
bench
  .add('mage-policy engine.decide (route + ACL)', () => { engine.decide('GET', '/rest/V1/customers/12', admin); })
  .add('mage-policy engine.decide, detail read (params)', () => { void engine.decide('GET', '/rest/V1/customers/12', admin).params; })
  .add('cedar-wasm statefulIsAuthorized', () => { cedar.statefulIsAuthorized(cedarCall); })
  .add(`casbin enforceSync keyMatch2 (${casbinPolicy.split('\n').length} rules)`, () => { enforcer.enforceSync('admin1', '/rest/V1/customers/12', 'GET'); })
  .add(`find-my-way find (${registered} routes)`, () => { router.find('GET', '/rest/V1/customers/12'); })
  .add('mage-policy oauth.sign (magento-2.4.7, HMAC-SHA256)', () => { oauth.sign(signReq, creds, { nonce: 'n0nce', timestamp: 1700000000 }); })
  .add('oauth-1.0a authorize + toHeader (node:crypto)', () => {
    peerOAuth.toHeader(peerOAuth.authorize({ url: signReq.url, method: 'GET' }, { key: creds.token, secret: creds.tokenSecret }));
  })
  .add('mage-policy jwt.verify (HS256)', () => { jwt.verify(token, { cryptKey }); })
  .add('jose jwtVerify (HS256, async)', async () => { await jwtVerify(token, joseKey, { algorithms: ['HS256'] }); })
  .add('mage-policy gateway.authorize: guest, anonymous route', () => { gateway.authorize(guestReq); })
  .add('mage-policy gateway.authorize: customer JWT, GET /V1/customers/me', () => { gateway.authorize(meReq); })
  .add('mage-policy gateway.authorize: customer JWT, POST carts/mine/items, %cart_id% forced', () => { gateway.authorize(cartReq); })
  .add('mage-policy gateway.authorize: OAuth integration, fresh nonce', () => {
    gateway.authorize({ method: 'GET', url: productsUrl, headers: { Authorization: poolA[ia++ % (POOL - 1)] } });
  })
  .add('mage-policy engine.authorize (convenience): customer JWT', () => { engine.authorize(meReq, { jwt: { cryptKey }, customerWebsite: () => 1 }); })
  .add('by hand: jose jwtVerify + find-my-way find + role lookup (async)', async () => { await byHand(meReq); })
  .add('mage-policy oauth.Verifier.verify, fresh nonce', () => {
    verifier.verify({ method: 'GET', url: productsUrl, authorization: poolB[ib++ % POOL] }, now);
  })
  .add('cold: Engine.fromXml (76 corpus files)', () => { Engine.fromXml(corpus).free(); })
  .add(`cold: Engine.fromBundle (${bundle.length} bytes)`, () => { Engine.fromBundle(bundle).free(); })
  .add('cold: compile the .wasm (new WebAssembly.Module)', () => {
    new WebAssembly.Module(readFileSync(join(root, 'pkg/dist/web/mage_policy_bg.wasm')));
  });

await bench.run();
const median = (t) => (t.result.latency ? t.result.latency.p50 : t.result.median) * 1e6; // ms → ns
const rows = bench.tasks.map((t) => ({ name: t.name, ns: median(t) }));
const byName = Object.fromEntries(rows.map((r) => [r.name, r.ns]));
const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
console.log('\nmedian per operation (Node', process.version, ')');
for (const r of rows) console.log(`  ${fmt(r.ns).padStart(10)}  ${r.name}`);
const decide = byName['mage-policy engine.decide (route + ACL)'];
const ratio = (peer, ours) => `${(byName[peer] / ours).toFixed(1)}×`;
console.log('\nratios (peer / mage-policy):');
console.log(`  cedar-wasm / decide: ${ratio('cedar-wasm statefulIsAuthorized', decide)}`);
console.log(`  casbin / decide:     ${ratio(rows[3].name, decide)}`);
console.log(`  find-my-way / decide: ${ratio(rows[4].name, decide)} (find-my-way routes only)`);
console.log(`  oauth-1.0a / sign:   ${ratio('oauth-1.0a authorize + toHeader (node:crypto)', byName['mage-policy oauth.sign (magento-2.4.7, HMAC-SHA256)'])}`);
console.log(`  jose / jwt.verify:   ${ratio('jose jwtVerify (HS256, async)', byName['mage-policy jwt.verify (HS256)'])}`);
console.log(`  by hand / gateway.authorize (customer JWT): ${ratio('by hand: jose jwtVerify + find-my-way find + role lookup (async)', byName['mage-policy gateway.authorize: customer JWT, GET /V1/customers/me'])}`);
