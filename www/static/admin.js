// The admin policy explorer: the web build of mage-policy over a store's XML, in the
// browser. Role editor (the ACL tree), live route table, request explanations, an OAuth
// signer and a JWT decoder.
import init, { Engine, oauth, jwt } from '/pkg/browser.mjs';
import { INTEGRATION, OAUTH_PROFILE } from '/demo-config.mjs';

const $ = (id) => document.getElementById(id);
await init();

let engine = null;
let files = { webapi: [], acl: [] };
const parents = new Map(); // resource id → parent id
const children = new Map(); // resource id → child ids

function classify(name, xml) {
  if (/<routes[\s>]/.test(xml)) return 'webapi';
  if (/<acl[\s>]/.test(xml)) return 'acl';
  return null;
}

async function loadDemo() {
  const [w, a] = await Promise.all(['/sample/webapi.xml', '/sample/acl.xml'].map((u) => fetch(u).then((r) => r.text())));
  files = { webapi: [{ name: 'demo/webapi.xml', xml: w }], acl: [{ name: 'demo/acl.xml', xml: a }] };
  build();
}

async function loadFiles(list) {
  const next = { webapi: [], acl: [] };
  const skipped = [];
  for (const f of list) {
    const xml = await f.text();
    const kind = classify(f.name, xml);
    if (kind) next[kind].push({ name: f.name, xml }); else skipped.push(f.name);
  }
  if (!next.webapi.length) {
    $('config-errors').textContent = `No webapi.xml among the files${skipped.length ? ` (not recognised: ${skipped.join(', ')})` : ''}.`;
    return;
  }
  files = next;
  build(skipped);
}

function build(skipped = []) {
  $('config-errors').textContent = '';
  let next;
  try {
    next = Engine.fromXml({ webapi: files.webapi, acl: files.acl, allowInsecure: $('allow-insecure').checked });
  } catch (e) {
    const where = e.file ? `${e.file}:${e.line}:${e.column}: ` : '';
    $('config-errors').textContent = `${where}${e.message}`;
    $('files-status').textContent = 'The configuration did not load; the previous one is still shown.';
    return;
  }
  if (engine) engine.free();
  engine = next;
  const warnings = engine.diagnostics().filter((d) => d.severity === 'warning').length;
  $('files-status').textContent = `${files.webapi.length} webapi.xml and ${files.acl.length} acl.xml loaded: `
    + `${engine.routeTable().length} routes${warnings ? `, ${warnings} warnings` : ''}`
    + `${skipped.length ? ` (not recognised: ${skipped.join(', ')})` : ''}.`;
  renderTree();
  update();
}

// ---- the role editor ------------------------------------------------------------------

function renderTree() {
  parents.clear();
  children.clear();
  const list = (nodes, parent) => {
    const ul = document.createElement('ul');
    ul.className = 'tree';
    for (const n of nodes) {
      parents.set(n.id, parent);
      children.set(n.id, n.children.map((c) => c.id));
      const li = document.createElement('li');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.id = `res-${n.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      box.value = n.id;
      box.className = 'resource';
      const label = document.createElement('label');
      label.htmlFor = box.id;
      const id = document.createElement('span');
      id.className = 'id';
      id.textContent = n.id;
      label.append(`${n.title || n.id} `, id);
      li.append(box, ' ', label);
      if (n.children.length) li.append(list(n.children, n.id));
      ul.append(li);
    }
    return ul;
  };
  $('acl-tree').replaceChildren(list(engine.aclTree(), null));
}

const box = (id) => document.querySelector(`#acl-tree input[value="${CSS.escape(id)}"]`);

// Magento's role tree: checking a resource checks its descendants and its ancestors;
// unchecking unchecks the descendants.
$('acl-tree').addEventListener('change', (ev) => {
  const id = ev.target.value;
  const on = ev.target.checked;
  const down = (r) => { for (const c of children.get(r) || []) { box(c).checked = on; down(c); } };
  down(id);
  if (on) for (let p = parents.get(id); p; p = parents.get(p)) box(p).checked = true;
  update();
});

function principal() {
  const type = $('principal-type').value;
  if (type === 'guest') return { type };
  if (type === 'customer') return { type, id: 5 };
  const resources = $('access').value === 'all' ? 'all'
    : [...document.querySelectorAll('#acl-tree input.resource:checked')].map((b) => b.value);
  return { type, id: 1, resources };
}

// ---- routes and explanations -------------------------------------------------------------

function update() {
  if (!engine) return;
  const p = principal();
  const editable = p.type === 'admin' || p.type === 'integration';
  $('access').disabled = !editable;
  for (const b of document.querySelectorAll('#acl-tree input')) b.disabled = !editable || $('access').value === 'all';
  const routes = engine.routes(p);
  const filter = $('route-filter').value.trim().toLowerCase();
  const rows = [];
  for (const r of routes) {
    if (filter && !`${r.method} ${r.url} ${r.resources.join(' ')}`.toLowerCase().includes(filter)) continue;
    const tr = document.createElement('tr');
    tr.dataset.route = `${r.method} ${r.url}`;
    const cells = [
      [r.allowed ? '✓ allowed' : '✗ denied', r.allowed ? 'yes' : 'no'],
      [r.method], [r.url],
      [r.allowed ? r.resources.join(', ') : `missing ${r.missing.join(', ') || r.resources.join(', ')}`],
    ];
    for (const [text, cls] of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    rows.push(tr);
  }
  $('route-table').replaceChildren(...rows);
  const allowed = routes.filter((r) => r.allowed).length;
  $('route-summary').textContent = `${allowed} of ${routes.length} routes allowed for ${describe(p)}.`;
  explain();
}

function describe(p) {
  if (p.type === 'guest') return 'a guest';
  if (p.type === 'customer') return 'customer #5';
  const what = p.resources === 'all' ? 'all resources' : `${p.resources.length} resources`;
  return `${p.type === 'admin' ? 'an admin role' : 'an integration'} with ${what}`;
}

function explain() {
  if (!engine) return;
  const method = $('try-method').value;
  const path = $('try-path').value.trim();
  if (!path) return;
  const d = engine.decide(method, path, principal());
  $('try-verdict').textContent = `${d.allowed ? 'Allowed' : 'Refused'}: HTTP ${d.status} (${d.outcome})${d.body ? ` — ${d.body}` : ''}`;
  $('try-explain').textContent = engine.explain(method, path, principal());
}

for (const id of ['principal-type', 'access']) $(id).addEventListener('change', update);
$('route-filter').addEventListener('input', update);
$('try-form').addEventListener('submit', (ev) => { ev.preventDefault(); explain(); });
$('allow-insecure').addEventListener('change', () => build());
$('load-demo').addEventListener('click', loadDemo);
$('files').addEventListener('change', (ev) => loadFiles([...ev.target.files]));
const drop = $('drop');
drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (ev) => { ev.preventDefault(); drop.classList.remove('over'); loadFiles([...ev.dataTransfer.files]); });

// ---- OAuth signer ------------------------------------------------------------------------

$('sign-ck').value = INTEGRATION.consumerKey;
$('sign-cs').value = INTEGRATION.consumerSecret;
$('sign-tk').value = INTEGRATION.token;
$('sign-ts').value = INTEGRATION.tokenSecret;
$('sign-profile').value = OAUTH_PROFILE;
$('sign-url').value = `${location.origin}/rest/V1/products?searchCriteria[pageSize]=5`;

function sign() {
  const creds = { consumerKey: $('sign-ck').value, consumerSecret: $('sign-cs').value, token: $('sign-tk').value, tokenSecret: $('sign-ts').value };
  try {
    const s = oauth.sign({ method: $('sign-method').value, url: $('sign-url').value }, creds,
      { profile: $('sign-profile').value, timestamp: Math.floor(Date.now() / 1000) });
    $('sign-base').textContent = s.baseString;
    $('sign-header').textContent = s.authorization;
    $('sign-result').textContent = `Signed with nonce ${s.nonce}. Each nonce is accepted once.`;
    return s;
  } catch (e) {
    $('sign-result').textContent = `Cannot sign: ${e.message}`;
    return null;
  }
}
$('sign-form').addEventListener('submit', (ev) => { ev.preventDefault(); sign(); });
$('sign-send').addEventListener('click', async () => {
  const s = sign(); // a fresh nonce for every request
  if (!s) return;
  const r = await fetch($('sign-url').value, { method: $('sign-method').value, headers: { Authorization: s.authorization } });
  const text = await r.text();
  $('sign-result').textContent = `Sent: HTTP ${r.status} — ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
  $('sign-result').dataset.status = String(r.status);
});

// ---- JWT decoder -------------------------------------------------------------------------

function decodeJwt() {
  const token = $('jwt-input').value.trim();
  const rows = [];
  if (!token) {
    $('jwt-expiry').textContent = 'Paste a token (the storefront keeps its token in this tab\'s session storage).';
  } else {
    try {
      const d = jwt.decode(token, Math.floor(Date.now() / 1000));
      const left = d.secondsLeft;
      $('jwt-expiry').textContent = left === null ? 'No expiry claim.'
        : left > 0 ? `Expires in ${Math.floor(left / 60)} min ${left % 60} s (${new Date(d.exp * 1000).toLocaleString()}).`
          : `Expired ${Math.floor(-left / 60)} min ago.`;
      const kinds = { 1: 'integration', 2: 'admin', 3: 'customer', 4: 'guest' };
      for (const [part, obj] of [['header', d.header], ['claims', d.claims]]) {
        for (const [k, v] of Object.entries(obj)) {
          let shown = JSON.stringify(v);
          if ((k === 'iat' || k === 'exp') && typeof v === 'number') shown += ` (${new Date(v * 1000).toISOString()})`;
          if (k === 'utypid') shown += ` (${kinds[v] || 'unknown'})`;
          rows.push([part, k, shown]);
        }
      }
    } catch (e) {
      $('jwt-expiry').textContent = `Not a token: ${e.message}`;
    }
  }
  $('jwt-table').replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.append(td); }
    return tr;
  }));
}
$('jwt-input').value = sessionStorage.getItem('mage-policy-demo-token') || '';
$('jwt-input').addEventListener('input', decodeJwt);
decodeJwt();

await loadDemo();
document.body.dataset.ready = 'true';
