// What the demo store and its edge share: the store's `crypt/key` (app/etc/env.php)
// and the integration's OAuth credentials. DEMO VALUES ONLY — a real store keeps these
// secret, and an edge gets them from its secret store, never from a public file.
export const CRYPT_KEY = 'demo-crypt-key-2f8a1c9e4b7d6035e1c2';

/** The "Stock sync" integration: consumer and access token, and its ACL resources. */
export const INTEGRATION = {
  id: 1,
  name: 'Stock sync',
  consumerKey: 'demo0consumer0key0000000000000001',
  consumerSecret: 'demo0consumer0secret000000000001',
  token: 'demo0access0token000000000000001',
  tokenSecret: 'demo0access0token0secret00000001',
  resources: ['Magento_Catalog::products', 'Magento_CatalogInventory::cataloginventory'],
};

/** The OAuth credential file both the edge and the origin verify with. */
export const OAUTH_CREDENTIALS = {
  consumers: { [INTEGRATION.consumerKey]: { secret: INTEGRATION.consumerSecret, id: 1, integration: { id: INTEGRATION.id, active: true } } },
  tokens: { [INTEGRATION.token]: { secret: INTEGRATION.tokenSecret, consumer: INTEGRATION.consumerKey, type: 'access' } },
};

/** Magento 2.4.7's OAuth profile (laminas-oauth base strings). */
export const OAUTH_PROFILE = 'magento-2.4.7';

/** Magento's default session cookie. */
export const SESSION_COOKIE = 'PHPSESSID';
