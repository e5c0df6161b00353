// A Cloudflare-style worker that imports the package (the `workerd` export condition:
// the .wasm arrives as a compiled module and is instantiated at start-up).
import { Engine, jwt, oauth } from 'mage-policy';
import webapi from 'sample-webapi.xml';
import acl from 'sample-acl.xml';

const engine = Engine.fromXml({ webapi: [{ name: 'webapi.xml', xml: webapi }], acl: [{ name: 'acl.xml', xml: acl }] });
const CRYPT_KEY = '8f2c1d9e4b7a60315c9e2f4a7d1b3c5e';
const CK = 'a'.repeat(32), CS = 'c'.repeat(32), TK = 'b'.repeat(32), TS = 'd'.repeat(32);
const credentials = { consumers: { [CK]: { secret: CS, id: 1, integration: { id: 7, active: true } } }, tokens: { [TK]: { secret: TS, consumer: CK, type: 'access' } } };
const verifier = new oauth.Verifier('magento-2.4.7', credentials);
// A long-lived gateway, as an edge keeps one: roles come from callbacks that answer
// with resource lists (here from constants; an edge would read its store snapshot).
const ADMIN_ROLES = { 1: ['Magento_Customer::customer'] };
const gateway = engine.gateway({
  jwt: { cryptKey: CRYPT_KEY },
  oauth: { credentials },
  adminRole: (id) => ADMIN_ROLES[id] ?? null,
  integrationRole: (id) => (id === 7 ? ['Magento_CatalogInventory::cataloginventory'] : null),
});

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const json = (v, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/decide') {
      const d = engine.decide(url.searchParams.get('method'), url.searchParams.get('path'), JSON.parse(url.searchParams.get('principal') || '{"type":"guest"}'));
      return json({ status: d.status, allowed: d.allowed, route: d.route && d.route.url, body: d.body });
    }
    if (url.pathname === '/jwt') {
      const type = url.searchParams.get('type') || 'customer';
      const uid = Number(url.searchParams.get('uid') || 5);
      const iat = Number(url.searchParams.get('iat') || 1700000000);
      const token = jwt.issue({ cryptKey: CRYPT_KEY, uid, type, iat });
      return json({ token, verified: jwt.verify(token, { cryptKey: CRYPT_KEY, now: 1700000100 }) });
    }
    if (url.pathname === '/oauth') {
      const req = { method: 'GET', url: 'https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10' };
      const s = oauth.sign(req, { consumerKey: CK, consumerSecret: CS, token: TK, tokenSecret: TS }, { nonce: url.searchParams.get('nonce') || 'n0nce', timestamp: 1700000000 });
      try {
        return json({ signature: s.signature, verified: verifier.verify({ ...req, authorization: s.authorization }, 1700000010) });
      } catch (e) {
        return json({ signature: s.signature, error: { name: e.name, code: e.code, status: e.status, message: e.message } });
      }
    }
    if (url.pathname.startsWith('/rest/') && request.headers.get('X-Test-Gateway')) {
      // The edge's whole request through the long-lived gateway.
      const a = gateway.authorize(request, request.method === 'GET' ? undefined : await request.text());
      return json({ status: a.status, allowed: a.allowed, body: a.body, missing: a.missing, identity: a.identity }, 200);
    }
    if (url.pathname.startsWith('/rest/')) {
      // An edge gateway: identify + decide the incoming request itself.
      const a = engine.authorize(request, { now: 1700000100, jwt: { cryptKey: CRYPT_KEY } });
      return a.allowed ? json({ forwarded: true, identity: a.identity }) : new Response(a.body, { status: a.status });
    }
    return new Response('not found', { status: 404 });
  },
};
