// The web build in headless Chromium (Debian's chromium, driven by playwright-core):
// init(), a decision and a signature, under a CSP with 'wasm-unsafe-eval'.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch } from '../test-support/browser.mjs';

const root = process.env.MAGE_POLICY_ROOT;
const pkg = process.env.MAGE_POLICY_PKG_DIR;
const shots = join(root, 'target/screenshots');
let http, browser;

before(async () => {
  http = await serve({ '/pkg/': pkg, '/fixtures/': join(root, 'fixtures/sample'), '/': join(root, 'js/test-browser/page') });
  browser = await launch();
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (http) http.server.close();
});

test('chromium: the web build decides and signs after init()', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${http.url}/`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 20000 });
  const r = await page.evaluate(() => window.result);
  await page.screenshot({ path: join(shots, 'browser-check.png') });
  assert.deepEqual(errors, []);
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.guest.status, 401);
  assert.equal(r.guest.body, '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Magento_Customer::customer"}}');
  assert.deepEqual(r.me, { status: 200, route: '/V1/customers/me' });
  assert.equal(r.signature, 'j658MLJVyE0eQrmibIujUgCD2VAJPEGDvsgkP0D/Zmw=');
  assert.match(r.randomNonce, /^[0-9a-z]{32}$/, 'crypto.getRandomValues-backed nonce');
  assert.equal(r.decoded.secondsLeft, 3500);
  await page.close();
});
