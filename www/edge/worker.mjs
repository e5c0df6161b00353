// The demo's edge gateway, run by real workerd in front of the store origin. It serves
// the static pages, identifies REST callers (Magento JWT, storefront XHR session, OAuth
// 1.0a), answers what the policy refuses without bothering the origin, applies forced
// parameters and forwards the rest. `/__edge/stats` feeds the pages' live panel.
import { Engine, jwt } from 'mage-policy';
import webapiXml from 'sample/webapi.xml';
import aclXml from 'sample/acl.xml';
import { CRYPT_KEY, INTEGRATION, OAUTH_CREDENTIALS, OAUTH_PROFILE, SESSION_COOKIE } from 'demo-config.mjs';
import { files } from 'static-files.mjs';

const engine = Engine.fromXml({
  webapi: [{ name: 'webapi.xml', xml: webapiXml }],
  acl: [{ name: 'acl.xml', xml: aclXml }],
  allowInsecure: true,
});

const stats = { edge: 0, forwarded: 0, recent: [] };
const CACHE_MS = 5000;
const sessions = new Map(); // sid → { customer, until }
const placeholderCache = new Map(); // customer id → { value, until }

function note(kind, method, path, status, via) {
  stats[kind] += 1;
  stats.recent.unshift({ at: kind, method, path, status, via });
  stats.recent.length = Math.min(stats.recent.length, 12);
}

function cookie(request, name) {
  for (const part of (request.headers.get('Cookie') || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

async function cached(map, key, load) {
  const hit = map.get(key);
  if (hit && hit.until > Date.now()) return hit.value;
  const value = await load();
  map.set(key, { value, until: Date.now() + CACHE_MS });
  return value;
}

// The store knows sessions and carts; the edge asks it (cached briefly) before the
// synchronous policy call, which then reads the answers from these caches.
async function prefetch(request, env) {
  const sid = cookie(request, SESSION_COOKIE);
  let customerId = null;
  if (sid && request.headers.get('X-Requested-With') === 'XMLHttpRequest') {
    const customer = await cached(sessions, sid, async () =>
      (await (await env.ORIGIN.fetch(`http://origin/__origin/session?id=${encodeURIComponent(sid)}`)).json()).customer);
    customerId = customer?.id ?? null;
  }
  const auth = request.headers.get('Authorization') || '';
  if (customerId === null && /^Bearer /i.test(auth)) {
    const v = jwt.verify(auth.slice(7).trim(), { cryptKey: CRYPT_KEY });
    if (v.valid && v.utypid === 3) customerId = v.uid;
  }
  if (customerId !== null) {
    await cached(placeholderCache, customerId, async () =>
      (await env.ORIGIN.fetch(`http://origin/__origin/placeholders?customer=${customerId}`)).json());
  }
  return sid;
}

// The edge's long-lived gateway: the JWT key, OAuth credentials (and their nonces)
// and the roles stay in the module; the callbacks answer from the caches above.
const gateway = engine.gateway({
  jwt: { cryptKey: CRYPT_KEY },
  sessionCookie: SESSION_COOKIE,
  session: (sid) => sessions.get(sid)?.value ?? null,
  oauth: { profile: OAUTH_PROFILE, credentials: OAUTH_CREDENTIALS },
  customerWebsite: () => 1,
  integrationRole: (id) => (id === INTEGRATION.id ? INTEGRATION.resources : null),
  placeholders: (caller) => (caller.type === 'customer' ? placeholderCache.get(caller.id)?.value ?? null : null),
});

async function forward(request, env, body, kind = 'forwarded') {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  headers.set('X-Forwarded-Host', url.host);
  headers.set('X-Forwarded-Proto', url.protocol.replace(':', ''));
  if (body !== undefined) headers.delete('Content-Length');
  const response = await env.ORIGIN.fetch(`http://origin${url.pathname}${url.search}`, {
    method: request.method, headers, body, redirect: 'manual',
  });
  const out = new Response(response.body, response);
  out.headers.set('X-Mage-Policy-Edge', kind);
  return out;
}

async function rest(request, env) {
  const url = new URL(request.url);
  const body = ['GET', 'HEAD'].includes(request.method) ? undefined : await request.text();
  await prefetch(request, env);
  let a;
  try {
    a = gateway.authorize(request, body);
  } catch (e) {
    note('edge', request.method, url.pathname, 400, 'error');
    return new Response(JSON.stringify({ message: e.message }), { status: 400, headers: { 'Content-Type': 'application/json' } });
  }
  const via = a.identity?.via || 'guest';
  if (!a.allowed && !a.identity?.needsOrigin) {
    note('edge', request.method, url.pathname, a.status, via);
    return new Response(a.body, {
      status: a.status,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Mage-Policy-Edge': 'refused' },
    });
  }
  note('forwarded', request.method, url.pathname, a.status, via);
  // GET routes force parameters too (customers/me, carts/mine), but a GET carries no
  // body: the origin applies them again from the same policy.
  const bodyless = request.method === 'GET' || request.method === 'HEAD';
  return forward(request, env, bodyless ? undefined : (a.requestBody ?? body));
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === '/__edge/stats') {
      return new Response(JSON.stringify(stats), { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
    }
    if (path.startsWith('/__origin/')) return new Response('not found', { status: 404 });
    if (path.startsWith('/rest/')) return rest(request, env);
    if (request.method === 'POST' && path === '/customer/account/logout') {
      const sid = cookie(request, SESSION_COOKIE);
      if (sid) sessions.delete(sid);
      return forward(request, env, undefined, 'session');
    }
    if (request.method === 'POST' && path === '/customer/account/loginPost') {
      return forward(request, env, await request.text(), 'session');
    }
    const file = files[path === '/' ? '/index.html' : path];
    if (file && (request.method === 'GET' || request.method === 'HEAD')) {
      return new Response(file.body, {
        headers: {
          'Content-Type': file.type,
          'Cache-Control': 'no-cache',
          // What a storefront needs to run the module: 'wasm-unsafe-eval'.
          'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:",
        },
      });
    }
    return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  },
};
