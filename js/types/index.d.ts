// Types for the mage-policy npm package. Checked with `tsc --noEmit --strict`.

/** Who is calling (Magento user types 4, 3, 2, 1). */
export type Principal =
  | { type: 'guest' }
  | { type: 'customer'; id: number; website?: number; emulated?: boolean }
  | { type: 'admin'; id: number; resources?: 'all' | string[] }
  | { type: 'integration'; id: number; resources?: 'all' | string[] };

export type Outcome =
  | 'allowed'
  | 'not-rest'
  | 'method-not-allowed'
  | 'not-processable'
  | 'no-route'
  | 'unauthorized'
  | 'https-required'
  | 'not-modelled'
  /** 414: the path is longer than the limit (8 KiB). */
  | 'too-long';

export interface RouteInfo {
  url: string;
  method: string;
  /** `Class::method` */
  service: string;
  /** Effective resource refs (all required). */
  resources: string[];
  parameters: Array<{ name: string; force: boolean; value: string | null }>;
  secure: boolean;
}

export interface StoreInfo {
  code: string;
  id: number;
  websiteId: number;
}

export declare class Decision {
  readonly allowed: boolean;
  /** Magento's HTTP status (200, 202, 400, 401, 404, 405, 414, 501). */
  readonly status: number;
  readonly outcome: Outcome;
  readonly route: RouteInfo | null;
  /** Magento's JSON body for a refusal, byte for byte; null when allowed. */
  readonly body: string | null;
  readonly message: string | null;
  readonly parameters: { resources: string } | null;
  readonly params: Record<string, string>;
  readonly leftover: Record<string, string>;
  readonly resources: string[];
  readonly missing: string[];
  readonly store: StoreInfo;
  readonly processor: 'sync' | 'async' | 'async-bulk' | 'schema' | null;
  toJSON(): Record<string, unknown>;
}

export interface XmlFile {
  name: string;
  xml: string;
}

export interface Limits {
  /** 414 beyond (default 8 KiB). */
  maxPathBytes?: number;
  /** 431 beyond (default 16 KiB). */
  maxHeaderBytes?: number;
  /** 431 beyond (default 100). */
  maxHeaders?: number;
  /** 413 beyond (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface EngineOptions {
  webapi: Array<XmlFile | string>;
  acl?: Array<XmlFile | string>;
  /** `webapi/webapisecurity/allow_insecure` */
  allowInsecure?: boolean;
  /** Replace the routes allow_insecure opens (`url::METHOD`). */
  insecureRoutes?: string[];
  /** Read that list from WebapiSecurity's di.xml. */
  webapiSecurityDi?: XmlFile;
  stores?: StoreInfo[];
  defaultStore?: string;
  basePath?: string;
  accountShare?: 'website' | 'global';
  limits?: Limits;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  help?: string;
  location?: { file: string; line: number; column: number };
}

export interface RouteAccess extends Omit<RouteInfo, 'parameters'> {
  allowed: boolean;
  missing: string[];
}

export interface AclNode {
  id: string;
  title: string | null;
  sortOrder: number;
  children: AclNode[];
}

/** A Fetch API Request, or a plain object with the same fields. */
export interface RequestLike {
  method?: string;
  url: string;
  headers?: Headers | Record<string, string> | Array<[string, string]>;
  body?: unknown;
}

export interface SessionCustomer {
  id: number;
  website?: number;
  emulated?: boolean;
}

export interface OAuthCredentialsFile {
  consumers: Record<string, { secret: string; id?: number; updatedAt?: number; integration?: { id: number; active: boolean } }>;
  tokens?: Record<string, { secret: string; consumer: string; type: 'access' | 'request' | 'verifier'; verifier?: string; revoked?: boolean }>;
}

export type OAuthProfile = 'rfc5849' | 'magento-2.4.7' | 'magento-2.4.8';

/**
 * What a gateway identifies callers with, read once when the gateway is made
 * (`engine.gateway(sources)`). `session`, `customerWebsite`, `adminRole`,
 * `integrationRole` and `placeholders` each take a synchronous function that answers
 * with data — or the answers themselves, keyed by id. Unknown members are refused.
 */
export interface Sources {
  /** Unix seconds, or a function giving them (default: the clock, at each request). */
  now?: number | (() => number);
  jwt?: { cryptKey: string; alg?: JwtAlg; revoked?: Revocation[] };
  /** Session cookie value → the logged-in customer, or null. Must not return a Promise: await the lookup first. */
  session?: ((sessionId: string) => SessionCustomer | null | undefined) | Record<string, SessionCustomer>;
  /** The session cookie's name (default `PHPSESSID`). */
  sessionCookie?: string;
  /** `web/secure/offloader_header` (default `X-Forwarded-Proto`). */
  offloaderHeader?: string;
  oauth?: { profile?: OAuthProfile; credentials: OAuthCredentialsFile };
  customerWebsite?: ((customerId: number) => number | null | undefined) | Record<string, number>;
  /** An admin's role as the resources ticked in it (`"all"`), or null for no role. */
  adminRole?: ((adminId: number) => RoleResources | null | undefined) | Record<string, RoleResources>;
  /** An integration's permissions, as for `adminRole`. */
  integrationRole?: ((integrationId: number) => RoleResources | null | undefined) | Record<string, RoleResources>;
  /**
   * Values for %customer_group_id%, %customer_website_id%, %customer_store_id%, %cart_id%
   * (`cartId: false`: no active cart) — or a function of the identified caller returning
   * them, called at most once and only when the route forces a parameter.
   */
  placeholders?: Placeholders | ((caller: { type: Principal['type']; id: number }) => Placeholders | null | undefined);
}

export type RoleResources = 'all' | string[];
export type JwtAlg = 'HS256' | 'HS384' | 'HS512';
export interface Revocation {
  /** 1 integration, 2 admin, 3 customer. */
  userType: 1 | 2 | 3;
  id: number;
  /** Tokens issued at or before this Unix time are refused. */
  before: number;
}

export interface Placeholders {
  customerGroupId?: unknown;
  customerWebsiteId?: unknown;
  customerStoreId?: unknown;
  cartId?: unknown;
}

export interface Identity {
  type: 'guest' | 'customer' | 'admin' | 'integration';
  id: number;
  via: 'bearer' | 'session' | 'oauth' | 'guest';
  notes: string[];
  needsOrigin: boolean;
}

export type Refusal = 'headers-too-large' | 'body-too-large' | 'oauth' | 'undecodable' | 'forced';

/**
 * The answer for one request. `JSON.stringify` gives the same JSON as
 * `mage-policy authorize`; the decision's details are derived on first use.
 */
export declare class Authorized {
  private constructor();
  readonly status: number;
  readonly allowed: boolean;
  readonly outcome: Outcome;
  readonly route: RouteInfo | null;
  /** Magento's JSON body for a refusal. */
  readonly body: string | null;
  /** Why a request the decision alone would allow is refused. */
  readonly refusal: Refusal | null;
  /** The request body with forced parameters applied (JSON), when rewritten. */
  readonly requestBody: string | null;
  readonly forced: Array<{ name: string; value: unknown }>;
  /** Who called, when the route needed to know. */
  readonly identity: Identity | null;
  readonly message: string | null;
  readonly parameters: { resources: string } | null;
  readonly params: Record<string, string>;
  readonly leftover: Record<string, string>;
  readonly resources: string[];
  readonly missing: string[];
  readonly store: StoreInfo;
  readonly processor: 'sync' | 'async' | 'async-bulk' | 'schema' | null;
  toJSON(): Record<string, unknown>;
}

/**
 * An edge's long-lived handle (`engine.gateway(sources)`): keys, credentials, the
 * nonces they used, revocations and roles live in the module; per request only the
 * request crosses.
 */
export declare class Gateway {
  private constructor();
  /** Identify, decide and force parameters for one request; synchronous. */
  authorize(request: RequestLike, bodyText?: string): Authorized;
  /** Refuse tokens of (userType, id) issued at or before `before` from now on. */
  revoke(userType: 1 | 2 | 3, id: number, before: number): void;
  free(): void;
}

export declare class Engine {
  private constructor();
  static fromXml(options: EngineOptions): Engine;
  static fromBundle(bytes: Uint8Array | ArrayBuffer): Engine;
  decide(method: string, path: string, principal?: Principal, options?: { https?: boolean }): Decision;
  explain(method: string, path: string, principal?: Principal, options?: { https?: boolean }): string;
  routes(principal?: Principal, options?: { store?: string }): RouteAccess[];
  routeTable(): RouteInfo[];
  aclTree(): AclNode[];
  diagnostics(): Diagnostic[];
  toBundle(): Uint8Array;
  /** A long-lived gateway for an edge. */
  gateway(sources?: Sources): Gateway;
  /** A convenience over a gateway kept per sources object (and per equal sources). */
  authorize(request: RequestLike, sources?: Sources, bodyText?: string): Authorized;
  identify(request: RequestLike, sources?: Sources, bodyText?: string): Identity;
  free(): void;
}

export interface SignRequest {
  method: string;
  url: string;
  body?: string;
  contentType?: string;
}

export interface ClientCredentials {
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
}

export interface SignOptions {
  profile?: OAuthProfile;
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1' | 'HMAC-SHA512' | 'PLAINTEXT';
  timestamp?: number;
  nonce?: string;
  realm?: string;
  params?: Record<string, string> | Array<[string, string]>;
  version?: boolean;
}

export interface Signed {
  authorization: string;
  baseString: string;
  signature: string;
  nonce: string;
  timestamp: number;
}

export interface VerifyRequest extends SignRequest {
  /** The Authorization header (else read from `headers`). */
  authorization?: string;
  headers?: RequestLike['headers'];
}

export interface Verified {
  valid: true;
  consumerKey: string;
  token: string;
  integration: number | null;
}

export declare class OAuthVerifier {
  constructor(profile: OAuthProfile | undefined, credentials: OAuthCredentialsFile);
  /** A plain request, or a Fetch `Request` with its body text as `bodyText`. */
  verify(request: VerifyRequest | Request, now?: number, bodyText?: string): Verified;
  free(): void;
}

export declare const oauth: {
  sign(request: SignRequest, credentials: ClientCredentials, options?: SignOptions): Signed;
  baseString(profile: OAuthProfile, request: SignRequest, protocolParams: Record<string, string> | Array<[string, string]>): string;
  Verifier: typeof OAuthVerifier;
  verify(request: VerifyRequest, options: { profile?: OAuthProfile; credentials: OAuthCredentialsFile; now?: number }): Verified;
};

export type JwtReason = 'malformed' | 'bad_alg' | 'bad_signature' | 'missing_claim' | 'expired' | 'revoked' | 'bad_key';

export type JwtVerified =
  | { valid: true; uid: number; utypid: number; iat: number; exp: number }
  | { valid: false; reason: JwtReason; message: string };

export interface JwtDecoded {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  uid: number | null;
  utypid: number | null;
  iat: number | null;
  exp: number | null;
  secondsLeft: number | null;
}

export declare const jwt: {
  issue(options: { cryptKey: string; uid: number; type: 'customer' | 'admin' | 'integration'; iat?: number; ttlMinutes?: number; alg?: JwtAlg }): string;
  verify(token: string, options: { cryptKey: string; alg?: JwtAlg; now?: number; revoked?: Revocation[] }): JwtVerified;
  /** Unverified: never use it to decide access. */
  decode(token: string, now?: number): JwtDecoded;
};

export type ClientAuth =
  | { type: 'guest' }
  | { type: 'session'; customer?: SessionCustomer }
  | { type: 'bearer'; token: string; principal: Principal }
  | { type: 'oauth'; credentials: ClientCredentials; principal: Principal; profile?: OAuthProfile };

export interface Client {
  can(method: string, path: string): Decision;
  fetch(method: string, path: string, init?: RequestInit & { body?: unknown }): Promise<Response>;
}

export declare function createClient(options: {
  baseUrl: string;
  engine: Engine;
  auth?: ClientAuth;
  fetch?: typeof fetch;
}): Client;

export declare class MagePolicyError extends Error {
  /** `EINPUT`, `ECONFIG`, `EBUNDLE`, `EOAUTH`, `EJWT`, `EFREED`, `ESTALE`, `EINTERNAL`. */
  readonly code: string;
}
export declare class ConfigError extends MagePolicyError {
  readonly code: 'ECONFIG';
  readonly diagnostics: Diagnostic[];
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}
export declare class OAuthError extends MagePolicyError {
  readonly code: 'EOAUTH';
  /** Magento's status. */
  readonly status: number;
  readonly oauthCode: string;
  /** Magento's REST body. */
  readonly body?: string;
}
export declare class JwtError extends MagePolicyError {
  readonly code: 'EJWT';
  readonly reason?: JwtReason;
}
export declare class InputError extends MagePolicyError {
  readonly code: 'EINPUT';
  /** What an argument (a getter, a callback) threw while it was read, if anything. */
  readonly cause?: unknown;
}

/** Browsers and bundlers: instantiate once before use (Node and workerd entries do it themselves). */
export default function init(input?: string | URL | Response | BufferSource | WebAssembly.Module): Promise<unknown>;
export declare function initSync(module: BufferSource | WebAssembly.Module): unknown;
