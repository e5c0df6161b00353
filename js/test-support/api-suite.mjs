// The package API suite, run against whichever build `api` comes from (ESM or CJS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sample, corpus, CK, CS, TK, TS, CRYPT_KEY } from './fixtures.mjs';

export function suite(label, api) {
  const { Engine, Gateway, Authorized, oauth, jwt, createClient, ConfigError, OAuthError, InputError, MagePolicyError } = api;

  test(`${label}: decide on the sample store`, () => {
    const e = Engine.fromXml(sample);
    const d = e.decide('GET', '/rest/V1/customers/12', { type: 'guest' });
    assert.equal(d.status, 401);
    assert.equal(d.allowed, false);
    assert.equal(d.outcome, 'unauthorized');
    assert.equal(d.route.url, '/V1/customers/:customerId');
    assert.equal(d.body, '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Magento_Customer::customer"}}');
    assert.deepEqual(d.params, { customerId: '12' });
    assert.deepEqual(d.missing, ['Magento_Customer::customer']);
    assert.equal(e.decide('GET', '/rest/default/V1/customers/me', { type: 'customer', id: 5 }).allowed, true);
    assert.equal(e.decide('GET', '/rest/V1/customers/me', { type: 'customer', id: 5, emulated: true }).status, 401);
    const admin = { type: 'admin', id: 1, resources: ['Magento_Customer::customer'] };
    assert.equal(e.decide('GET', '/rest/V1/customers/12', admin).status, 200);
    assert.deepEqual(e.decide('DELETE', '/rest/V1/customers/12', admin).missing, ['Magento_Customer::delete']);
    assert.equal(e.decide('GET', '/rest/V1/analytics/link', { type: 'admin', id: 1, resources: 'all' }, { https: false }).status, 400);
    assert.equal(e.decide('PATCH', '/rest/V1/customers/me').body, '{"message":"The PATCH HTTP method is not supported."}');
    e.free();
  });

  test(`${label}: the Magento corpus`, (t) => {
    const c = corpus();
    if (!c) return t.skip('Magento corpus not found');
    const e = Engine.fromXml(c);
    assert.equal(e.routeTable().length, 347);
    const flat = (nodes) => nodes.flatMap((n) => [n.id, ...flat(n.children)]);
    assert.equal(flat(e.aclTree()).length, 228);
    const d = e.decide('PUT', '/rest/V1/carts/mine/items/5', { type: 'customer', id: 5 });
    assert.equal(d.route.url, '/V1/carts/mine/items/:itemId');
    assert.deepEqual(d.leftover, { cartId: 'mine' });
    assert.equal(e.decide('GET', '/rest/V1/customers/m%65', { type: 'customer', id: 5 }).route.url, '/V1/customers/:customerId');
    const open = Engine.fromXml({ ...c, allowInsecure: true });
    assert.equal(open.decide('GET', '/rest/V1/products/abc').allowed, true);
    assert.equal(e.decide('GET', '/rest/V1/products/abc').allowed, false);
    // A bundle decides exactly like the XML.
    const b = Engine.fromBundle(e.toBundle());
    for (const [m, p] of [['GET', '/rest/V1/customers/12'], ['PUT', '/rest/V1/carts/mine/items/5'], ['GET', '/rest/V1/nope']]) {
      assert.equal(b.decide(m, p, { type: 'customer', id: 5 }).status, e.decide(m, p, { type: 'customer', id: 5 }).status);
    }
    e.free(); open.free(); b.free();
  });

  test(`${label}: routes, explain, acl tree, diagnostics`, () => {
    const e = Engine.fromXml(sample);
    const guestRoutes = e.routes({ type: 'guest' }).filter((r) => r.allowed).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(guestRoutes, ['GET /V1/directory/countries', 'POST /V1/customers', 'POST /V1/guest-carts', 'POST /V1/integration/customer/token']);
    assert.match(e.explain('PUT', '/rest/V1/carts/mine/items/5', { type: 'customer', id: 5 }), /leftover parameter cartId = "mine"/);
    assert.deepEqual(e.aclTree().map((n) => n.id), ['Magento_Backend::all', 'Magento_Backend::admin']);
    assert.deepEqual(e.diagnostics(), []);
  });

  test(`${label}: errors are Error subclasses with codes and locations`, () => {
    assert.throws(() => Engine.fromXml({ webapi: [{ name: 'bad.xml', xml: '<routes>\n  <route url="/V1/x">\n</routes>' }] }), (err) => {
      assert.ok(err instanceof ConfigError && err instanceof MagePolicyError && err instanceof Error);
      assert.equal(err.code, 'ECONFIG');
      assert.equal(err.file, 'bad.xml');
      assert.equal(err.line, 3);
      assert.ok(err.diagnostics.length >= 1);
      return true;
    });
    assert.throws(() => Engine.fromBundle(new Uint8Array([1, 2, 3])), (err) => err.code === 'EBUNDLE');
    const e = Engine.fromXml(sample);
    assert.throws(() => e.decide('GET', '/x', { type: 'root' }), InputError);
    assert.throws(() => e.decide(42, '/x'), InputError);
    e.free();
    assert.throws(() => e.decide('GET', '/x'), (err) => err.code === 'EFREED');
  });

  test(`${label}: oauth sign, verify, base string`, () => {
    const creds = { consumerKey: CK, consumerSecret: CS, token: TK, tokenSecret: TS };
    const req = { method: 'GET', url: 'https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10' };
    const s = oauth.sign(req, creds, { profile: 'magento-2.4.7', nonce: 'n0nce', timestamp: 1700000000 });
    assert.equal(s.signature, 'j658MLJVyE0eQrmibIujUgCD2VAJPEGDvsgkP0D/Zmw=');
    const v = new oauth.Verifier('magento-2.4.7', { consumers: { [CK]: { secret: CS } }, tokens: { [TK]: { secret: TS, consumer: CK, type: 'access' } } });
    assert.equal(v.verify({ ...req, authorization: s.authorization }, 1700000010).valid, true);
    assert.throws(() => v.verify({ ...req, authorization: s.authorization }, 1700000010), (err) => {
      assert.ok(err instanceof OAuthError);
      assert.equal(err.status, 401);
      assert.equal(err.message, 'The nonce is already being used by the consumer with ID 1');
      return true;
    });
    const params = Object.fromEntries(s.authorization.slice(6).split(', ').map((p) => p.split('=')).map(([k, x]) => [k, decodeURIComponent(x.slice(1, -1))]).filter(([k]) => k !== 'oauth_signature'));
    assert.equal(oauth.baseString('magento-2.4.7', req, params), s.baseString);
    const random = oauth.sign(req, creds, { timestamp: 1 });
    assert.match(random.nonce, /^[0-9a-z]{32}$/);
    // The JS layer keeps the last signer handle (its key prepared once): switching
    // credentials, a secret or the token presence must never reuse it.
    const at = { profile: 'magento-2.4.7', nonce: 'n0nce', timestamp: 1700000000 };
    const variants = [
      { ...creds, tokenSecret: `${TS}x` },
      { ...creds, consumerSecret: `${CS}x` },
      { consumerKey: CK, consumerSecret: CS },
      { consumerKey: CK, consumerSecret: CS, token: TK, tokenSecret: '' },
    ];
    const sigs = variants.map((c) => oauth.sign(req, c, at).signature);
    assert.equal(new Set([s.signature, ...sigs]).size, 1 + variants.length);
    assert.equal(oauth.sign(req, creds, at).signature, s.signature);
    assert.equal(oauth.sign(req, variants[0], at).signature, sigs[0]);
    // A secret over 4 KiB is used once and not kept; the next call keys its own.
    const huge = oauth.sign(req, { ...creds, consumerSecret: 'x'.repeat(5000) }, at).signature;
    assert.notEqual(huge, s.signature);
    assert.equal(oauth.sign(req, creds, at).signature, s.signature);
    assert.equal(oauth.sign(req, { ...creds, consumerSecret: 'x'.repeat(5000) }, at).signature, huge);
  });

  test(`${label}: jwt issue, verify, decode`, () => {
    const t = jwt.issue({ cryptKey: CRYPT_KEY, uid: 5, type: 'customer', iat: 1700000000 });
    assert.equal(t, 'eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ.eyJ1aWQiOjUsInV0eXBpZCI6MywiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.kArhUfS0B-yPp2mCRt2w8aTmV65GbG158sqJDEVSQgw');
    assert.deepEqual(jwt.verify(t, { cryptKey: CRYPT_KEY, now: 1700000100 }), { valid: true, uid: 5, utypid: 3, iat: 1700000000, exp: 1700003600 });
    assert.equal(jwt.verify(t, { cryptKey: CRYPT_KEY, now: 1700003600 }).reason, 'expired');
    assert.equal(jwt.verify(t, { cryptKey: CRYPT_KEY, now: 1700000100, revoked: [{ userType: 3, id: 5, before: 1700000000 }] }).reason, 'revoked');
    assert.equal(jwt.verify(t, { cryptKey: 'another store', now: 1700000100 }).reason, 'bad_signature');
    assert.equal(jwt.decode(t, 1700000100).secondsLeft, 3500);
    assert.throws(() => jwt.decode('nope'), (err) => err.code === 'EJWT');
  });

  test(`${label}: authorize and identify a whole request`, () => {
    const e = Engine.fromXml(sample);
    const t = jwt.issue({ cryptKey: CRYPT_KEY, uid: 5, type: 'customer', iat: 1700000000 });
    const sources = {
      now: 1700000100,
      jwt: { cryptKey: CRYPT_KEY },
      session: (sid) => (sid === 'abc' ? { id: 7, website: 1 } : null),
      placeholders: { customerGroupId: 1, customerStoreId: 1, cartId: 42 },
    };
    const bearer = e.authorize({ method: 'PUT', url: 'https://shop.example.com/rest/default/V1/customers/me', headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' }, body: '{"customer":{"id":99,"email":"a@b.c"}}' }, sources);
    assert.equal(bearer.status, 200);
    assert.equal(bearer.identity.via, 'bearer');
    assert.deepEqual(JSON.parse(bearer.requestBody).customer.id, 5);
    const xhr = { method: 'GET', url: 'https://shop.example.com/rest/V1/carts/mine', headers: { Cookie: 'PHPSESSID=abc', 'X-Requested-With': 'XMLHttpRequest' } };
    assert.equal(e.identify(xhr, sources).id, 7);
    assert.equal(e.authorize({ ...xhr, headers: { Cookie: 'PHPSESSID=abc' } }, sources).status, 401);
    if (typeof Request === 'function') {
      const r = new Request('https://shop.example.com/rest/V1/carts/mine', { headers: { Cookie: 'PHPSESSID=abc', 'X-Requested-With': 'XMLHttpRequest' } });
      assert.equal(e.authorize(r, sources).status, 200);
    }
    // Placeholders from a function of the identified caller: called once, only when a
    // parameter is forced; a missing cart is Magento's 404-style refusal.
    const calls = [];
    const carts = { 7: 70 };
    const lazy = { ...sources, placeholders: (caller) => { calls.push(caller); return { cartId: carts[caller.id] ?? false }; } };
    const add = (cookie) => e.authorize({ method: 'POST', url: 'https://shop.example.com/rest/V1/carts/mine/items', headers: { Cookie: cookie, 'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json' }, body: '{"cartItem":{"sku":"MH01","qty":1,"quote_id":1}}' }, lazy);
    const added = add('PHPSESSID=abc');
    assert.equal(added.status, 200);
    assert.equal(JSON.parse(added.requestBody).cartItem.quote_id, 70);
    assert.deepEqual(calls, [{ type: 'customer', id: 7 }]);
    assert.equal(e.authorize(xhr, lazy).status, 200);
    assert.equal(calls.length, 2, 'carts/mine forces customerId, so the function runs again');
    assert.equal(e.authorize({ method: 'GET', url: 'https://shop.example.com/rest/V1/directory/countries' }, lazy).status, 200);
    assert.equal(calls.length, 2, 'nothing forced: not called');
    assert.throws(() => e.authorize({ method: 'POST', url: 'https://shop.example.com/rest/V1/carts/mine/items', headers: { Cookie: 'PHPSESSID=abc', 'X-Requested-With': 'XMLHttpRequest' } },
      { ...lazy, placeholders: () => { throw new RangeError('cart service down'); } }), /cart service down/);
    assert.throws(() => e.authorize({ method: 'GET', url: 'https://shop.example.com/rest/V1/carts/mine', headers: { Cookie: 'PHPSESSID=abc', 'X-Requested-With': 'XMLHttpRequest' } },
      { ...lazy, placeholders: () => 'nope' }), (err) => err.code === 'EINPUT');
    carts[7] = undefined;
    const noCart = add('PHPSESSID=abc');
    assert.equal(noCart.allowed, false);
    assert.ok(noCart.status >= 400, `no active cart is refused (${noCart.status} ${noCart.body})`);
    e.free();
  });

  test(`${label}: gateway — an admin's role from sources.adminRole is honoured on the first request`, () => {
    const e = Engine.fromXml(sample);
    const roles = { 1: ['Magento_Customer::customer'], 2: 'all' };
    const asked = [];
    const gw = e.gateway({ now: 1700000100, jwt: { cryptKey: CRYPT_KEY }, adminRole: (id) => { asked.push(id); return roles[id] ?? null; } });
    const bearer = (uid) => ({ Authorization: `Bearer ${jwt.issue({ cryptKey: CRYPT_KEY, uid, type: 'admin', iat: 1700000000 })}` });
    const get = gw.authorize({ method: 'GET', url: 'https://shop.example.com/rest/V1/customers/12', headers: bearer(1) });
    assert.ok(get instanceof Authorized);
    assert.deepEqual([get.status, get.allowed, get.identity.type, get.identity.id, get.identity.via], [200, true, 'admin', 1, 'bearer']);
    assert.deepEqual(asked, [1], 'the role callback ran once, with the admin id');
    const del = gw.authorize({ method: 'DELETE', url: 'https://shop.example.com/rest/V1/customers/12', headers: bearer(1) });
    assert.equal(del.status, 401);
    assert.equal(del.body, '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Magento_Customer::delete"}}');
    assert.deepEqual(del.missing, ['Magento_Customer::delete']);
    assert.equal(gw.authorize({ method: 'DELETE', url: 'https://shop.example.com/rest/V1/customers/12', headers: bearer(2) }).status, 200, '"all" allows');
    const none = gw.authorize({ method: 'GET', url: 'https://shop.example.com/rest/V1/customers/12', headers: bearer(3) });
    assert.deepEqual([none.status, none.missing], [401, ['Magento_Customer::customer']], 'no role row: denied');
    // The same role data given as a map instead of a function.
    const data = e.gateway({ now: 1700000100, jwt: { cryptKey: CRYPT_KEY }, adminRole: roles });
    assert.equal(data.authorize({ method: 'GET', url: 'https://shop.example.com/rest/V1/customers/12', headers: bearer(1) }).status, 200);
    assert.equal(data.authorize({ method: 'DELETE', url: 'https://shop.example.com/rest/V1/customers/12', headers: bearer(1) }).status, 401);
    gw.free(); data.free(); e.free();
  });

  test(`${label}: gateway — an OAuth integration's role from sources.integrationRole on the first request`, () => {
    const e = Engine.fromXml(sample);
    const credentials = { consumers: { [CK]: { secret: CS, id: 1, integration: { id: 7, active: true } } }, tokens: { [TK]: { secret: TS, consumer: CK, type: 'access' } } };
    const gw = e.gateway({ now: 1700000100, oauth: { credentials }, integrationRole: (id) => (id === 7 ? ['Magento_CatalogInventory::cataloginventory'] : null) });
    const signed = (method, url, nonce) => ({ method, url, headers: { Authorization: oauth.sign({ method, url }, { consumerKey: CK, consumerSecret: CS, token: TK, tokenSecret: TS }, { nonce, timestamp: 1700000000 }).authorization } });
    const ok = gw.authorize(signed('PUT', 'https://shop.example.com/rest/V1/stockItems/MB01', 'i1'));
    assert.deepEqual([ok.status, ok.allowed, ok.identity.type, ok.identity.id, ok.identity.via], [200, true, 'integration', 7, 'oauth']);
    const no = gw.authorize(signed('GET', 'https://shop.example.com/rest/V1/customers/12', 'i2'));
    assert.equal(no.status, 401);
    assert.deepEqual(no.missing, ['Magento_Customer::customer']);
    assert.equal(no.body, '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Magento_Customer::customer"}}');
    const replay = gw.authorize(signed('PUT', 'https://shop.example.com/rest/V1/stockItems/MB01', 'i1'));
    assert.deepEqual([replay.status, replay.refusal, replay.allowed], [401, 'oauth', false]);
    assert.equal(replay.body, '{"message":"The nonce is already being used by the consumer with ID %1","parameters":["1"]}');
    gw.free(); e.free();
  });

  test(`${label}: gateway — callbacks answer with data, refused when wrong`, () => {
    const e = Engine.fromXml(sample);
    const xhr = { method: 'GET', url: 'https://shop.example.com/rest/V1/carts/mine', headers: { Cookie: 'PHPSESSID=abc', 'X-Requested-With': 'XMLHttpRequest' } };
    const gw = (session) => e.gateway({ now: 1700000100, session, placeholders: { cartId: 9 } });
    assert.equal(gw((sid) => (sid === 'abc' ? { id: 7 } : null)).authorize(xhr).identity.id, 7);
    assert.equal(gw({ abc: { id: 7, website: 1 } }).authorize(xhr).identity.id, 7, 'session data as a map');
    assert.throws(() => gw(async () => ({ id: 7 })).authorize(xhr), (err) => err instanceof InputError && /Promise/.test(err.message));
    assert.throws(() => gw(() => ({ customerId: 7 })).authorize(xhr), (err) => err instanceof InputError && /\{ id, website\?, emulated\? \}/.test(err.message));
    assert.throws(() => gw(() => { throw new RangeError('session store down'); }).authorize(xhr), RangeError);
    assert.throws(() => e.gateway({ adminRole: 'all' }), InputError);
    assert.throws(() => e.gateway({ jwt: { cryptKey: CRYPT_KEY, algorithm: 'HS256' } }), (err) => err instanceof InputError && /algorithm/.test(err.message));
    e.free();
  });

  test(`${label}: gateway — wrong-shaped requests are refused at once`, () => {
    const e = Engine.fromXml(sample);
    const gw = e.gateway({});
    const url = 'https://shop.example.com/rest/V1/products';
    for (const headers of ['Authorization: Bearer x', 42, new Uint8Array(8), true, Symbol('h')]) {
      const t0 = Date.now();
      assert.throws(() => gw.authorize({ method: 'GET', url, headers }), InputError);
      assert.ok(Date.now() - t0 < 1000);
    }
    for (const sources of ['x'.repeat(1 << 20), 42, [], new Uint8Array(4)]) {
      assert.throws(() => e.gateway(sources), InputError);
      assert.throws(() => e.authorize({ method: 'GET', url }, sources), InputError);
    }
    assert.throws(() => gw.authorize({ method: 'GET', url: `${url}\nX: y` }), InputError);
    assert.throws(() => gw.authorize({ method: 'GET', url, headers: { 'X-A': 'a\nb' } }), InputError);
    // Requests shaped like real traffic but too large get the web server's answers.
    assert.equal(gw.authorize({ method: 'GET', url, headers: { 'X-Big': 'x'.repeat(1 << 20) } }).status, 431);
    assert.equal(gw.authorize({ method: 'GET', url, headers: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x-${i}`, 'v'])) }).status, 431);
    assert.equal(gw.authorize({ method: 'POST', url, headers: { 'Content-Type': 'application/json' } }, 'x'.repeat(4 << 20)).status, 413);
    assert.equal(gw.authorize({ method: 'GET', url: `https://shop.example.com/rest/V1/${'a'.repeat(1 << 20)}` }).status, 414);
    gw.free(); e.free();
  });

  test(`${label}: gateway answers serialise like the command line's, details on demand`, () => {
    const e = Engine.fromXml(sample);
    const gw = e.gateway({ now: 1700000100, jwt: { cryptKey: CRYPT_KEY }, placeholders: { cartId: 42 } });
    const t = jwt.issue({ cryptKey: CRYPT_KEY, uid: 5, type: 'customer', iat: 1700000000 });
    const a = gw.authorize({ method: 'POST', url: 'https://shop.example.com/rest/V1/carts/mine/items', headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' }, body: '{"cartItem":{"sku":"MH01","qty":1}}' });
    assert.deepEqual(Object.keys(a.toJSON()), ['status', 'allowed', 'outcome', 'message', 'route', 'params', 'resources', 'missing', 'store', 'processor', 'body', 'refusal', 'requestBody', 'forced', 'identity']);
    assert.deepEqual(a.forced, [{ name: 'cartItem.quote_id', value: 42 }]);
    assert.equal(JSON.parse(a.requestBody).cartItem.quote_id, 42);
    assert.deepEqual(a.store, { code: 'default', id: 1, websiteId: 1 });
    assert.deepEqual(a.resources, ['self']);
    assert.equal(a.route.url, '/V1/carts/mine/items');
    assert.deepEqual(JSON.parse(JSON.stringify(a)).route, { url: '/V1/carts/mine/items', method: 'POST', service: a.route.service });
    gw.free();
    assert.throws(() => gw.authorize({ method: 'GET', url: 'https://shop.example.com/rest/V1/products' }), (err) => err.code === 'EFREED');
    e.free();
  });

  test(`${label}: roles evicted from the registry never answer for another caller`, () => {
    const e = Engine.fromXml(sample);
    const narrow = { type: 'admin', id: 1, resources: ['Magento_Customer::customer'] };
    assert.equal(e.decide('DELETE', '/rest/V1/customers/1', narrow).status, 401);
    // Past the registry's bound every handle is forgotten and new ones are given out.
    for (let i = 0; i < 1100; i++) e.decide('GET', '/rest/V1/products', { type: 'admin', id: 2, resources: ['Magento_Catalog::products', `X::${i}`] });
    assert.equal(e.decide('DELETE', '/rest/V1/customers/1', { type: 'admin', id: 3, resources: 'all' }).status, 200);
    assert.equal(e.decide('DELETE', '/rest/V1/customers/1', narrow).status, 401, 'the old principal keeps its own role');
    assert.deepEqual(e.decide('DELETE', '/rest/V1/customers/1', narrow).missing, ['Magento_Customer::delete']);
    narrow.resources.push('Magento_Customer::delete');
    assert.equal(e.decide('DELETE', '/rest/V1/customers/1', narrow).status, 200, 'a changed array is a new role');
    e.free();
  });

  test(`${label}: createClient answers locally and adds credentials`, async () => {
    const e = Engine.fromXml(sample);
    const seen = [];
    const fakeFetch = async (url, init) => { seen.push({ url, init }); return new Response('{}', { status: 200 }); };
    const guest = createClient({ baseUrl: 'https://shop.example.com/', engine: e, fetch: fakeFetch });
    assert.equal(guest.can('GET', '/V1/customers/me').allowed, false);
    const refused = await guest.fetch('GET', '/V1/customers/me');
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('X-Mage-Policy'), 'refused-locally');
    assert.equal(seen.length, 0, 'refused calls never leave the page');
    const me = createClient({ baseUrl: 'https://shop.example.com', engine: e, fetch: fakeFetch, auth: { type: 'session', customer: { id: 5 } } });
    await me.fetch('GET', '/V1/customers/me');
    assert.equal(seen[0].url, 'https://shop.example.com/rest/V1/customers/me');
    assert.equal(seen[0].init.headers.get('X-Requested-With'), 'XMLHttpRequest');
    const integ = createClient({ baseUrl: 'https://shop.example.com', engine: e, fetch: fakeFetch,
      auth: { type: 'oauth', credentials: { consumerKey: CK, consumerSecret: CS, token: TK, tokenSecret: TS }, principal: { type: 'integration', id: 1, resources: ['Magento_CatalogInventory::cataloginventory'] } } });
    await integ.fetch('PUT', '/V1/stockItems/24-MB01', { body: { stockItem: { qty: 1 } } });
    assert.match(seen[1].init.headers.get('Authorization'), /^OAuth oauth_consumer_key=/);
    e.free();
  });
}
