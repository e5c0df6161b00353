// Cloudflare Workers (workerd) entry: the .wasm is imported as a module and
// instantiated at start-up — Workers refuse to compile wasm from bytes in a request.
import * as wasm from './web/mage_policy.js';
import module from './web/mage_policy_bg.wasm';
import { createApi } from './core.mjs';

wasm.initSync({ module });

export const { Engine, Gateway, Decision, Authorized, oauth, jwt, createClient, MagePolicyError, ConfigError, OAuthError, JwtError, InputError } = createApi(wasm);
