// Shared fixtures for the package tests (kept out of js/test so `node --test` does not
// run them as tests).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository root (tests run from a scratch copy, so it is passed in).
const root = process.env.MAGE_POLICY_ROOT || join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const sample = {
  webapi: [{ name: 'fixtures/sample/webapi.xml', xml: readFileSync(join(root, 'fixtures/sample/webapi.xml'), 'utf8') }],
  acl: [{ name: 'fixtures/sample/acl.xml', xml: readFileSync(join(root, 'fixtures/sample/acl.xml'), 'utf8') }],
};

/** The Magento corpus (sorted file names), or null when it is absent (and not required). */
export function corpus() {
  const dir = process.env.MAGE_POLICY_CORPUS || join(root, '..', 'shared', 'corpus', 'magento');
  if (!existsSync(join(dir, 'webapi'))) {
    if (process.env.MAGE_POLICY_REQUIRE_CORPUS === '1') throw new Error(`Magento corpus missing at ${dir}`);
    return null;
  }
  const read = (sub) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.xml')).sort()
    .map((f) => ({ name: `${sub}/${f}`, xml: readFileSync(join(dir, sub, f), 'utf8') }));
  return { webapi: read('webapi'), acl: read('acl') };
}

export const CK = 'a'.repeat(32);
export const CS = 'c'.repeat(32);
export const TK = 'b'.repeat(32);
export const TS = 'd'.repeat(32);
export const CRYPT_KEY = '8f2c1d9e4b7a60315c9e2f4a7d1b3c5e';
