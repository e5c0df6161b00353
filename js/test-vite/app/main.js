// A tiny app importing the package by name, as a storefront widget would.
import init, { Engine, oauth } from 'mage-policy';

const WEBAPI = `<routes>
  <route url="/V1/customers/me" method="GET"><service class="C" method="getById"/><resources><resource ref="self"/></resources></route>
  <route url="/V1/directory/countries" method="GET"><service class="D" method="get"/><resources><resource ref="anonymous"/></resources></route>
</routes>`;

const out = document.getElementById('out');
try {
  await init();
  const engine = Engine.fromXml({ webapi: [{ name: 'webapi.xml', xml: WEBAPI }] });
  window.result = {
    guestMe: engine.decide('GET', '/rest/V1/customers/me').status,
    customerMe: engine.decide('GET', '/rest/V1/customers/me', { type: 'customer', id: 5 }).status,
    countries: engine.decide('GET', '/rest/V1/directory/countries').status,
    signature: oauth.sign({ method: 'GET', url: 'https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10' },
      { consumerKey: 'a'.repeat(32), consumerSecret: 'c'.repeat(32), token: 'b'.repeat(32), tokenSecret: 'd'.repeat(32) },
      { nonce: 'n0nce', timestamp: 1700000000 }).signature,
  };
} catch (e) {
  window.result = { error: String(e && e.stack || e) };
}
out.textContent = JSON.stringify(window.result, null, 2);
