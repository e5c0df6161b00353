// Instruction counts per call, the noise-free figure for comparing builds (a 2-core VM
// times the same call 2× apart from one run to the next). Run under callgrind by
// scripts/icount.sh, which takes (Ir(2N) − Ir(N)) / N:
//   bash scripts/icount.sh [case …]      cases: decide guest customer forced jwt sign verify oauth
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { Engine, jwt, oauth } = await import(join(root, 'pkg/dist/node.mjs'));
const corpusDir = process.env.MAGE_POLICY_CORPUS || join(root, '..', 'shared', 'corpus', 'magento');
const read = (sub) => readdirSync(join(corpusDir, sub)).filter((f) => f.endsWith('.xml')).sort()
  .map((f) => ({ name: `${sub}/${f}`, xml: readFileSync(join(corpusDir, sub, f), 'utf8') }));
const engine = Engine.fromXml({ webapi: read('webapi'), acl: read('acl') });
const cryptKey = '8f2c1d9e4b7a60315c9e2f4a7d1b3c5e';
const now = 1700000100;
const shop = 'https://shop.example.com';
const token = jwt.issue({ cryptKey, uid: 5, type: 'customer', iat: 1700000000 });
const creds = { consumerKey: 'a'.repeat(32), consumerSecret: 'c'.repeat(32), token: 'b'.repeat(32), tokenSecret: 'd'.repeat(32) };
const credentials = { consumers: { [creds.consumerKey]: { secret: creds.consumerSecret, id: 1, integration: { id: 3, active: true } } },
  tokens: { [creds.token]: { secret: creds.tokenSecret, consumer: creds.consumerKey, type: 'access' } } };
const integration = ['Magento_Catalog::catalog', 'Magento_Catalog::products'];
const gateway = engine.gateway({ now, jwt: { cryptKey }, oauth: { credentials }, customerWebsite: () => 1,
  integrationRole: () => integration, placeholders: () => ({ cartId: 101 }) });
const admin = { type: 'admin', id: 1, resources: ['Magento_Customer::customer', 'Magento_Catalog::products'] };
const products = `${shop}/rest/default/V1/products?searchCriteria[pageSize]=10`;
const signReq = { method: 'GET', url: `${shop}/rest/default/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1` };
const [name, n] = [process.argv[2], Number(process.argv[3])];
// Fresh nonces for the OAuth cases: a fixed-size pool, so that both runs set up alike.
const pool = ['verify', 'oauth'].includes(name)
  ? Array.from({ length: 12000 }, (_, i) => oauth.sign({ method: 'GET', url: products }, creds, { nonce: `nonce${i}`, timestamp: now }).authorization)
  : [];
let next = 0;
const verifier = new oauth.Verifier('magento-2.4.7', credentials);
const bearer = { Authorization: `Bearer ${token}` };
const cases = {
  decide: () => engine.decide('GET', '/rest/V1/customers/12', admin),
  guest: () => gateway.authorize({ method: 'GET', url: `${shop}/rest/V1/directory/countries`, headers: { Accept: 'application/json' } }),
  customer: () => gateway.authorize({ method: 'GET', url: `${shop}/rest/default/V1/customers/me`, headers: bearer }),
  forced: () => gateway.authorize({ method: 'POST', url: `${shop}/rest/default/V1/carts/mine/items`, headers: { ...bearer, 'Content-Type': 'application/json' },
    body: '{"cartItem":{"sku":"MH01","qty":1,"quote_id":999}}' }),
  oauth: () => gateway.authorize({ method: 'GET', url: products, headers: { Authorization: pool[next++] } }),
  verify: () => verifier.verify({ method: 'GET', url: products, authorization: pool[next++] }, now),
  jwt: () => jwt.verify(token, { cryptKey, now }),
  sign: () => oauth.sign(signReq, creds, { nonce: 'n0nce', timestamp: 1700000000 }),
};
const f = cases[name];
if (!f) throw new Error(`unknown case ${name} (${Object.keys(cases).join(', ')})`);
for (let i = 0; i < 3000; i++) f(); // every tier reached
for (let i = 0; i < n; i++) f();
