// End-to-end tests of `make demo` in headless Chromium (Playwright, Debian's chromium):
// the storefront widget for a guest, a session customer and a token customer, the
// admin explorer's role editor and OAuth signer, and refusals that stay at the edge.
// Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { chromium } = createRequire(join(root, 'js/package.json'))('playwright-core');
const shots = join(root, 'target/screenshots');
mkdirSync(shots, { recursive: true });

let demo;
let base;
let browser;
let originUrl;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

before(async () => {
  const port = await freePort();
  demo = spawn(process.execPath, [join(root, 'www/serve.mjs'), '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start: ${out}`)), 30000);
    demo.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/origin: Node on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { originUrl = m[1]; clearTimeout(timer); resolve(); }
    });
    demo.on('exit', (code) => reject(new Error(`demo exited (${code}): ${out}`)));
  });
  base = `http://127.0.0.1:${port}`;
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'mp-demo-chromium-')), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (demo) demo.kill('SIGINT');
});

const originRest = async () => (await fetch(`${originUrl}/__origin/stats`).then((r) => r.json())).rest;
const edgeStats = () => fetch(`${base}/__edge/stats`).then((r) => r.json());

async function open(path) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${base}${path}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  return { page, errors };
}

async function responseOf(page, status) {
  await page.waitForSelector(`#out-status[data-status="${status}"]`, { timeout: 10000 });
  return page.textContent('#out-body');
}

// Every control has an accessible name (label, aria-label or text).
async function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => !el.hidden && !el.closest('[hidden]'))
    .filter((el) => !((el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
      || (el.tagName === 'BUTTON' && el.textContent.trim())))
    .map((el) => el.id || el.outerHTML.slice(0, 60)));
}

test('guest: catalog works, account actions are disabled with the reason, a forced try is refused at the edge', async () => {
  const { page, errors } = await open('/');
  assert.match(await page.textContent('#whoami'), /Guest/);
  assert.equal(await page.isDisabled('#act-account'), true);
  assert.match(await page.textContent('#why-account'), /401: The consumer isn't authorized to access self/);
  assert.equal(await page.isDisabled('#act-customer2'), true);
  assert.match(await page.textContent('#why-customer2'), /Magento_Customer::customer/);

  await page.click('#act-catalog');
  const catalog = JSON.parse(await responseOf(page, 200));
  assert.equal(catalog.items[0].name, 'Chaz Kangeroo Hoodie');

  const originBefore = await originRest();
  const edgeBefore = (await edgeStats()).edge;
  await page.click('#try-account');
  const refused = await responseOf(page, 401);
  assert.equal(await page.getAttribute('#out-body', 'data-raw'),
    '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"self"}}');
  assert.match(await page.textContent('#out-status'), /refused at the edge/);
  assert.ok(refused.includes('%resources'));
  assert.equal(await originRest(), originBefore, 'the refused call never reached the origin');
  assert.equal((await edgeStats()).edge, edgeBefore + 1);
  await page.waitForFunction((n) => Number(document.getElementById('edge-count').textContent) >= n, edgeBefore + 1);

  assert.deepEqual(await unlabelled(page), []);
  await page.screenshot({ path: join(shots, 'storefront-guest.png'), fullPage: true });
  assert.deepEqual(errors.filter((e) => !/401|Unauthorized/.test(e)), []);
  await page.close();
});

test('customer session: log in with the form, use the account and the cart (forced cart id), log out', async () => {
  const { page } = await open('/');
  // Keyboard: the login form is reachable and submits with Enter.
  await page.focus('#login-email');
  await page.fill('#login-email', 'roni_cost@example.com');
  await page.fill('#login-password', 'roni_cost3@example.com');
  await Promise.all([page.waitForNavigation(), page.press('#login-password', 'Enter')]);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('#whoami'), /Veronica Costello \(session cookie\)/);
  const [sessionCookie] = (await browser.cookies(base)).filter((c) => c.name === 'PHPSESSID');
  assert.ok(sessionCookie, 'session cookie set');
  assert.equal(sessionCookie.httpOnly, true);
  assert.equal(sessionCookie.sameSite, 'Lax');
  assert.ok(sessionCookie.expires > Date.now() / 1000, 'an expiring cookie');

  assert.equal(await page.isDisabled('#act-account'), false);
  await page.click('#act-account');
  assert.equal(JSON.parse(await responseOf(page, 200)).email, 'roni_cost@example.com');

  await page.click('#act-add');
  await page.waitForFunction(() => document.getElementById('out-status').textContent.startsWith('Add MH01'));
  const item = JSON.parse(await page.textContent('#out-body'));
  assert.equal(item.sku, 'MH01');
  assert.equal(item.quote_id, '101', 'quote_id 999 from the page was replaced by the customer\'s own cart');

  await page.click('#act-cart');
  await page.waitForFunction(() => document.getElementById('out-status').textContent.startsWith('My cart'));
  assert.equal(JSON.parse(await page.textContent('#out-body')).items_qty >= 1, true);
  assert.equal(await page.isDisabled('#act-cancel'), true, 'a customer cannot cancel orders');
  await page.screenshot({ path: join(shots, 'storefront-customer.png'), fullPage: true });

  await Promise.all([page.waitForNavigation(), page.click('#logout')]);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('#whoami'), /Guest/);
  await page.close();
});

test('wrong password: no session, a clear message', async () => {
  const { page } = await open('/');
  await page.fill('#login-password', 'wrong');
  await Promise.all([page.waitForNavigation(), page.click('#login')]);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('#whoami'), /login failed/);
  await page.close();
});

test('token login: a Magento JWT from the token endpoint, then bearer calls', async () => {
  const { page } = await open('/');
  await Promise.all([page.waitForNavigation(), page.click('#token-login')]);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('#whoami'), /John Doe \(bearer token, expires in 60 min\)/);
  await page.click('#act-account');
  assert.equal(JSON.parse(await responseOf(page, 200)).id, 2);
  await page.screenshot({ path: join(shots, 'storefront-token.png'), fullPage: true });
  await page.click('#forget-token');
  await page.waitForSelector('body[data-ready="true"]');
  await page.close();
});

test('admin explorer: the role editor changes the route table; explain; JWT decoder', async () => {
  const { page, errors } = await open('/admin.html');
  assert.match(await page.textContent('#files-status'), /18 routes/);
  const row = (route) => page.textContent(`#route-table tr[data-route="${route}"] td:first-child`);
  assert.match(await row('GET /V1/customers/:customerId'), /denied/);
  await page.check('#res-Magento_Customer__customer');
  assert.match(await row('GET /V1/customers/:customerId'), /allowed/);
  assert.match(await row('DELETE /V1/customers/:customerId'), /allowed/, 'children are checked with their parent');
  assert.equal(await page.isChecked('#res-Magento_Backend__admin'), true, 'ancestors are checked with a child');
  await page.uncheck('#res-Magento_Customer__delete');
  assert.match(await row('DELETE /V1/customers/:customerId'), /denied/);
  assert.match(await page.textContent('#try-verdict'), /Allowed: HTTP 200/);
  assert.match(await page.textContent('#try-explain'), /Magento_Customer::customer/);
  await page.screenshot({ path: join(shots, 'admin-role-editor.png'), fullPage: true });
  await page.selectOption('#principal-type', 'guest');
  assert.match(await page.textContent('#try-verdict'), /Refused: HTTP 401/);
  assert.match(await page.textContent('#route-summary'), /6 of 18 routes allowed for a guest/);

  const token = await fetch(`${base}/rest/V1/integration/customer/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'john.doe@example.com', password: 'Password1' }),
  }).then((r) => r.json());
  await page.fill('#jwt-input', token);
  assert.match(await page.textContent('#jwt-expiry'), /Expires in (59|60) min/);
  assert.match(await page.textContent('#jwt-table'), /utypid3 \(customer\)/);

  assert.deepEqual(await unlabelled(page), []);
  await page.screenshot({ path: join(shots, 'admin-explorer.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('admin explorer: the OAuth signer\'s header is accepted by the edge and the origin', async () => {
  const { page } = await open('/admin.html');
  await page.click('#sign');
  assert.match(await page.textContent('#sign-header'), /^OAuth oauth_consumer_key="demo0consumer0key0000000000000001", oauth_nonce="[0-9a-z]{32}"/);
  assert.match(await page.textContent('#sign-base'), /^GET&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Frest%2FV1%2Fproducts&/);
  const before = await originRest();
  await page.click('#sign-send');
  await page.waitForSelector('#sign-result[data-status]');
  assert.equal(await page.getAttribute('#sign-result', 'data-status'), '200');
  assert.match(await page.textContent('#sign-result'), /Chaz Kangeroo Hoodie/);
  assert.equal(await originRest(), before + 1, 'verified at the edge and again at the origin');
  // The integration may update stock (its resources), not read customers.
  await page.selectOption('#sign-method', 'PUT');
  await page.fill('#sign-url', `${base}/rest/V1/customers/me`);
  await page.click('#sign-send');
  await page.waitForFunction(() => document.getElementById('sign-result').dataset.status !== '200');
  assert.equal(await page.getAttribute('#sign-result', 'data-status'), '401');
  await page.screenshot({ path: join(shots, 'admin-signer.png'), fullPage: true });
  await page.close();
});

test('the edge refuses before the origin: replayed OAuth nonce, forged JWT, internal paths', async () => {
  const before = await originRest();
  const forged = 'eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ.eyJ1aWQiOjEsInV0eXBpZCI6MywiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjQxMDAwMDAwMDB9.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  const r = await fetch(`${base}/rest/V1/customers/me`, { headers: { Authorization: `Bearer ${forged}` } });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('X-Mage-Policy-Edge'), 'refused');
  assert.equal((await fetch(`${base}/__origin/stats`)).status, 404);
  const admin = await fetch(`${base}/rest/V1/orders/1/cancel`, { method: 'POST' });
  assert.equal(admin.status, 401);
  assert.equal(await admin.text(), '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Magento_Sales::sales, Magento_Sales::cancel"}}');
  assert.equal(await originRest(), before);
});
