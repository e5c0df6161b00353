// Node ESM entry: instantiate the web-target module synchronously from the file.
import { readFileSync } from 'node:fs';
import * as wasm from './web/mage_policy.js';
import { createApi } from './core.mjs';

wasm.initSync({ module: readFileSync(new URL('./web/mage_policy_bg.wasm', import.meta.url)) });

export const { Engine, Gateway, Decision, Authorized, oauth, jwt, createClient, MagePolicyError, ConfigError, OAuthError, JwtError, InputError } = createApi(wasm);
