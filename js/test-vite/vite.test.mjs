// A Vite 7 production build of test-vite/app (importing 'mage-policy' from the
// installed package), served on 127.0.0.1 and loaded in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { serve, launch } from '../test-support/browser.mjs';

const root = process.env.MAGE_POLICY_ROOT;
const scratch = process.env.MAGE_POLICY_SCRATCH; // has node_modules/mage-policy
let http, browser;

before(async () => {
  const app = join(scratch, 'vite-app');
  cpSync(join(root, 'js/test-vite/app'), app, { recursive: true });
  await build({ root: app, logLevel: 'warn', build: { outDir: join(app, 'dist'), target: 'es2022', emptyOutDir: true } });
  const assets = readdirSync(join(app, 'dist/assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `the .wasm is emitted as an asset, not inlined: ${assets}`);
  http = await serve({ '/': join(app, 'dist') });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (http) http.server.close();
});

test('vite: the built app decides and signs in Chromium', async () => {
  const page = await browser.newPage();
  await page.goto(`${http.url}/`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 20000 });
  const r = await page.evaluate(() => window.result);
  await page.screenshot({ path: join(root, 'target/screenshots/vite-app.png') });
  assert.equal(r.error, undefined, r.error);
  assert.deepEqual(r, { guestMe: 401, customerMe: 200, countries: 200, signature: 'j658MLJVyE0eQrmibIujUgCD2VAJPEGDvsgkP0D/Zmw=' });
});
