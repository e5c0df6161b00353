// The demo store origin: a stand-in for a Magento store, enforcing the policy with the
// mage-policy package in Node. It serves the REST routes of the project's sample
// webapi.xml with in-memory data, logs customers in with a real session cookie, issues
// Magento-format customer JWTs and accepts the integration's OAuth 1.0a signatures.
// State lives in memory and resets on restart.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { Engine, jwt } from 'mage-policy';
import { CRYPT_KEY, INTEGRATION, OAUTH_CREDENTIALS, OAUTH_PROFILE, SESSION_COOKIE } from './demo-config.mjs';

const SESSION_SECONDS = 3600;

// Passwords are stored as scrypt hashes (Magento uses Argon2id; any slow KDF shows the point).
function hashPassword(password, salt = randomBytes(16)) {
  return { salt, hash: scryptSync(password, salt, 32) };
}
function checkPassword(stored, password) {
  return timingSafeEqual(stored.hash, scryptSync(password, stored.salt, 32));
}

export function createStore() {
  const customers = new Map([
    [1, { id: 1, email: 'roni_cost@example.com', firstname: 'Veronica', lastname: 'Costello', group_id: 1, website_id: 1, store_id: 1, password: hashPassword('roni_cost3@example.com') }],
    [2, { id: 2, email: 'john.doe@example.com', firstname: 'John', lastname: 'Doe', group_id: 1, website_id: 1, store_id: 1, password: hashPassword('Password1') }],
  ]);
  const products = new Map([
    ['MH01', { id: 1, sku: 'MH01', name: 'Chaz Kangeroo Hoodie', price: 52, qty: 100 }],
    ['MJ12', { id: 2, sku: 'MJ12', name: 'Proteus Fitness Jackshirt', price: 45, qty: 25 }],
    ['WS03', { id: 3, sku: 'WS03', name: 'Iris Workout Top', price: 29, qty: 60 }],
    ['24-MB01', { id: 4, sku: '24-MB01', name: 'Joust Duffle Bag', price: 34, qty: 12 }],
  ]);
  return { customers, products, carts: new Map(), sessions: new Map(), orders: new Map([[1, { id: 1, status: 'pending' }]]), guestCarts: [] };
}

const json = (res, status, value) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
};
const magentoError = (res, status, message, parameters) =>
  json(res, status, parameters ? { message, parameters } : { message });

function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 1 << 20) { reject(new Error('body too large')); req.destroy(); } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Start the origin. Returns `{ server, url, stats, store, close }`; `stats.rest` counts
 * the REST requests that reached the origin (the edge's refusals never do).
 */
export async function startOrigin({ port = 0, host = '127.0.0.1', webapiXml, aclXml } = {}) {
  const root = new URL('..', import.meta.url);
  const webapi = webapiXml ?? readFileSync(new URL('fixtures/sample/webapi.xml', root), 'utf8');
  const acl = aclXml ?? readFileSync(new URL('fixtures/sample/acl.xml', root), 'utf8');
  const engine = Engine.fromXml({ webapi: [{ name: 'webapi.xml', xml: webapi }], acl: [{ name: 'acl.xml', xml: acl }], allowInsecure: true });
  const store = createStore();
  const stats = { rest: 0, recent: [] };

  const sessionCustomer = (sid) => {
    const s = store.sessions.get(sid);
    if (!s || s.expires < Date.now()) return null;
    const c = store.customers.get(s.customerId);
    return c ? { id: c.id, website: c.website_id } : null;
  };
  const cartOf = (customerId) => {
    if (!store.carts.has(customerId)) store.carts.set(customerId, { id: 100 + customerId, customer_id: customerId, items: [] });
    return store.carts.get(customerId);
  };
  const placeholdersFor = (customerId) => {
    const c = store.customers.get(customerId);
    if (!c) return null;
    return { customerGroupId: c.group_id, customerWebsiteId: c.website_id, customerStoreId: c.store_id, cartId: cartOf(c.id).id };
  };
  const sources = {
    jwt: { cryptKey: CRYPT_KEY },
    session: sessionCustomer,
    sessionCookie: SESSION_COOKIE,
    oauth: { profile: OAUTH_PROFILE, credentials: OAUTH_CREDENTIALS },
    customerWebsite: (id) => store.customers.get(id)?.website_id ?? null,
    integrationRole: (id) => (id === INTEGRATION.id ? INTEGRATION.resources : null),
    placeholders: (caller) => (caller.type === 'customer' ? placeholdersFor(caller.id) : null),
  };
  // One long-lived gateway: keys, credentials and nonces stay in the module.
  const gateway = engine.gateway(sources);

  const publicCustomer = ({ password, ...c }) => c;
  const cartView = (cart) => ({
    id: cart.id, items: cart.items, items_count: cart.items.length,
    items_qty: cart.items.reduce((n, i) => n + i.qty, 0), customer: publicCustomer(store.customers.get(cart.customer_id)),
  });

  // Route handlers by `METHOD url` of the matched route; `a` is the authorization.
  const handlers = {
    'GET /V1/products': () => [200, { items: [...store.products.values()], search_criteria: {}, total_count: store.products.size }],
    'GET /V1/products/:sku': (a) => {
      const p = store.products.get(a.params.sku);
      return p ? [200, p] : [404, { message: "The product that was requested doesn't exist. Verify the product and try again." }];
    },
    'POST /V1/products': (a, body) => {
      const p = body.product || {};
      if (!p.sku) return [400, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'sku' } }];
      const product = { id: store.products.size + 1, qty: 0, price: 0, ...store.products.get(p.sku), ...p };
      store.products.set(p.sku, product);
      return [200, product];
    },
    'GET /V1/directory/countries': () => [200, [
      { id: 'DE', two_letter_abbreviation: 'DE', full_name_english: 'Germany' },
      { id: 'FR', two_letter_abbreviation: 'FR', full_name_english: 'France' },
      { id: 'US', two_letter_abbreviation: 'US', full_name_english: 'United States' },
    ]],
    'GET /V1/customers/me': (a, body) => {
      const c = store.customers.get(Number(body.customerId));
      return c ? [200, publicCustomer(c)] : [404, { message: 'No such entity with %fieldName = %fieldValue', parameters: { fieldName: 'customerId', fieldValue: body.customerId } }];
    },
    'PUT /V1/customers/me': (a, body) => {
      const c = store.customers.get(Number(body.customer?.id));
      if (!c) return [404, { message: 'No such entity.' }];
      for (const k of ['firstname', 'lastname', 'email']) if (typeof body.customer[k] === 'string') c[k] = body.customer[k];
      return [200, publicCustomer(c)];
    },
    'GET /V1/customers/:customerId': (a) => {
      const c = store.customers.get(Number(a.params.customerId));
      return c ? [200, publicCustomer(c)] : [404, { message: 'No such entity with %fieldName = %fieldValue', parameters: { fieldName: 'customerId', fieldValue: a.params.customerId } }];
    },
    'DELETE /V1/customers/:customerId': (a) => [200, store.customers.delete(Number(a.params.customerId))],
    'POST /V1/customers': (a, body) => {
      const c = body.customer || {};
      if (!c.email || !body.password) return [400, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: c.email ? 'password' : 'email' } }];
      if ([...store.customers.values()].some((x) => x.email === c.email)) return [400, { message: 'A customer with the same email address already exists in an associated website.' }];
      const id = Math.max(...store.customers.keys()) + 1;
      const created = { id, email: c.email, firstname: c.firstname || '', lastname: c.lastname || '', group_id: 1, website_id: 1, store_id: 1, password: hashPassword(body.password) };
      store.customers.set(id, created);
      return [200, publicCustomer(created)];
    },
    'GET /V1/carts/mine': (a, body) => [200, cartView(cartOf(Number(body.customerId)))],
    'POST /V1/carts/mine/items': (a, body) => {
      const item = body.cartItem || {};
      const cart = [...store.carts.values()].find((c) => c.id === item.quote_id);
      const product = store.products.get(item.sku);
      if (!cart) return [404, { message: 'No such entity with %fieldName = %fieldValue', parameters: { fieldName: 'cartId', fieldValue: item.quote_id } }];
      if (!product) return [404, { message: "The product that was requested doesn't exist. Verify the product and try again." }];
      const existing = cart.items.find((i) => i.sku === item.sku);
      if (existing) { existing.qty += Number(item.qty) || 1; return [200, existing]; }
      const added = { item_id: cart.id * 100 + cart.items.length + 1, sku: product.sku, qty: Number(item.qty) || 1, name: product.name, price: product.price, product_type: 'simple', quote_id: String(cart.id) };
      cart.items.push(added);
      return [200, added];
    },
    'PUT /V1/carts/mine/items/:itemId': (a, body) => {
      const cart = [...store.carts.values()].find((c) => c.id === body.cartItem?.quote_id);
      const item = cart?.items.find((i) => i.item_id === Number(a.params.itemId));
      if (!item) return [404, { message: 'The %1 Cart doesn\'t contain the %2 item.', parameters: [body.cartItem?.quote_id, a.params.itemId] }];
      item.qty = Number(body.cartItem.qty) || item.qty;
      return [200, item];
    },
    'PUT /V1/carts/:cartId/items/:itemId': (a, body) => [200, { item_id: Number(a.params.itemId), quote_id: a.params.cartId, ...body.cartItem }],
    'POST /V1/guest-carts': () => {
      const masked = randomBytes(16).toString('hex');
      store.guestCarts.push(masked);
      return [200, masked];
    },
    'POST /V1/integration/customer/token': (a, body) => {
      const c = [...store.customers.values()].find((x) => x.email === body.username);
      if (!c || typeof body.password !== 'string' || !checkPassword(c.password, body.password)) {
        return [401, { message: 'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.' }];
      }
      return [200, jwt.issue({ cryptKey: CRYPT_KEY, uid: c.id, type: 'customer', ttlMinutes: 60 })];
    },
    'POST /V1/orders/:id/cancel': (a) => {
      const o = store.orders.get(Number(a.params.id));
      if (!o) return [404, { message: 'The entity that was requested doesn\'t exist. Verify the entity and try again.' }];
      o.status = 'canceled';
      return [200, true];
    },
    'PUT /V1/stockItems/:productSku': (a, body) => {
      const p = store.products.get(a.params.productSku);
      if (!p) return [404, { message: "The product that was requested doesn't exist. Verify the product and try again." }];
      if (body.stockItem && Number.isFinite(Number(body.stockItem.qty))) p.qty = Number(body.stockItem.qty);
      return [200, p.id];
    },
    'GET /V1/analytics/link': () => [200, { url: 'https://analytics.example.com/link', initialization_vector: 'demo' }],
  };

  async function rest(req, res, url) {
    const bodyText = ['GET', 'HEAD'].includes(req.method) ? undefined : await readBody(req);
    stats.rest += 1;
    const request = { method: req.method, url: url.href, headers: Object.entries(req.headers).map(([k, v]) => [k, String(v)]) };
    let a;
    try {
      a = gateway.authorize(request, bodyText);
    } catch (e) {
      return magentoError(res, 400, e.message);
    }
    const record = (status) => {
      stats.recent.unshift({ method: req.method, path: url.pathname, status, via: a.identity?.via || 'guest' });
      stats.recent.length = Math.min(stats.recent.length, 20);
    };
    if (!a.allowed) {
      record(a.status);
      res.writeHead(a.status, { 'Content-Type': 'application/json; charset=utf-8' });
      return res.end(a.body);
    }
    let body = {};
    const text = a.requestBody ?? bodyText;
    if (text) {
      try { body = JSON.parse(text); } catch { record(400); return magentoError(res, 400, 'Decoding error.'); }
    }
    // Forced parameters of GET routes (customerId of customers/me, carts/mine) arrive
    // in the rewritten input, as Magento hands them to the service.
    const handler = handlers[`${a.route.method} ${a.route.url}`];
    if (!handler) { record(501); return magentoError(res, 501, 'Not implemented in the demo store.'); }
    const [status, value] = handler(a, body);
    record(status);
    json(res, status, value);
  }

  function login(req, res, body) {
    const form = new URLSearchParams(body);
    const email = form.get('login[username]') || '';
    const c = [...store.customers.values()].find((x) => x.email === email);
    if (!c || !checkPassword(c.password, form.get('login[password]') || '')) {
      res.writeHead(303, { Location: '/?login=failed' });
      return res.end();
    }
    const sid = randomBytes(24).toString('hex');
    store.sessions.set(sid, { customerId: c.id, expires: Date.now() + SESSION_SECONDS * 1000 });
    res.writeHead(303, {
      Location: '/',
      // Magento's frontend session cookie: HttpOnly, SameSite=Lax, expiring. (Add
      // `Secure` behind HTTPS; the demo runs on plain http://127.0.0.1.)
      'Set-Cookie': `${SESSION_COOKIE}=${sid}; Path=/; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Lax`,
    });
    res.end();
  }

  function logout(req, res) {
    const sid = cookies(req)[SESSION_COOKIE];
    if (sid) store.sessions.delete(sid);
    res.writeHead(303, { Location: '/', 'Set-Cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` });
    res.end();
  }

  const server = createServer(async (req, res) => {
    try {
      // The edge forwards with the address the caller used: OAuth signatures cover it.
      const authority = req.headers['x-forwarded-host'] || req.headers.host || host;
      const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
      const url = new URL(req.url, `${proto}://${authority}`);
      if (url.pathname.startsWith('/rest/')) return await rest(req, res, url);
      if (req.method === 'POST' && url.pathname === '/customer/account/loginPost') return login(req, res, await readBody(req));
      if (req.method === 'POST' && url.pathname === '/customer/account/logout') return logout(req, res);
      // Internal endpoints for the edge (never forwarded from outside by it).
      if (url.pathname === '/__origin/session') {
        return json(res, 200, { customer: sessionCustomer(url.searchParams.get('id') || '') });
      }
      if (url.pathname === '/__origin/placeholders') {
        return json(res, 200, placeholdersFor(Number(url.searchParams.get('customer'))));
      }
      if (url.pathname === '/__origin/stats') return json(res, 200, stats);
      magentoError(res, 404, 'Request does not match any route.');
    } catch (e) {
      magentoError(res, 500, `Internal error: ${e.message}`);
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const url = `http://${host}:${server.address().port}`;
  return { server, url, stats, store, engine, close: () => new Promise((r) => server.close(() => { engine.free(); r(); })) };
}
