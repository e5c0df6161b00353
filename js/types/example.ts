// A typed usage example, compiled with `tsc --noEmit --strict` against the package.
import { Engine, Gateway, Authorized, oauth, jwt, createClient, ConfigError, type Principal, type Decision, type Sources } from 'mage-policy';

const engine: Engine = Engine.fromXml({
  webapi: [{ name: 'webapi.xml', xml: '<routes/>' }],
  acl: [],
  allowInsecure: false,
});

const who: Principal = { type: 'admin', id: 1, resources: ['Magento_Customer::customer'] };
const d: Decision = engine.decide('GET', '/rest/V1/customers/12', who);
const status: number = d.status;
const body: string | null = d.body;
const missing: string[] = d.missing;

const signed = oauth.sign(
  { method: 'GET', url: 'https://shop.example.com/rest/V1/products' },
  { consumerKey: 'k', consumerSecret: 's' },
  { profile: 'magento-2.4.7', timestamp: 1700000000 },
);
const header: string = signed.authorization;

const v = jwt.verify('token', { cryptKey: 'key', now: 1700000000 });
if (v.valid) {
  const uid: number = v.uid;
  void uid;
} else {
  const reason: 'malformed' | 'bad_alg' | 'bad_signature' | 'missing_claim' | 'expired' | 'revoked' | 'bad_key' = v.reason;
  void reason;
}

const sources: Sources = {
  jwt: { cryptKey: 'key', revoked: [{ userType: 3, id: 5, before: 1700000000 }] },
  adminRole: (id) => (id === 1 ? ['Magento_Customer::customer'] : null),
  integrationRole: { 3: 'all' },
  session: (sid) => (sid === 'abc' ? { id: 7 } : null),
  placeholders: (caller) => (caller.type === 'customer' ? { cartId: 42 } : null),
};
const gateway: Gateway = engine.gateway(sources);
const a: Authorized = gateway.authorize({ method: 'GET', url: 'https://shop.example.com/rest/V1/customers/me', headers: { Authorization: 'Bearer x' } });
const forwardBody: string | null = a.requestBody;
const who2: string | undefined = a.identity?.via;
if (!a.allowed && !a.identity?.needsOrigin) {
  const refusal = new Response(a.body, { status: a.status });
  void refusal;
}
gateway.revoke(3, 5, 1700000000);
gateway.free();
void forwardBody; void who2;

const client = createClient({ baseUrl: 'https://shop.example.com', engine, auth: { type: 'session' } });
const allowed: boolean = client.can('GET', '/V1/customers/me').allowed;

try {
  Engine.fromXml({ webapi: ['<routes>'] });
} catch (e) {
  if (e instanceof ConfigError) {
    const where: string = `${e.file}:${e.line}:${e.column}`;
    void where;
  }
}

void status; void body; void missing; void header; void allowed;
