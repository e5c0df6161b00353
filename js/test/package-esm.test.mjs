// The packed package, imported as ESM from an installed copy (see scripts/test-js.sh).
import { suite } from '../test-support/api-suite.mjs';

const api = await import('mage-policy');
suite('esm', api);
