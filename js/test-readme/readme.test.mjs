// The README's JavaScript examples, run as written: every ```js block of README.md
// and of the npm package's README is a module run with Node against the installed
// package, from a folder where the repository's fixtures/ are at hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = process.env.MAGE_POLICY_ROOT;
const scratch = process.env.MAGE_POLICY_SCRATCH;
if (!existsSync(join(scratch, 'fixtures'))) symlinkSync(join(root, 'fixtures'), join(scratch, 'fixtures'));

for (const [doc, file] of [['README.md', join(root, 'README.md')], ['the npm README', join(root, 'pkg-template/README.md')]]) {
  const blocks = [...readFileSync(file, 'utf8').matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  test(`${doc} has JavaScript examples`, () => assert.ok(blocks.length > 0));
  blocks.forEach((code, i) => {
    test(`${doc}: JavaScript example ${i + 1} runs as written`, () => {
      const path = join(scratch, `readme-example-${doc === 'README.md' ? 'main' : 'npm'}-${i + 1}.mjs`);
      writeFileSync(path, code);
      execFileSync(process.execPath, [path], { cwd: scratch, stdio: ['ignore', 'pipe', 'inherit'], timeout: 30000 });
    });
  });
}
