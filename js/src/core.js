// mage-policy JS layer: the public API over the generated wasm-bindgen bindings.
// This file has no imports or exports: the build wraps it as ESM (core.mjs) and as
// CommonJS (core.cjs) around `createApi(wasm)`, so both module systems share it.

function createApi(wasm) {
  'use strict';

  // ---- errors --------------------------------------------------------------------

  class MagePolicyError extends Error {
    constructor(code, message, details) {
      super(message);
      this.name = 'MagePolicyError';
      this.code = code;
      if (details) Object.assign(this, details);
    }
  }
  class ConfigError extends MagePolicyError {
    constructor(message, details) {
      super('ECONFIG', message, details);
      this.name = 'ConfigError';
      const first = (this.diagnostics || []).find((d) => d.severity === 'error');
      const loc = first && first.location;
      this.file = loc ? loc.file : undefined;
      this.line = loc ? loc.line : undefined;
      this.column = loc ? loc.column : undefined;
    }
  }
  class OAuthError extends MagePolicyError {
    constructor(message, details) {
      super('EOAUTH', message, details);
      this.name = 'OAuthError';
    }
  }
  class JwtError extends MagePolicyError {
    constructor(message, details) {
      super('EJWT', message, details);
      this.name = 'JwtError';
    }
  }
  class InputError extends MagePolicyError {
    constructor(message, details) {
      super('EINPUT', message, details);
      this.name = 'InputError';
    }
  }

  function rethrow(e) {
    if (e instanceof MagePolicyError) throw e;
    let info = null;
    if (typeof e === 'string') {
      try { info = JSON.parse(e); } catch (_) { /* not ours */ }
    }
    if (!info || typeof info.code !== 'string') {
      throw new MagePolicyError('EINTERNAL', String(e && e.message ? e.message : e));
    }
    const { code, message, ...details } = info;
    switch (code) {
      case 'ECONFIG': throw new ConfigError(message, details);
      case 'EOAUTH': throw new OAuthError(message, details);
      case 'EJWT': throw new JwtError(message, details);
      case 'EINPUT': throw new InputError(message, details);
      default: throw new MagePolicyError(code, message, details);
    }
  }

  function guard(fn) {
    try { return fn(); } catch (e) { return rethrow(e); }
  }

  function requireString(v, what) {
    if (typeof v !== 'string') throw new InputError(`${what} must be a string, not ${v === null ? 'null' : typeof v}`);
    return v;
  }

  function json(v, what) {
    try {
      return JSON.stringify(v);
    } catch (e) {
      throw new InputError(`${what} cannot be serialised: ${e.message}`);
    }
  }

  // ---- engine --------------------------------------------------------------------

  const OUTCOMES = ['allowed', 'not-rest', 'method-not-allowed', 'not-processable', 'no-route',
    'unauthorized', 'https-required', 'not-modelled', 'too-long'];
  const KINDS = { guest: 0, customer: 1, admin: 2, integration: 3 };

  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((inner) => { try { inner.free(); } catch (_) { /* already freed */ } })
    : null;

  class Decision {
    constructor(engine, args, packed) {
      this.status = packed & 0x3ff;
      this.outcome = OUTCOMES[(packed >>> 10) & 0xf];
      this.allowed = this.outcome === 'allowed';
      const route = packed >>> 14;
      this.route = route > 0 ? engine._route(route - 1) : null;
      Object.defineProperty(this, '_lazy', { value: { engine, args, detail: null } });
    }
    _detail() {
      const l = this._lazy;
      if (!l.detail) l.detail = JSON.parse(guard(() => l.engine._inner().decideJson(...l.args)));
      return l.detail;
    }
    /** Magento's JSON body for a refusal (a string, byte for byte), or null. */
    get body() { return this._detail().body; }
    get message() { return this._detail().message; }
    get parameters() { return this._detail().parameters || null; }
    get params() { return this._detail().params; }
    get leftover() { return this._detail().leftover || {}; }
    get resources() { return this._detail().resources; }
    get missing() { return this._detail().missing; }
    get store() { return this._detail().store; }
    get processor() { return this._detail().processor; }
    toJSON() { return { ...this._detail(), route: this.route }; }
  }

  class Engine {
    constructor(inner) {
      if (!inner) throw new InputError('use Engine.fromXml(...) or Engine.fromBundle(...)');
      this._handle = inner;
      this._roles = new Map();
      this._routes = null;
      if (registry) registry.register(this, inner, this);
    }

    /**
     * Load webapi.xml and acl.xml files (merged in the order given).
     * `webapi` / `acl`: arrays of `{ name, xml }` (or plain strings).
     */
    static fromXml(options) {
      if (!options || typeof options !== 'object') throw new InputError('Engine.fromXml expects an options object');
      const files = (list, what) => {
        if (list === undefined) return [];
        if (!Array.isArray(list)) throw new InputError(`${what} must be an array of { name, xml }`);
        return list.map((f, i) => (typeof f === 'string'
          ? { name: `${what}[${i}]`, xml: f }
          : { name: requireString(f && f.name, `${what}[${i}].name`), xml: requireString(f && f.xml, `${what}[${i}].xml`) }));
      };
      const input = {
        webapi: files(options.webapi, 'webapi'),
        acl: files(options.acl, 'acl'),
        allowInsecure: !!options.allowInsecure,
      };
      if (options.insecureRoutes) input.insecureRoutes = options.insecureRoutes;
      if (options.webapiSecurityDi) input.webapiSecurityDi = options.webapiSecurityDi;
      if (options.stores) input.stores = options.stores;
      if (options.defaultStore) input.defaultStore = options.defaultStore;
      if (options.basePath !== undefined) input.basePath = options.basePath;
      if (options.accountShare) input.accountShare = options.accountShare;
      return new Engine(guard(() => wasm.Engine.fromXml(json(input, 'options'))));
    }

    /** Load a compiled bundle (Uint8Array / ArrayBuffer). */
    static fromBundle(bytes) {
      if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
      if (!(bytes instanceof Uint8Array)) throw new InputError('Engine.fromBundle expects a Uint8Array');
      return new Engine(guard(() => wasm.Engine.fromBundle(bytes)));
    }

    _inner() {
      if (!this._handle) throw new MagePolicyError('EFREED', 'this Engine was freed');
      return this._handle;
    }

    _route(i) {
      if (!this._routes) this._routes = JSON.parse(this._inner().routeTable());
      return this._routes[i] || null;
    }

    _principal(p) {
      if (p === undefined || p === null) p = { type: 'guest' };
      if (typeof p !== 'object') throw new InputError('principal must be an object like { type: "customer", id: 5 }');
      const kind = KINDS[p.type];
      if (kind === undefined) throw new InputError(`unknown principal type ${JSON.stringify(p.type)} (guest, customer, admin, integration)`);
      const id = Number(p.id || 0);
      if (kind > 0 && !(Number.isFinite(id) && id >= 0)) throw new InputError('principal.id must be a non-negative number');
      const website = Number(p.website === undefined ? 1 : p.website);
      let role = 0;
      if (kind >= 2 && p.resources !== undefined && p.resources !== null) {
        const key = p.resources === 'all' ? 'all' : json(p.resources, 'principal.resources');
        if (p.resources !== 'all' && !Array.isArray(p.resources)) throw new InputError('principal.resources must be "all" or an array of ACL ids');
        role = this._roles.get(key);
        if (role === undefined) {
          role = guard(() => this._inner().role(key));
          this._roles.set(key, role);
        }
      }
      return [kind, id, website >>> 0, p.emulated ? 1 : 0, role];
    }

    _args(method, path, principal, options) {
      requireString(method, 'method');
      requireString(path, 'path');
      const [kind, id, website, flags, role] = this._principal(principal);
      const https = !options || options.https === undefined ? true : !!options.https;
      return [method, path, kind, id, website, flags | (https ? 0 : 2), role];
    }

    /** Decide one request: `decide('GET', '/rest/V1/customers/me', { type: 'customer', id: 5 })`. */
    decide(method, path, principal, options) {
      const args = this._args(method, path, principal, options);
      const packed = guard(() => this._inner().decide(...args));
      return new Decision(this, args, packed);
    }

    /** The same decision, in words. */
    explain(method, path, principal, options) {
      const args = this._args(method, path, principal, options);
      return guard(() => this._inner().explain(...args));
    }

    /** Every route with `allowed` and `missing` for the principal. */
    routes(principal, options) {
      const [kind, id, website, flags, role] = this._principal(principal);
      const store = options && options.store !== undefined ? requireString(options.store, 'store') : undefined;
      return JSON.parse(guard(() => this._inner().routes(kind, id, website, flags, role, store)));
    }

    /** All routes: url, method, service, resources, parameters, secure. */
    routeTable() { return JSON.parse(this._inner().routeTable()); }

    /** The merged ACL tree (nested `{ id, title, sortOrder, children }`). */
    aclTree() { return JSON.parse(this._inner().aclTree()); }

    /** Warnings found while loading. */
    diagnostics() { return JSON.parse(this._inner().diagnostics()); }

    /** The compiled policy as a bundle for `Engine.fromBundle`. */
    toBundle() { return this._inner().toBundle(); }

    /**
     * Identify the caller, decide, and apply forced parameters for one HTTP request
     * (a Fetch API `Request` or `{ method, url, headers, body }`). Synchronous: pass the
     * body as a string when using a plain object; a `Request` body must be read first
     * (`authorize(request, sources, await request.text())`).
     */
    authorize(request, sources, bodyText) {
      const req = toRequest(request, bodyText);
      const failures = [];
      const src = sourcesJson(sources || {}, this, failures);
      const out = JSON.parse(guard(() => this._inner().authorize(json(req, 'request'), src)));
      if (failures.length) throw failures[0];
      return out;
    }

    /** Who is calling (the identity part of `authorize`). */
    identify(request, sources, bodyText) {
      const out = this.authorize(request, sources, bodyText);
      return out.identity || { type: 'guest', id: 0, via: 'guest', notes: [], needsOrigin: false };
    }

    /** Release the wasm memory now (a FinalizationRegistry does it eventually). */
    free() {
      if (!this._handle) return;
      if (registry) registry.unregister(this);
      this._handle.free();
      this._handle = null;
    }
  }

  function headerList(h) {
    if (!h) return [];
    if (typeof h.forEach === 'function' && !Array.isArray(h)) {
      const out = [];
      h.forEach((v, k) => out.push([String(k), String(v)]));
      return out;
    }
    if (Array.isArray(h)) return h.map(([k, v]) => [String(k), String(v)]);
    return Object.entries(h).map(([k, v]) => [k, String(v)]);
  }

  function toRequest(r, bodyText) {
    if (!r || typeof r !== 'object') throw new InputError('request must be a Request or { method, url, headers, body }');
    const url = requireString(r.url, 'request.url');
    const body = bodyText !== undefined ? bodyText : (typeof r.body === 'string' ? r.body : undefined);
    return { method: requireString(r.method || 'GET', 'request.method'), url, headers: headerList(r.headers), body: body === undefined ? null : body };
  }

  // The user's placeholder function, as the module calls it: with "type id", answering
  // JSON text. What it throws is kept in `failures` and rethrown after the call.
  function placeholderCall(fn, failures) {
    return (caller) => {
      try {
        const sp = caller.indexOf(' ');
        const v = fn({ type: caller.slice(0, sp), id: Number(caller.slice(sp + 1)) });
        if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v))) {
          throw new InputError('sources.placeholders must return an object (or null)');
        }
        return json(v || {}, 'placeholders');
      } catch (e) {
        failures.push(e);
        return null;
      }
    };
  }

  function sourcesJson(s, engine, failures) {
    const roleOf = (fn) => (fn ? (id) => {
      const res = fn(id);
      if (res === undefined || res === null) return null;
      const key = res === 'all' ? 'all' : json(res, 'role resources');
      let role = engine._roles.get(key);
      if (role === undefined) {
        role = guard(() => engine._inner().role(key));
        engine._roles.set(key, role);
      }
      return role;
    } : undefined);
    return {
      now: Math.floor(s.now !== undefined ? s.now : Date.now() / 1000),
      jwt: s.jwt ? { cryptKey: s.jwt.cryptKey, alg: s.jwt.alg || 'HS256', revoked: s.jwt.revoked || [] } : undefined,
      oauth: s.oauth ? { profile: s.oauth.profile || 'magento-2.4.7', credentials: s.oauth.credentials } : undefined,
      hasSession: typeof s.session === 'function',
      sessionCookie: s.sessionCookie,
      // A function of the identified caller: called from the module with (type, id),
      // answering JSON text.
      placeholders: typeof s.placeholders === 'function' ? placeholderCall(s.placeholders, failures) : s.placeholders,
      session: s.session,
      customerWebsite: s.customerWebsite,
      adminRole: roleOf(s.adminRole),
      integrationRole: roleOf(s.integrationRole),
    };
  }

  // ---- OAuth ---------------------------------------------------------------------

  // The last credentials signed with, keyed in the module once: a widget signs every
  // call with the same ones. Secrets over 4 KiB are keyed, used and freed (no store
  // issues such secrets; a hostile one is not retained).
  const lastSigner = { key: null, signer: null };
  function signerFor(ck, cs, token, ts, profile, method) {
    const l = lastSigner.key;
    if (l && l[0] === ck && l[1] === cs && l[2] === token && l[3] === ts && l[4] === profile && l[5] === method) {
      return lastSigner.signer;
    }
    const signer = guard(() => new wasm.OAuthSigner(ck, cs, token, ts, profile, method));
    if (cs.length + (ts ? ts.length : 0) <= 4096) {
      if (lastSigner.signer) lastSigner.signer.free();
      lastSigner.key = [ck, cs, token, ts, profile, method];
      lastSigner.signer = signer;
    }
    return signer;
  }

  const oauth = {
    /**
     * Sign a request. `request`: `{ method, url, body?, contentType? }`;
     * `credentials`: `{ consumerKey, consumerSecret, token?, tokenSecret? }`;
     * `options`: `{ profile?, signatureMethod?, timestamp?, nonce?, realm?, params?, version? }`.
     */
    sign(request, credentials, options) {
      const o = options || {};
      if (!request || typeof request !== 'object') throw new InputError('request must be { method, url, body?, contentType? }');
      if (!credentials || typeof credentials !== 'object') throw new InputError('credentials must be { consumerKey, consumerSecret, token?, tokenSecret? }');
      const timestamp = o.timestamp !== undefined ? Number(o.timestamp) : Math.floor(Date.now() / 1000);
      let params = '';
      if (o.params) {
        const list = Array.isArray(o.params) ? o.params : Object.entries(o.params);
        params = list.map(([k, v]) => `${requireString(k, 'params name')}=${requireString(v, 'params value')}`).join('\n');
      }
      const opt = (v, what) => (v === undefined || v === null ? undefined : requireString(v, what));
      const signer = signerFor(
        requireString(credentials.consumerKey, 'consumerKey'), requireString(credentials.consumerSecret, 'consumerSecret'),
        opt(credentials.token, 'token'), opt(credentials.tokenSecret, 'tokenSecret'),
        opt(o.profile, 'profile') || '', opt(o.signatureMethod, 'signatureMethod') || '');
      let out;
      try {
        out = guard(() => signer.sign(
          requireString(request.method, 'request.method'), requireString(request.url, 'request.url'),
          opt(request.contentType, 'request.contentType') || '', opt(request.body, 'request.body'),
          timestamp, opt(o.nonce, 'nonce'), opt(o.realm, 'realm'), params, o.version === undefined ? true : !!o.version));
      } finally {
        if (signer !== lastSigner.signer) signer.free();
      }
      const a = out.indexOf('\n');
      const b = out.indexOf('\n', a + 1);
      const c = out.indexOf('\n', b + 1);
      return { authorization: out.slice(0, a), baseString: out.slice(a + 1, b), signature: out.slice(b + 1, c), nonce: out.slice(c + 1), timestamp };
    },
    /** The base string a profile computes for a request and its oauth_* parameters. */
    baseString(profile, request, protocolParams) {
      if (protocolParams !== undefined && (protocolParams === null || typeof protocolParams !== 'object')) {
        throw new InputError('protocol parameters must be an object or an array of [name, value] pairs');
      }
      const p = Array.isArray(protocolParams) ? protocolParams : Object.entries(protocolParams || {});
      if (p.length > 1000) throw new InputError('more than 1000 protocol parameters');
      return guard(() => wasm.oauthBaseString(requireString(profile, 'profile'), json(request, 'request'), json(p, 'protocol parameters')));
    },
    /** A verifier with its own nonce memory: `new oauth.Verifier(profile, credentials)`. */
    Verifier: class Verifier {
      constructor(profile, credentials) {
        this._inner = shield(() => guard(() => new wasm.OAuthVerifier(requireString(profile, 'profile'), json(credentials, 'credentials'))))();
      }
      /** `{ method, url, authorization, contentType?, body? }` → `{ valid, consumerKey, token, integration }`; throws OAuthError. */
      verify(request, now) {
        const t = now !== undefined ? now : Math.floor(Date.now() / 1000);
        return JSON.parse(guard(() => this._inner.verify(json(request, 'request'), t)));
      }
      free() { this._inner.free(); }
    },
    /** One-shot verification (nonces are not remembered across calls). */
    verify(request, options) {
      const v = new oauth.Verifier(options.profile || 'magento-2.4.7', options.credentials);
      try { return v.verify(request, options.now); } finally { v.free(); }
    },
  };

  // ---- JWT -----------------------------------------------------------------------

  const jwt = {
    /** Issue a Magento token: `{ cryptKey, uid, type, iat?, ttlMinutes?, alg? }`. */
    issue(o) {
      if (!o || typeof o !== 'object') throw new InputError('jwt.issue expects an options object');
      const iat = o.iat !== undefined ? o.iat : Math.floor(Date.now() / 1000);
      return guard(() => wasm.jwtIssue(requireString(o.cryptKey, 'cryptKey'), o.alg || 'HS256', requireString(o.type || 'customer', 'type'), Number(o.uid), Number(iat), Number(o.ttlMinutes || 60)));
    },
    /** Verify: `{ cryptKey, alg?, now?, revoked? }` → `{ valid, uid, utypid, iat, exp }` or `{ valid: false, reason }`. */
    verify(token, o) {
      if (!o || typeof o !== 'object') throw new InputError('jwt.verify expects options { cryptKey }');
      const now = o.now !== undefined ? o.now : Math.floor(Date.now() / 1000);
      const revoked = o.revoked && o.revoked.length ? json(o.revoked, 'revoked') : '';
      const out = guard(() => wasm.jwtVerify(requireString(token, 'token'), requireString(o.cryptKey, 'cryptKey'), o.alg || 'HS256', Number(now), revoked));
      if (out.charCodeAt(0) === 49 /* '1' */) {
        const [, uid, utypid, iat, exp] = out.split(' ');
        return { valid: true, uid: Number(uid), utypid: Number(utypid), iat: Number(iat), exp: Number(exp) };
      }
      const sp = out.indexOf(' ', 2);
      return { valid: false, reason: out.slice(2, sp), message: out.slice(sp + 1) };
    },
    /** Read a token WITHOUT verifying it (browser-safe: no key). Never use it to decide access. */
    decode(token, now) {
      return JSON.parse(guard(() => wasm.jwtDecode(requireString(token, 'token'), now === undefined ? -1 : Number(now))));
    },
  };

  // ---- client for widgets ----------------------------------------------------------

  /**
   * `createClient({ baseUrl, engine, auth, fetch })`: `auth` is `{ type: 'session',
   * customer? }`, `{ type: 'bearer', token, principal }`, `{ type: 'oauth',
   * credentials, principal, profile? }` or `{ type: 'guest' }`.
   */
  function createClient(options) {
    if (!options || !(options.engine instanceof Engine)) throw new InputError('createClient needs { baseUrl, engine }');
    const base = requireString(options.baseUrl, 'baseUrl').replace(/\/+$/, '');
    const engine = options.engine;
    const doFetch = options.fetch || (typeof fetch === 'function' ? fetch.bind(globalThis) : null);
    const auth = options.auth || { type: 'guest' };
    const principal = () => {
      if (auth.principal) return auth.principal;
      if (auth.type === 'session' && auth.customer) return { type: 'customer', ...auth.customer };
      return { type: 'guest' };
    };
    const pathOf = (path) => (path.startsWith('/rest') ? path : `/rest${path.startsWith('/') ? '' : '/'}${path}`);
    return {
      /** What the engine says the store would answer, without a request. */
      can(method, path) {
        return engine.decide(method, new URL(base + pathOf(path)).pathname + (path.includes('?') ? path.slice(path.indexOf('?')) : ''), principal());
      },
      /** Fetch, adding the caller's credentials; refuses locally what the store would refuse. */
      async fetch(method, path, init = {}) {
        const url = base + pathOf(path);
        const d = this.can(method, path);
        if (!d.allowed) {
          return new Response(d.body || JSON.stringify({ message: d.message }), {
            status: d.status, headers: { 'Content-Type': 'application/json', 'X-Mage-Policy': 'refused-locally' },
          });
        }
        const headers = new Headers(init.headers || {});
        let body = init.body;
        if (body !== undefined && typeof body !== 'string') {
          body = JSON.stringify(body);
          if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
        }
        if (auth.type === 'session') headers.set('X-Requested-With', 'XMLHttpRequest');
        if (auth.type === 'bearer') headers.set('Authorization', `Bearer ${auth.token}`);
        if (auth.type === 'oauth') {
          const s = oauth.sign({ method, url, body: typeof body === 'string' ? body : undefined, contentType: headers.get('Content-Type') || undefined },
            auth.credentials, { profile: auth.profile || 'magento-2.4.7' });
          headers.set('Authorization', s.authorization);
        }
        if (!doFetch) throw new MagePolicyError('ENOFETCH', 'no fetch implementation available');
        return doFetch(url, { ...init, method, headers, body, credentials: auth.type === 'session' ? 'include' : init.credentials });
      },
    };
  }

  // ---- the boundary ---------------------------------------------------------------

  // Whatever an argument does while it is read (a throwing getter, a cyclic or exotic
  // value, `path.includes` on a number, a throwing callback), the caller gets an
  // InputError with the original as `cause`: only coded errors leave the API.
  function shield(fn) {
    return function shielded(...args) {
      try {
        return fn.apply(this, args);
      } catch (e) {
        if (e instanceof MagePolicyError) throw e;
        const what = e instanceof Error ? e.message : typeof e === 'symbol' ? e.toString() : String(e);
        throw new InputError(`invalid argument: ${what}`, { cause: e });
      }
    };
  }
  for (const name of ['fromXml', 'fromBundle']) Engine[name] = shield(Engine[name]);
  for (const name of ['decide', 'explain', 'routes', 'routeTable', 'aclTree', 'diagnostics', 'toBundle', 'authorize', 'identify']) {
    Engine.prototype[name] = shield(Engine.prototype[name]);
  }
  for (const name of ['sign', 'baseString', 'verify']) oauth[name] = shield(oauth[name]);
  oauth.Verifier.prototype.verify = shield(oauth.Verifier.prototype.verify);
  for (const name of ['issue', 'verify', 'decode']) jwt[name] = shield(jwt[name]);
  const shieldedClient = shield((options) => {
    const client = createClient(options);
    client.can = shield(client.can);
    return client;
  });

  return {
    Engine, Decision, oauth, jwt, createClient: shieldedClient,
    MagePolicyError, ConfigError, OAuthError, JwtError, InputError,
  };
}
