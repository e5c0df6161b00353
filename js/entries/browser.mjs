// Browser and bundler entry. Call `await init()` once before using the API (browsers
// cannot compile wasm synchronously on the main thread); everything after is synchronous.
import * as wasm from './web/mage_policy.js';
import { createApi } from './core.mjs';

export const { Engine, Gateway, Decision, Authorized, oauth, jwt, createClient, MagePolicyError, ConfigError, OAuthError, JwtError, InputError } = createApi(wasm);

/** Load and instantiate the module (default: the .wasm next to this file). */
export default function init(input) {
  return wasm.default(input === undefined ? { module_or_path: new URL('./web/mage_policy_bg.wasm', import.meta.url) } : { module_or_path: input });
}

/** Instantiate synchronously from a compiled `WebAssembly.Module` or bytes. */
export function initSync(module) {
  return wasm.initSync({ module });
}
