//! # Magento quirks reproduced on purpose
//!
//! mage-policy answers exactly as Magento Open Source 2.4.7-p8 does, including where
//! Magento surprises. Each item cites the behaviour specification
//! (`reference/magento-webapi.md`, "spec" below). Where the specification is silent,
//! the choice made is listed at the end under [Choices](#choices-where-the-specification-is-silent).
//!
//! ## Configuration (spec §1)
//!
//! * **`secure="false"` means secure.** Magento casts the trimmed attribute with PHP
//!   `(bool)`: every non-empty string except `"0"` is true (§1.2 rule 3).
//! * **`force` uses `filter_var`**: only `1`, `true`, `on`, `yes` (any case, spaces
//!   ignored) force; `force="2"` does not (§1.2 rule 4).
//! * **Parameter values are not trimmed**: ` %customer_id% ` is a literal string, and
//!   the exact text `null` is a null value (§1.2 rule 5).
//! * **Resource refs are never split**: `ref="A, B"` is one (unknown) id, which only
//!   roles with "all resources" pass (§1.2 rule 6). A warning says so.
//! * **Merging only adds requirements.** Routes merge by url+method; resource refs are
//!   unioned and then AND-ed, so a later module adding `anonymous` does not open a route
//!   (§1.3, §1.4). The service is replaced by the later file.
//! * **The first file is the base document**: duplicates inside it stay (the later one
//!   wins at conversion, with a warning); a later file that matches two of them fails
//!   with Magento's "More than one node matching" error (§1.3).
//! * **Disabled ACL nodes vanish with their subtrees**: `disabled="true"` exactly
//!   (§3.4). The corpus has 231 ids, 228 effective.
//!
//! ## Routing (spec §2)
//!
//! * **The last match wins**, in byte order of the route urls. `:` sorts after digits,
//!   `-` and `.`, before letters: a literal segment starting with a letter beats a
//!   variable, one starting with a digit, `-` or `.` loses to it (§2.3).
//! * **The exact shortcut comes first**: a path byte-equal to a route url is that route,
//!   whatever else matches.
//! * **Percent-encoding defeats literals**: `GET /V1/customers/m%65` misses the
//!   `/V1/customers/me` literal and reaches `/V1/customers/:customerId` with
//!   `customerId = "me"` (admin resource). Variables are PHP-`urldecode`d (`+` is a space).
//! * **`DELETE /V1/customers/me`** falls through to the variable route and needs
//!   `Magento_Customer::delete`.
//! * **Losing candidates leave parameters behind**: `PUT /V1/carts/mine/items/5` also
//!   matches `/V1/carts/:cartId/items/:itemId`, so `cartId = "mine"` stays in the
//!   request params ([`Decision::leftover_params`](crate::Decision::leftover_params), §4.4).
//! * **Literals compare with PHP `==`**: `1`, `01`, `1.0` and `1e0` are equal numeric
//!   strings; letters compare case-sensitively (§2.3).
//! * **Store codes are exact and case-sensitive**: `/rest/DEFAULT/V1/...` keeps `DEFAULT`
//!   in the path, which then fails the `^/V\d+` processor check: 400, not 404.
//!   `/rest/v1/...` is 400 too. `/rest/all/...` selects the admin store (id 0) for every
//!   method, GET included (§2.2).
//! * **Trailing slashes never matter; inner double slashes do**: `/V1//customers` has no
//!   service base and is a 404 (§2.2, §2.3).
//! * **Order of refusals**: method (405) → processor (400) → route (404) → authorization
//!   (401) → HTTPS (400). A guest on an HTTPS-only route over HTTP gets 401 (§2.1).
//!
//! ## Authorization (spec §3)
//!
//! * **There is no 403.** Not authenticated and not authorized are the same 401 with the
//!   same body, whose message keeps the `%resources` placeholder and lists every ref of
//!   the route (not only the missing ones) in `parameters.resources` (§3.7).
//! * **`self` is granted to admins and integrations with "all resources"** and to no
//!   other admin: `self` is not an ACL resource, so Magento falls back to "is this role
//!   allowed everything" (§3.3).
//! * **Customers pass `self` only in stores of their own website** (or every store view
//!   with global account sharing), never in the admin store 0, never as an id of 0, and
//!   never when only recognised through the persistent cart (§3.3).
//! * **Saved roles deny unticked children explicitly**: ticking a parent does not grant
//!   its children, because Magento saves a deny row for every unticked node and adds
//!   `Magento_Backend::admin` to every non-"all" list (§3.4).
//! * **`allow_insecure` replaces** the listed routes' resources by exactly `anonymous`;
//!   everything else stays as declared (§5).
//! * **Bodies are PHP `json_encode` output**: `/` is written `\/`, non-ASCII as
//!   `\uXXXX`.
//!
//! ## Forced parameters (spec §4)
//!
//! * Only the **entire** parameter text can be a placeholder; for anyone but a customer
//!   every placeholder is `null`.
//! * Presence (for `force="false"`) is checked on camelCased keys, and a `null` value is
//!   absent. Writing prefers an existing camelCase key, else writes the key as
//!   configured: `{"cart_item":{…}}` plus forced `cartItem.quote_id` creates a *new*
//!   `cartItem` object next to `cart_item` (§4.2).
//!
//! ## Callers and credentials (spec §3.2, §6–§8)
//!
//! * **A bad bearer token is no token**: wrong scheme, three parts, expired, revoked,
//!   bad signature — the chain goes on to the session and OAuth, and ends as a guest
//!   (401 on protected routes, allowed on anonymous ones).
//! * **The session counts only with `X-Requested-With: XMLHttpRequest`**, value
//!   exact and case-sensitive; the bearer token wins over the session.
//! * **JWT**: the key is the *last* `crypt/key` entry padded with `&` to 2048 bytes
//!   (left side the smaller half); `exp <= now` is expired (the second of expiry is
//!   already dead), except integration tokens, which never expire; revocation is
//!   `iat <= revoke_before`, so a token issued in the revocation second is dead too.
//! * **OAuth 2.4.7**: `+` in a query value is a plus, not a space; names sort in PHP's
//!   natural order (`a9 < a10`, `a001 < a01 < a1`); `%2F` in the path is signed as `/`;
//!   default ports are dropped; `oauth_*` parameters only in the query are ignored;
//!   form arrays are signed as the string `Array`.
//! * **OAuth 2.4.8** signs the URL as sent (host case, `:443`, `%2F` kept) and
//!   re-parses the query: plain keys are form-decoded (`+` is a space), bracketed keys
//!   keep the raw value, `debug` is signed as `debug=`; numeric keys and form arrays
//!   make Magento fail with a 500, which the signer reports instead of guessing.
//! * **Signed parameters are bytes**, as PHP holds them: `?q=%FF` is decoded to the byte
//!   0xFF and signed as `q%3D%25FF`, as Magento does (not as U+FFFD, which would sign
//!   `%25EF%25BF%25BD`), in both profiles.
//! * **Old timestamps are accepted** (only `> now + 600 s` is refused), the nonce is
//!   burnt before the signature is checked, and nonces longer than 32 characters
//!   collide on their first 32 (`varchar(32)`); all three are reproduced.
//!
//! ## Choices where the specification is silent
//!
//! * **Paths outside `<base>/rest/`** are [`Outcome::NotRest`](crate::Outcome::NotRest):
//!   status 404 and no JSON body, since Magento's storefront would answer with its HTML
//!   "page not found".
//! * **Asynchronous bulk routes** (`/async/bulk/V1/…`, whose routes use `/by<Param>`
//!   forms) are not modelled: [`Outcome::NotModelled`](crate::Outcome::NotModelled),
//!   status 501, never "allowed". Plain async calls (`/async/V1/…`, not GET) use the same
//!   routes and authorization as sync calls and answer 202 when allowed.
//! * **Schema requests** (`schema…`, `async/schema…`, `async/bulk/schema…`) are allowed
//!   for everyone: Magento's generated schema only lists what the caller may call.
//! * **Unknown methods** appear in the 405 message upper-cased and cut to 32 characters.
//! * **Percent-decoded variables that are not UTF-8** are shown with U+FFFD
//!   replacement characters (PHP strings are bytes). OAuth parameters stay bytes (see
//!   above); only a non-UTF-8 `oauth_nonce` is remembered in its U+FFFD form, so two
//!   such nonces may collide (a refusal, never an acceptance).
//! * **PHP numeric strings** follow PHP 8's `zendi_smart_str_equals`, including its
//!   fallback to a string comparison when both sides overflow 64-bit integers.
//! * **A route without `<service>` or `<resources>` is an error** (Magento's converter
//!   fails on it); an empty `<resources/>` loads with a warning and is allowed for
//!   everyone, as in Magento (§1.4).
//! * **Unknown elements and attributes** are ignored with a warning; a route that
//!   references an id no loaded acl.xml defines gets a warning.
//! * **An ACL id under two different parents** is an error (Laminas refuses to add a
//!   resource twice, so Magento's ACL fails to build).
//! * **Roles from raw rule rows** apply Magento's "no row ⇒ deny for roles with denies"
//!   pass to that role's own rows; this is exact when all roles were saved against the
//!   same ACL.
//! * **A placeholder whose value the caller did not supply** (group, store, cart) is an
//!   error, never a silent `null`; a customer without an active cart gets Magento's 404
//!   `Current customer does not have an active cart.`
//! * **Store codes `admin` and `all` cannot be configured** as store views.
//! * **Parameter names PHP cannot order consistently** (2.4.8's `ksort` mixes numeric
//!   and string comparison, which is not transitive: `"10" < "9a" < "9" < "10"`) are
//!   ordered by a stable insertion sort; PHP's own order for such sets depends on its
//!   sort algorithm, so a signature over them may not match Magento's. Consistent keys
//!   (all numeric, or none) are ordered exactly as PHP 8 does.
//! * **Request-size limits** ([`Limits`](crate::Limits)): paths over 8 KiB are 414
//!   [`Outcome::TooLong`](crate::Outcome::TooLong), more than 100 headers or a header
//!   over 16 KiB 431, bodies over 1 MiB 413 — what the web server in front of Magento
//!   would answer; Magento itself has no such limits. OAuth requests with more than
//!   1000 parameters in the header, query or form body are 400
//!   `too-many-parameters` (PHP's `max_input_vars`).
//! * **JWT odd forms are refused** rather than imitated: Magento's reader also accepts
//!   JSON-serialised JWS, `b64:false` tokens and string or boolean claims (`"5"`,
//!   `true`); an edge verifier rejects them (the store still has the last word).
//! * **Nonces compare like Magento's MySQL column**: ASCII case folded, trailing
//!   spaces ignored, first 32 characters.
//! * **`MemoryNonces` forgets a nonce 2 hours after it was recorded** (Magento: 2 hours
//!   after its *client* timestamp, on a 1-in-100 cleanup); a replay after that is not
//!   detected, in Magento either.
