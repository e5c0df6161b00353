// mage-policy JS layer: the public API over the generated wasm-bindgen bindings.
// This file has no imports or exports: the build wraps it as ESM (core.mjs) and as
// CommonJS (core.cjs) around `createApi(wasm)`, so both module systems share it.
//
// The layer converts arguments and results and nothing more: options, defaults,
// roles, keys, the request pipeline and every JSON shape live in the engine's
// `boundary` module, which the command-line tool uses too.

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

  const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

  function requireString(v, what) {
    if (typeof v !== 'string') throw new InputError(`${what} must be a string, not ${typeName(v)}`);
    return v;
  }

  function optString(v, what) {
    return v === undefined || v === null ? undefined : requireString(v, what);
  }

  /** A plain object (not an array, a string, a typed array, a class instance …). */
  function isPlain(v) {
    if (v === null || typeof v !== 'object') return false;
    const proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
  }

  function requireObject(v, what, shape) {
    if (!isPlain(v)) throw new InputError(`${what} must be an object${shape ? ` like ${shape}` : ''}, not ${typeName(v)}`);
    return v;
  }

  function json(v, what) {
    try {
      return JSON.stringify(v);
    } catch (e) {
      throw new InputError(`${what} cannot be serialised: ${e.message}`);
    }
  }

  function unixNow() {
    return Math.floor(Date.now() / 1000);
  }

  // ---- engine --------------------------------------------------------------------

  // The names behind the engine's positional codes (outcomes, refusals, identity
  // sources, principal kinds), read from the module once it is ready: no list is kept
  // here by hand.
  let OUTCOMES = null;
  let REFUSALS = null;
  let VIAS = null;
  let KIND_NAMES = null;
  let KINDS = null;
  function loadNames() {
    if (OUTCOMES) return;
    const n = JSON.parse(wasm.names());
    ({ outcomes: OUTCOMES, refusals: REFUSALS, vias: VIAS, kinds: KIND_NAMES } = n);
    KINDS = new Map(KIND_NAMES.map((k, i) => [k, i]));
  }
  // The engine's role handles by resource list (its JSON text). A handle the engine
  // no longer knows is answered as "stale" and registered again; bounded like the
  // engine's own registry.
  const MAX_ROLE_KEYS = 1024;

  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((inner) => { try { inner.free(); } catch (_) { /* already freed */ } })
    : null;

  /** The details both answers derive on first use (`_detail()`). */
  class Details {
    get message() { return this._detail().message; }
    get parameters() { return this._detail().parameters || null; }
    get params() { return this._detail().params; }
    get leftover() { return this._detail().leftover || {}; }
    get resources() { return this._detail().resources; }
    get missing() { return this._detail().missing; }
    get store() { return this._detail().store; }
    get processor() { return this._detail().processor; }
  }

  class Decision extends Details {
    #engine;
    #call;
    #detail = null;
    constructor(engine, call, packed) {
      super();
      this.status = packed & 0x3ff;
      this.outcome = OUTCOMES[(packed >>> 10) & 0xf];
      this.allowed = this.outcome === 'allowed';
      const route = packed >>> 14;
      this.route = route > 0 ? engine._route(route - 1) : null;
      this.#engine = engine;
      this.#call = call;
    }
    _detail() {
      if (!this.#detail) this.#detail = JSON.parse(this.#engine._positional('decideJson', this.#call));
      return this.#detail;
    }
    /** Magento's JSON body for a refusal (a string, byte for byte), or null. */
    get body() { return this._detail().body; }
    /** The same JSON as `mage-policy decide` prints. */
    toJSON() { return this._detail(); }
  }

  function xmlFiles(list, what) {
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) throw new InputError(`${what} must be an array of { name, xml }`);
    return list.map((f, i) => (typeof f === 'string'
      ? { name: `${what}[${i}]`, xml: f }
      : { name: requireString(f && f.name, `${what}[${i}].name`), xml: requireString(f && f.xml, `${what}[${i}].xml`) }));
  }

  class Engine {
    constructor(inner) {
      if (!inner) throw new InputError('use Engine.fromXml(...) or Engine.fromBundle(...)');
      loadNames();
      this._handle = inner;
      this._roles = new Map();
      this._rolesByList = new WeakMap();
      this._routes = null;
      this._limits = null;
      this._gateways = null;
      if (registry) registry.register(this, inner, this);
    }

    /**
     * Load webapi.xml and acl.xml files (merged in the order given).
     * `webapi` / `acl`: arrays of `{ name, xml }` (or plain strings). Unknown options
     * are refused.
     */
    static fromXml(options) {
      requireObject(options, 'Engine.fromXml options', '{ webapi, acl }');
      const input = { ...options, webapi: xmlFiles(options.webapi, 'webapi'), acl: xmlFiles(options.acl, 'acl') };
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

    _roleHandle(resources, fresh) {
      const isList = Array.isArray(resources);
      if (resources !== 'all' && !isList) throw new InputError('principal.resources must be "all" or an array of ACL ids');
      // The same array again (a principal kept by the caller): its handle, once its
      // ids are checked to be the ones it had (arrays can change).
      const seen = isList && !fresh ? this._rolesByList.get(resources) : undefined;
      if (seen && seen.ids.length === resources.length && seen.ids.every((id, i) => id === resources[i])) return seen.role;
      const key = json(resources, 'principal.resources');
      let role = fresh ? undefined : this._roles.get(key);
      if (role === undefined) {
        role = guard(() => this._inner().role(key));
        if (this._roles.size >= MAX_ROLE_KEYS) { this._roles.clear(); this._rolesByList = new WeakMap(); }
        this._roles.set(key, role);
      }
      if (isList) this._rolesByList.set(resources, { ids: resources.slice(), role });
      return role;
    }

    /** [method, path, kind, id, website, flags, role] for the positional exports. */
    _call(method, path, principal, options, fresh) {
      let p = principal;
      if (p === undefined || p === null) p = { type: 'guest' };
      requireObject(p, 'principal', '{ type: "customer", id: 5 }');
      const kind = KINDS.get(p.type);
      if (kind === undefined) throw new InputError(`unknown principal type ${JSON.stringify(String(p.type))} (guest, customer, admin, integration)`);
      const id = p.id === undefined ? 0 : p.id;
      if (kind > 0 && !(typeof id === 'number' && Number.isSafeInteger(id) && id >= 0)) throw new InputError('principal.id must be a whole number');
      let website = NaN;
      if (p.website !== undefined && p.website !== null) {
        if (!(typeof p.website === 'number' && Number.isInteger(p.website) && p.website >= 0)) throw new InputError('principal.website must be a whole number');
        website = p.website;
      }
      const role = kind >= 2 && p.resources !== undefined && p.resources !== null ? this._roleHandle(p.resources, fresh) : 0;
      let https = true;
      if (options !== undefined && options !== null) {
        requireObject(options, 'options', '{ https: false }');
        if (options.https !== undefined) https = !!options.https;
      }
      return [method, path, kind, id, website, (p.emulated ? 1 : 0) | (https ? 0 : 2), role, principal, options];
    }

    /** Call a positional export; a stale role handle is registered again, once. */
    _positional(name, call) {
      const inner = this._inner();
      let out = guard(() => inner[name](call[0], call[1], call[2], call[3], call[4], call[5], call[6]));
      if (out === undefined || out === 0) {
        const again = this._call(call[0], call[1], call[7], call[8], true);
        for (let i = 0; i < again.length; i++) call[i] = again[i];
        out = guard(() => inner[name](call[0], call[1], call[2], call[3], call[4], call[5], call[6]));
      }
      return out;
    }

    /** Decide one request: `decide('GET', '/rest/V1/customers/me', { type: 'customer', id: 5 })`. */
    decide(method, path, principal, options) {
      const call = this._call(requireString(method, 'method'), requireString(path, 'path'), principal, options, false);
      return new Decision(this, call, this._positional('decide', call));
    }

    /** The same decision, in words. */
    explain(method, path, principal, options) {
      const call = this._call(requireString(method, 'method'), requireString(path, 'path'), principal, options, false);
      return this._positional('explain', call);
    }

    /** Every route with `allowed` and `missing` for the principal. */
    routes(principal, options) {
      const store = options && options.store !== undefined ? requireString(options.store, 'store') : undefined;
      const call = this._call('', '', principal, undefined, false);
      const run = () => guard(() => this._inner().routes(call[2], call[3], call[4], call[5], call[6], store));
      let out = run();
      if (out === undefined) {
        call[6] = this._roleHandle(principal.resources, true);
        out = run();
      }
      return JSON.parse(out);
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
     * A long-lived handle for an edge: the JWT key, OAuth credentials (and the nonces
     * they used), revocations and account data are read once; per request only the
     * request crosses into the module. See `Gateway`.
     */
    gateway(sources) {
      return new Gateway(this, sources === undefined ? {} : sources);
    }

    /**
     * Identify the caller, decide, and apply forced parameters for one HTTP request
     * (a Fetch API `Request` or `{ method, url, headers, body }`): a convenience over
     * a gateway, kept per sources object (and per equal sources), so nonces are
     * remembered between calls. Synchronous: pass the body as a string when using a
     * plain object; a `Request` body must be read first
     * (`authorize(request, sources, await request.text())`).
     */
    authorize(request, sources, bodyText) {
      return this._gatewayFor(sources === undefined ? {} : sources).authorize(request, bodyText);
    }

    /** Who is calling (the identity part of `authorize`). */
    identify(request, sources, bodyText) {
      const out = this.authorize(request, sources, bodyText);
      return out.identity || { type: 'guest', id: 0, via: 'guest', notes: [], needsOrigin: false };
    }

    _gatewayFor(sources) {
      requireObject(sources, 'sources', '{ jwt: { cryptKey } }');
      if (!this._gateways) this._gateways = { byObject: new WeakMap(), byText: new Map() };
      const g = this._gateways;
      let gw = g.byObject.get(sources);
      if (gw) return gw.withSources(sources);
      const [text] = gatewayOptions(sources);
      gw = g.byText.get(text);
      if (!gw) {
        gw = new Gateway(this, sources);
        if (g.byText.size >= 8) { for (const old of g.byText.values()) old.free(); g.byText.clear(); }
        g.byText.set(text, gw);
      }
      g.byObject.set(sources, gw);
      return gw.withSources(sources);
    }

    /** [maxPathBytes, maxHeaderBytes, maxHeaders, maxBodyBytes]. */
    _limitList() {
      if (!this._limits) this._limits = Array.from(this._inner().limits());
      return this._limits;
    }

    /** Release the wasm memory now (a FinalizationRegistry does it eventually). */
    free() {
      if (!this._handle) return;
      if (registry) registry.unregister(this);
      if (this._gateways) { for (const gw of this._gateways.byText.values()) gw.free(); this._gateways = null; }
      this._handle.free();
      this._handle = null;
    }
  }

  // ---- gateway ------------------------------------------------------------------

  // What the user's own callbacks threw: rethrown as it is, not wrapped.
  const usersErrors = new WeakSet();

  const CALLBACKS = ['session', 'customerWebsite', 'adminRole', 'integrationRole', 'placeholders'];

  /** The user's functions among the sources. */
  function callbackFns(sources) {
    const fns = {};
    for (const k of CALLBACKS) if (typeof sources[k] === 'function') fns[k] = sources[k];
    return fns;
  }

  /** The JSON the engine reads, with `true` for each source answered by a function. */
  function gatewayOptions(sources) {
    const out = {};
    const fns = {};
    for (const k of Object.keys(sources)) {
      const v = sources[k];
      if (k === 'now') continue; // read at every request
      if (CALLBACKS.includes(k)) {
        if (typeof v === 'function') { fns[k] = v; out[k] = true; continue; }
        if (v === undefined || v === null) continue;
        requireObject(v, `sources.${k}`, 'a function or an object of answers');
      }
      out[k] = v;
    }
    return [json(out, 'sources'), fns];
  }

  const isThenable = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';

  /**
   * The callbacks object the module calls while it identifies a caller. Each wrapper
   * returns data and never throws into the module: what the user's function throws,
   * or a wrong answer, is kept and rethrown once the module has answered.
   */
  function callbacksFor(failures) {
    const slot = { fns: {} };
    const call = (name, args, check) => {
      try {
        const v = slot.fns[name](...args);
        if (isThenable(v)) throw new InputError(`sources.${name} returned a Promise: it must answer synchronously (await the lookup first, then call authorize)`);
        return check(v);
      } catch (e) {
        if (e !== null && (typeof e === 'object' || typeof e === 'function')) usersErrors.add(e);
        failures.push(e);
        return undefined;
      }
    };
    // A role callback usually answers with the same array again (its data): its JSON
    // is kept, and used once the ids are checked to be the ones it had.
    const keys = new WeakMap();
    const role = (name) => (id) => call(name, [id], (v) => {
      if (v === undefined || v === null) return undefined;
      if (v === 'all') return '"all"';
      const seen = Array.isArray(v) ? keys.get(v) : undefined;
      if (seen && seen.ids.length === v.length && seen.ids.every((x, i) => x === v[i])) return seen.key;
      if (!(Array.isArray(v) && v.every((x) => typeof x === 'string'))) {
        throw new InputError(`sources.${name} must return "all", an array of ACL ids, or null`);
      }
      const key = JSON.stringify(v);
      keys.set(v, { ids: v.slice(), key });
      return key;
    });
    const callbacks = {
      session: (sid) => call('session', [sid], (v) => {
        if (v === undefined || v === null) return undefined;
        if (!isPlain(v) || !Number.isSafeInteger(v.id) || v.id < 1
          || !(v.website === undefined || v.website === null || (Number.isInteger(v.website) && v.website >= 1))) {
          throw new InputError('sources.session must return { id, website?, emulated? } (a customer id > 0) or null');
        }
        return `${v.id} ${v.website || 0} ${v.emulated ? 1 : 0}`;
      }),
      customerWebsite: (id) => {
        const w = call('customerWebsite', [id], (v) => {
          if (v === undefined || v === null) return NaN;
          if (!(Number.isInteger(v) && v >= 0)) throw new InputError('sources.customerWebsite must return a website id or null');
          return v;
        });
        return w === undefined ? NaN : w;
      },
      adminRole: role('adminRole'),
      integrationRole: role('integrationRole'),
      placeholders: (type, id) => call('placeholders', [{ type, id }], (v) => {
        if (v === undefined || v === null) return undefined;
        if (!isPlain(v)) throw new InputError('sources.placeholders must return an object (or null)');
        return json(v, 'placeholders');
      }),
    };
    return { slot, callbacks };
  }

  /** Header pairs, refused when of the wrong shape; bounded by the engine's limits. */
  function headerLines(h, limits) {
    if (h === undefined || h === null) return '';
    const [, maxBytes, maxCount] = limits;
    let out = '';
    let count = 0;
    const add = (k, v) => {
      count += 1;
      if (count > maxCount + 1) return false; // 431 anyway: read no further
      if (typeof k !== 'string' || typeof v !== 'string') {
        if (typeof v === 'number' && typeof k === 'string') v = String(v);
        else throw new InputError('request.headers must map names to strings');
      }
      if (k.length > maxBytes || v.length > maxBytes) {
        // Past the limit (431): a value just over it stands in for the rest.
        k = 'x';
        v = overLimit(maxBytes);
      } else if (k.includes('\n') || v.includes('\n') || k.includes('\r') || v.includes('\r')) {
        throw new InputError(`request header ${JSON.stringify(k.slice(0, 64))} contains a line break`);
      }
      out += `${k}\n${v}\n`;
      return true;
    };
    if (Array.isArray(h)) {
      for (const pair of h) {
        if (!Array.isArray(pair) || pair.length !== 2) throw new InputError('request.headers as an array must hold [name, value] pairs');
        if (!add(pair[0], pair[1])) break;
      }
    } else if (typeof h === 'object' && typeof h.forEach === 'function' && !ArrayBuffer.isView(h)) {
      // Fetch Headers, a Map.
      let stop = false;
      h.forEach((v, k) => { if (!stop && !add(k, v)) stop = true; });
    } else if (isPlain(h)) {
      for (const k in h) {
        if (!Object.prototype.hasOwnProperty.call(h, k)) continue;
        if (!add(k, h[k])) break;
      }
    } else {
      throw new InputError(`request.headers must be a Headers, a plain object or an array of [name, value] pairs, not ${typeName(h)}`);
    }
    return out;
  }

  const encoder = new TextEncoder();
  let memoryView = null;
  let memory = null;
  /** A view of the module's memory (made again after the memory grew). */
  function wasmBytes() {
    if (!memory) memory = wasm.wasmMemory();
    if (!memoryView || memoryView.buffer !== memory.buffer) memoryView = new Uint8Array(memory.buffer);
    return memoryView;
  }

  /**
   * Write `parts` (strings, or undefined for absent) one after the other into a
   * handle's input buffer; their byte lengths (-1: absent).
   */
  function writeInput(handle, parts) {
    let max = 0;
    for (const p of parts) if (p !== undefined) max += p.length * 3;
    let ptr = handle.input(max);
    const mem = wasmBytes();
    const end = ptr + max;
    return parts.map((p) => {
      if (p === undefined) return -1;
      const { written } = encoder.encodeInto(p, mem.subarray(ptr, end));
      ptr += written;
      return written;
    });
  }

  const overLimitCache = new Map();
  function overLimit(n) {
    let s = overLimitCache.get(n);
    if (!s) { s = 'x'.repeat(n + 1); overLimitCache.set(n, s); }
    return s;
  }

  /**
   * The answer for one request. What an edge reads on every request is read at once
   * (allowed, status, outcome, route, body, requestBody, refusal, forced, identity);
   * the decision's details (message, params, missing, …) are derived on first use.
   * `JSON.stringify` gives the same JSON as `mage-policy authorize`.
   */
  class Authorized extends Details {
    #gateway;
    #method;
    #url;
    #p;
    #forced;
    #detail = null;
    constructor(gateway, method, url, packed) {
      super();
      const h = gateway._handle;
      const numbers = gateway._numbers();
      const info = numbers[0];
      this.status = packed & 0x3ff;
      this.outcome = OUTCOMES[(packed >>> 10) & 0xf];
      const refusal = info & 7;
      this.allowed = this.outcome === 'allowed' && refusal === 0;
      const route = packed >>> 14;
      this.route = route > 0 ? gateway._engine._route(route - 1) : null;
      // The texts present, in one crossing: body, request body, forced, notes.
      const texts = info & 0x7800 ? h.texts().split('\u0000') : null;
      let t = 0;
      this.body = info & 0x800 ? texts[t++] : null;
      this.requestBody = info & 0x1000 ? texts[t++] : null;
      this.refusal = refusal > 0 ? REFUSALS[refusal - 1] : null;
      this.#forced = info & 0x2000 ? texts[t++] : '[]';
      const notes = info & 0x4000 ? JSON.parse(texts[t++]) : [];
      const kind = (info >>> 3) & 3;
      const via = (info >>> 5) & 7;
      const id = numbers[1];
      this.identity = via > 0
        ? { type: KIND_NAMES[kind], id, via: VIAS[via - 1], notes, needsOrigin: (info & 0x100) !== 0 }
        : null;
      this.#gateway = gateway;
      this.#method = method;
      this.#url = url;
      this.#p = [kind, id, kind === 1 ? numbers[2] : NaN, ((info >>> 9) & 1) | (info & 0x400 ? 2 : 0), numbers[3]];
    }
    _detail() {
      if (!this.#detail) this.#detail = this.#gateway._decision(this.#method, this.#url, this.#p);
      return this.#detail;
    }
    /** What was forced: `[{ name, value }]`. */
    get forced() {
      if (typeof this.#forced === 'string') this.#forced = JSON.parse(this.#forced);
      return this.#forced;
    }
    /** The same JSON as `mage-policy authorize` prints. */
    toJSON() {
      return {
        ...this._detail(),
        status: this.status,
        allowed: this.allowed,
        body: this.body,
        refusal: this.refusal,
        requestBody: this.requestBody,
        forced: this.forced,
        identity: this.identity,
      };
    }
  }

  class Gateway {
    constructor(engine, sources) {
      if (!(engine instanceof Engine)) throw new InputError('use engine.gateway(sources)');
      requireObject(sources, 'sources', '{ jwt: { cryptKey } }');
      const [text, fns] = gatewayOptions(sources);
      this._engine = engine;
      this._failures = [];
      const { slot, callbacks } = callbacksFor(this._failures);
      this._slot = slot;
      this._slot.fns = fns;
      this._callbacks = callbacks;
      this._sources = sources;
      this._handle = guard(() => new wasm.Gateway(engine._inner(), text));
      if (registry) registry.register(this, this._handle, this);
    }

    /** This gateway with the functions of `sources` (same data, maybe new closures). */
    withSources(sources) {
      if (sources !== this._sources) {
        this._sources = sources;
        this._slot.fns = callbackFns(sources);
      }
      return this;
    }

    /**
     * Authorize one request (a Fetch `Request` or `{ method, url, headers, body }`):
     * `{ allowed, status, body, route, identity, requestBody, forced, … }`.
     */
    authorize(request, bodyText) {
      if (!this._handle) throw new MagePolicyError('EFREED', 'this Gateway was freed');
      if (request === null || typeof request !== 'object') throw new InputError('request must be a Request or { method, url, headers, body }');
      const method = request.method === undefined ? 'GET' : requireString(request.method, 'request.method');
      const url = requireString(request.url, 'request.url');
      if (method.includes('\n') || url.includes('\n')) throw new InputError('request.method and request.url cannot contain line breaks');
      const limits = this._engine._limitList();
      const lines = `${method}\n${url}\n${headerLines(request.headers, limits)}`;
      let body = bodyText !== undefined ? bodyText : (typeof request.body === 'string' ? request.body : undefined);
      if (body !== undefined && body !== null) {
        requireString(body, 'body');
        if (body.length > limits[3]) body = overLimit(limits[3]); // 413 anyway
      } else {
        body = undefined;
      }
      const s = this._sources;
      let now = s.now;
      if (typeof now === 'function') now = now();
      if (now === undefined || now === null) now = unixNow();
      if (typeof now !== 'number' || !Number.isFinite(now)) throw new InputError('sources.now must be a number (Unix seconds) or a function returning one');
      const failures = this._failures;
      failures.length = 0;
      // The request goes into the gateway's input buffer with TextEncoder.encodeInto:
      // one native copy instead of the generated glue's character loop.
      const h = this._handle;
      const [written, bodyLen] = writeInput(h, [lines, body]);
      const packed = guard(() => h.authorizeInput(written, bodyLen, Math.floor(now), this._callbacks));
      if (failures.length) {
        const e = failures[0];
        failures.length = 0;
        throw e;
      }
      return new Authorized(this, method, url, packed);
    }

    /** The last answer's numbers, read from the module's memory. */
    _numbers() {
      if (!this._numbersView || this._numbersView.buffer !== wasmBytes().buffer) {
        this._numbersView = new Float64Array(wasmBytes().buffer, this._handle.answerNumbers(), 4);
      }
      return this._numbersView;
    }

    _decision(method, url, p) {
      if (!this._handle) throw new MagePolicyError('EFREED', 'this Gateway was freed');
      const out = this._handle.decision(method, url, p[0], p[1], p[2], p[3], p[4]);
      if (out === undefined) {
        throw new MagePolicyError('ESTALE', 'the role of this answer is no longer kept (over 1,024 other roles were registered since): read its details before');
      }
      return JSON.parse(out);
    }

    /** Record a JWT revocation: tokens of (userType, id) issued up to `before` are refused. */
    revoke(userType, id, before) {
      if (!this._handle) throw new MagePolicyError('EFREED', 'this Gateway was freed');
      if (![1, 2, 3].includes(userType) || !Number.isSafeInteger(id) || !Number.isSafeInteger(before)) {
        throw new InputError('revoke(userType 1|2|3, id, before) takes whole numbers');
      }
      this._handle.revoke(userType, id, before);
    }

    /** Release the wasm memory now. */
    free() {
      if (!this._handle) return;
      if (registry) registry.unregister(this);
      this._handle.free();
      this._handle = null;
    }
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

  /** The header named `name` of a Headers-like, a plain object or pairs. */
  function headerOf(h, name) {
    if (h === undefined || h === null) return undefined;
    if (typeof h.get === 'function' && !Array.isArray(h)) {
      const v = h.get(name);
      return v === null ? undefined : v;
    }
    const lower = name.toLowerCase();
    const pairs = Array.isArray(h) ? h : isPlain(h) ? Object.entries(h) : null;
    if (!pairs) throw new InputError(`request.headers must be a Headers, a plain object or an array of [name, value] pairs, not ${typeName(h)}`);
    for (const p of pairs) {
      if (Array.isArray(p) && typeof p[0] === 'string' && p[0].toLowerCase() === lower) return optString(p[1], `header ${name}`);
    }
    return undefined;
  }

  const oauth = {
    /**
     * Sign a request. `request`: `{ method, url, body?, contentType? }`;
     * `credentials`: `{ consumerKey, consumerSecret, token?, tokenSecret? }`;
     * `options`: `{ profile?, signatureMethod?, timestamp?, nonce?, realm?, params?, version? }`.
     */
    sign(request, credentials, options) {
      const o = options === undefined ? {} : requireObject(options, 'options');
      requireObject(request, 'request', '{ method, url, body?, contentType? }');
      requireObject(credentials, 'credentials', '{ consumerKey, consumerSecret, token?, tokenSecret? }');
      const timestamp = o.timestamp !== undefined ? Number(o.timestamp) : unixNow();
      let params = '';
      if (o.params) {
        const list = Array.isArray(o.params) ? o.params : Object.entries(requireObject(o.params, 'options.params'));
        params = list.map(([k, v]) => {
          requireString(k, 'params name'); requireString(v, 'params value');
          if (/[\n=]/.test(k) || v.includes('\n')) throw new InputError('params names and values cannot contain line breaks (or = in a name)');
          return `${k}=${v}`;
        }).join('\n');
      }
      const signer = signerFor(
        requireString(credentials.consumerKey, 'consumerKey'), requireString(credentials.consumerSecret, 'consumerSecret'),
        optString(credentials.token, 'token'), optString(credentials.tokenSecret, 'tokenSecret'),
        optString(o.profile, 'profile') || '', optString(o.signatureMethod, 'signatureMethod') || '');
      let out;
      try {
        // Positional strings: for these short ones the generated glue's copy is cheaper
        // than an input buffer (measured: 85,366 against 87,312 instructions a call).
        out = guard(() => signer.sign(
          requireString(request.method, 'request.method'), requireString(request.url, 'request.url'),
          optString(request.contentType, 'request.contentType') || '', optString(request.body, 'request.body'),
          timestamp, optString(o.nonce, 'nonce'), optString(o.realm, 'realm'), params, o.version === undefined ? true : !!o.version));
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
      requireObject(request, 'request', '{ method, url, body?, contentType? }');
      const p = Array.isArray(protocolParams) ? protocolParams : Object.entries(protocolParams || {});
      if (p.length > 1000) throw new InputError('more than 1000 protocol parameters');
      return guard(() => wasm.oauthBaseString(requireString(profile, 'profile'), json(request, 'request'), json(p, 'protocol parameters')));
    },
    /** A verifier with its own nonce memory: `new oauth.Verifier(profile, credentials)`. */
    Verifier: class Verifier {
      constructor(profile, credentials) {
        this._inner = shield(() => guard(() => new wasm.OAuthVerifier(optString(profile, 'profile') || '',
          json(requireObject(credentials, 'credentials', '{ consumers, tokens }'), 'credentials'))))();
      }
      /**
       * `{ method, url, authorization | headers, contentType?, body? }` or a Fetch
       * `Request` (its body given as `bodyText`) → `{ valid, consumerKey, token,
       * integration }`; throws OAuthError with Magento's status and body.
       */
      verify(request, now, bodyText) {
        if (request === null || typeof request !== 'object') throw new InputError('request must be a Request or { method, url, authorization }');
        const t = now !== undefined ? now : unixNow();
        if (typeof t !== 'number' || !Number.isFinite(t)) throw new InputError('now must be a number (Unix seconds)');
        const authorization = request.authorization !== undefined ? optString(request.authorization, 'request.authorization') : headerOf(request.headers, 'Authorization');
        const contentType = request.contentType !== undefined ? optString(request.contentType, 'request.contentType') : headerOf(request.headers, 'Content-Type');
        const body = bodyText !== undefined ? optString(bodyText, 'body') : (typeof request.body === 'string' ? request.body : undefined);
        const method = request.method === undefined ? 'GET' : requireString(request.method, 'request.method');
        const h = this._inner;
        const [m, u, a, c, b] = writeInput(h, [method, requireString(request.url, 'request.url'), authorization, contentType, body]);
        return JSON.parse(guard(() => h.verifyInput(m, u, a, c, b, t)));
      }
      free() { this._inner.free(); }
    },
    /** One-shot verification (nonces are not remembered across calls). */
    verify(request, options) {
      requireObject(options, 'options', '{ profile?, credentials, now? }');
      const v = new oauth.Verifier(options.profile, options.credentials);
      try { return v.verify(request, options.now); } finally { v.free(); }
    },
  };

  // ---- JWT -----------------------------------------------------------------------

  // Derived keys by crypt/key, kept in the module (bounded: 16 keys of at most 4 KiB).
  let jwtTool = null;
  const jwtKeys = () => (jwtTool || (jwtTool = new wasm.JwtTool()));

  const jwt = {
    /** Issue a Magento token: `{ cryptKey, uid, type, iat?, ttlMinutes?, alg? }`. */
    issue(o) {
      requireObject(o, 'jwt.issue options', '{ cryptKey, uid, type }');
      const iat = o.iat !== undefined ? o.iat : unixNow();
      const ttl = o.ttlMinutes === undefined || o.ttlMinutes === null ? NaN : Number(o.ttlMinutes);
      return guard(() => jwtKeys().issue(requireString(o.cryptKey, 'cryptKey'), optString(o.alg, 'alg') || '', requireString(o.type || 'customer', 'type'), Number(o.uid), Number(iat), ttl));
    },
    /** Verify: `{ cryptKey, alg?, now?, revoked? }` → `{ valid, uid, utypid, iat, exp }` or `{ valid: false, reason }`. */
    verify(token, o) {
      requireObject(o, 'jwt.verify options', '{ cryptKey }');
      const now = o.now !== undefined ? o.now : unixNow();
      if (o.revoked !== undefined && o.revoked !== null && !Array.isArray(o.revoked)) throw new InputError('revoked must be an array of { userType, id, before }');
      const revoked = o.revoked && o.revoked.length ? json(o.revoked, 'revoked') : '';
      const out = guard(() => jwtKeys().verify(requireString(token, 'token'), requireString(o.cryptKey, 'cryptKey'), optString(o.alg, 'alg') || '', Number(now), revoked));
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
        requireString(path, 'path');
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
            auth.credentials, { profile: auth.profile });
          headers.set('Authorization', s.authorization);
        }
        if (!doFetch) throw new MagePolicyError('ENOFETCH', 'no fetch implementation available');
        return doFetch(url, { ...init, method, headers, body, credentials: auth.type === 'session' ? 'include' : init.credentials });
      },
    };
  }

  // ---- the boundary ---------------------------------------------------------------

  // Whatever an argument does while it is read (a throwing getter, a cyclic or exotic
  // value, a throwing callback), the caller gets an InputError with the original as
  // `cause`: only coded errors leave the API.
  function shield(fn) {
    return function shielded(...args) {
      try {
        return fn.apply(this, args);
      } catch (e) {
        if (e instanceof MagePolicyError || usersErrors.has(e)) throw e;
        const what = e instanceof Error ? e.message : typeof e === 'symbol' ? e.toString() : String(e);
        throw new InputError(`invalid argument: ${what}`, { cause: e });
      }
    };
  }
  for (const name of ['fromXml', 'fromBundle']) Engine[name] = shield(Engine[name]);
  for (const name of ['decide', 'explain', 'routes', 'routeTable', 'aclTree', 'diagnostics', 'toBundle', 'gateway', 'authorize', 'identify']) {
    Engine.prototype[name] = shield(Engine.prototype[name]);
  }
  for (const name of ['authorize', 'revoke']) Gateway.prototype[name] = shield(Gateway.prototype[name]);
  for (const name of ['sign', 'baseString', 'verify']) oauth[name] = shield(oauth[name]);
  oauth.Verifier.prototype.verify = shield(oauth.Verifier.prototype.verify);
  for (const name of ['issue', 'verify', 'decode']) jwt[name] = shield(jwt[name]);
  const shieldedClient = shield((options) => {
    const client = createClient(options);
    client.can = shield(client.can);
    return client;
  });

  return {
    Engine, Gateway, Decision, Authorized, oauth, jwt, createClient: shieldedClient,
    MagePolicyError, ConfigError, OAuthError, JwtError, InputError,
  };
}
