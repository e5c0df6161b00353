// The packed package, loaded with require() (CommonJS).
import { createRequire } from 'node:module';
import { suite } from '../test-support/api-suite.mjs';

const require = createRequire(import.meta.url);
suite('cjs', require('mage-policy'));
