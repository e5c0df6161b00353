// Node CommonJS entry: the nodejs-target bindings instantiate synchronously on require.
'use strict';
const wasm = require('./node/mage_policy.js');
const { createApi } = require('./core.cjs');

module.exports = createApi(wasm);
