// The packed package, loaded with require() (CommonJS).
import { createRequire } from 'node:module';
import { suite } from '../test-support/api-suite.mjs';

const require = createRequire(process.env.MAGE_POLICY_SCRATCH ? `${process.env.MAGE_POLICY_SCRATCH}/index.js` : import.meta.url);
suite('cjs', require('mage-policy'));
