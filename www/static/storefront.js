// The storefront widget: mage-policy's web build in the page, deciding locally what the
// caller may do and calling the store (through the edge) the way Magento's own
// storefront does: session cookie + X-Requested-With, or a customer bearer token.
import init, { Engine, createClient, jwt } from '/pkg/browser.mjs';

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = 'mage-policy-demo-token';

await init();
const [webapi, acl] = await Promise.all(['/sample/webapi.xml', '/sample/acl.xml'].map((u) => fetch(u).then((r) => r.text())));
const engine = Engine.fromXml({ webapi: [{ name: 'webapi.xml', xml: webapi }], acl: [{ name: 'acl.xml', xml: acl }], allowInsecure: true });

// Who is calling: a saved customer token, else whatever the session cookie says.
let auth = { type: 'guest' };
let who = 'Guest (not logged in)';
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) {
  const d = jwt.decode(saved, Math.floor(Date.now() / 1000));
  if (d.utypid === 3 && d.secondsLeft > 0) {
    auth = { type: 'bearer', token: saved, principal: { type: 'customer', id: d.uid } };
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}
if (auth.type === 'bearer') {
  const r = await fetch('/rest/V1/customers/me', { headers: { Authorization: `Bearer ${auth.token}` } });
  const c = r.ok ? await r.json() : null;
  const left = jwt.decode(auth.token, Math.floor(Date.now() / 1000)).secondsLeft;
  who = `${c ? `${c.firstname} ${c.lastname}` : `customer #${auth.principal.id}`} (bearer token, expires in ${Math.round(left / 60)} min)`;
  $('forget-token').hidden = false;
} else {
  // Ask the store who the session belongs to, as Magento's own widgets do (XHR).
  const r = await fetch('/rest/V1/customers/me', { headers: { 'X-Requested-With': 'XMLHttpRequest' }, credentials: 'same-origin' });
  if (r.ok) {
    const c = await r.json();
    auth = { type: 'session', customer: { id: c.id, website: c.website_id } };
    who = `${c.firstname} ${c.lastname} (session cookie)`;
    $('logout-form').hidden = false;
  }
}
$('whoami').textContent = new URLSearchParams(location.search).get('login') === 'failed'
  ? `${who} — the login failed: wrong email or password.` : who;
document.body.dataset.auth = auth.type;

const client = createClient({ baseUrl: location.origin, engine, auth });

const ACTIONS = [
  { id: 'catalog', label: 'Browse the catalog', method: 'GET', path: '/V1/products?searchCriteria[pageSize]=10' },
  { id: 'product', label: 'Product MH01', method: 'GET', path: '/V1/products/MH01' },
  { id: 'countries', label: 'Countries', method: 'GET', path: '/V1/directory/countries' },
  { id: 'account', label: 'My account', method: 'GET', path: '/V1/customers/me' },
  { id: 'cart', label: 'My cart', method: 'GET', path: '/V1/carts/mine' },
  // quote_id 999 is someone else's cart: Magento forces the caller's own (%cart_id%).
  { id: 'add', label: 'Add MH01 to my cart', method: 'POST', path: '/V1/carts/mine/items', body: { cartItem: { sku: 'MH01', qty: 1, quote_id: 999 } } },
  { id: 'customer2', label: 'Customer #2 (admin)', method: 'GET', path: '/V1/customers/2' },
  { id: 'cancel', label: 'Cancel order #1 (admin)', method: 'POST', path: '/V1/orders/1/cancel' },
];

function reason(d) {
  const msg = (d.message || `HTTP ${d.status}`).replace('%resources', d.parameters?.resources ?? '');
  return `${d.status}: ${msg}`;
}

async function show(response, label) {
  const text = await response.text();
  let pretty = text;
  try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON */ }
  const where = response.headers.get('X-Mage-Policy') === 'refused-locally' ? 'refused in the page'
    : response.headers.get('X-Mage-Policy-Edge') === 'refused' ? 'refused at the edge' : 'answered by the store';
  $('out-status').textContent = `${label}: HTTP ${response.status} — ${where}`;
  $('out-status').dataset.status = String(response.status);
  $('out-body').textContent = pretty;
  $('out-body').dataset.raw = text;
  refreshStats();
}

// "Try anyway": the same call without asking the engine first.
function rawFetch(a) {
  const headers = new Headers({ Accept: 'application/json' });
  if (a.body) headers.set('Content-Type', 'application/json');
  if (auth.type === 'session') headers.set('X-Requested-With', 'XMLHttpRequest');
  if (auth.type === 'bearer') headers.set('Authorization', `Bearer ${auth.token}`);
  return fetch(`/rest${a.path}`, { method: a.method, headers, body: a.body ? JSON.stringify(a.body) : undefined, credentials: 'same-origin' });
}

for (const a of ACTIONS) {
  const d = client.can(a.method, a.path.split('?')[0]);
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.id = `act-${a.id}`;
  button.textContent = a.label;
  button.disabled = !d.allowed;
  const call = document.createElement('code');
  call.textContent = `${a.method} /rest${a.path}`;
  li.append(button, ' ', call);
  if (d.allowed) {
    button.addEventListener('click', async () => show(await client.fetch(a.method, a.path, a.body ? { body: a.body } : {}), a.label));
  } else {
    const why = document.createElement('span');
    why.className = 'why';
    why.id = `why-${a.id}`;
    why.textContent = reason(d);
    button.setAttribute('aria-describedby', why.id);
    const tryIt = document.createElement('button');
    tryIt.type = 'button';
    tryIt.id = `try-${a.id}`;
    tryIt.className = 'secondary';
    tryIt.textContent = 'Try anyway';
    tryIt.setAttribute('aria-label', `Try “${a.label}” anyway`);
    tryIt.addEventListener('click', async () => show(await rawFetch(a), a.label));
    li.append(' ', why, ' ', tryIt);
  }
  $('actions').append(li);
}

$('token-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const r = await fetch('/rest/V1/integration/customer/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: $('token-email').value, password: $('token-password').value }),
  });
  if (!r.ok) return show(r, 'Get token');
  sessionStorage.setItem(TOKEN_KEY, await r.json());
  location.reload();
});
$('forget-token').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); location.reload(); });

async function refreshStats() {
  const s = await fetch('/__edge/stats').then((r) => r.json()).catch(() => null);
  if (!s) return;
  $('edge-count').textContent = s.edge;
  $('forward-count').textContent = s.forwarded;
  const rows = s.recent.map((r) => {
    const tr = document.createElement('tr');
    tr.className = r.at === 'edge' ? 'deny' : 'allow';
    for (const v of [r.at === 'edge' ? 'edge' : 'origin', `${r.method} ${r.path}`, r.status, r.via]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    return tr;
  });
  $('edge-recent').replaceChildren(...rows);
}
refreshStats();
setInterval(refreshStats, 1000);
document.body.dataset.ready = 'true';
