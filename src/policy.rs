//! The compiled, immutable policy: routes, their index, the ACL and the store list.

use crate::acl::{AclTree, Role, RoleSource, RuleRow};
use crate::authorize::{self, Authorized};
use crate::config::{self, RouteDef, XmlOptions};
use crate::decide::{self, Decision, PathParams, Request, RouteAccess};
use crate::diag::{ConfigError, Diagnostic};
use crate::forced::Placeholders;
use crate::identity::{HttpRequest, Sources};
use crate::principal::Principal;
use crate::router::path::{Store, StoreError, Stores};
use crate::router::Router;

/// The routes `webapi/webapisecurity/allow_insecure` opens in Magento 2.4.7
/// (`WebapiSecurity/etc/di.xml`, spec §5), as `url::METHOD`.
pub const DEFAULT_INSECURE_ROUTES: [&str; 31] = [
    "/V1/products::GET",
    "/V1/products/:sku::GET",
    "/V1/products/attributes/:attributeCode::GET",
    "/V1/products/types::GET",
    "/V1/products/attribute-sets/sets/list::GET",
    "/V1/products/attribute-sets/:attributeSetId::GET",
    "/V1/products/attribute-sets/:attributeSetId/attributes::GET",
    "/V1/products/attribute-sets/groups/list::GET",
    "/V1/products/attributes/:attributeCode/options::GET",
    "/V1/products/media/types/:attributeSetName::GET",
    "/V1/products/:sku/media/:entryId::GET",
    "/V1/products/:sku/media::GET",
    "/V1/products/:sku/group-prices/:customerGroupId/tiers::GET",
    "/V1/categories/:categoryId::GET",
    "/V1/categories::GET",
    "/V1/products/:sku/options::GET",
    "/V1/products/:sku/options/:optionId::GET",
    "/V1/products/links/types::GET",
    "/V1/products/links/:type/attributes::GET",
    "/V1/products/:sku/links/:type::GET",
    "/V1/categories/:categoryId/products::GET",
    "/V1/stockStatuses/:productSku::GET",
    "/V1/configurable-products/:sku/children::GET",
    "/V1/configurable-products/:sku/options/:id::GET",
    "/V1/configurable-products/:sku/options/all::GET",
    "/V1/cmsPage/:pageId::GET",
    "/V1/cmsBlock/:blockId::GET",
    "/V1/store/storeViews::GET",
    "/V1/store/storeGroups::GET",
    "/V1/store/websites::GET",
    "/V1/store/storeConfigs::GET",
];

/// How customer accounts are shared (`customer/account_share/scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountShare {
    /// Per website (Magento's default): `self` only in stores of the customer's website.
    #[default]
    Website,
    /// Global: `self` in every store view (never in the admin store 0).
    Global,
}

/// Settings that change decisions but do not come from webapi.xml / acl.xml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `webapi/webapisecurity/allow_insecure` (default off).
    pub allow_insecure: bool,
    /// The routes that flag opens, as `url::METHOD`.
    pub insecure_routes: Vec<String>,
    /// Base URL path in front of `/rest` (`""`, `/index.php`, `/shop`…).
    pub base_path: String,
    /// Customer account sharing scope.
    pub account_share: AccountShare,
    /// Request-size limits (not stored in bundles: a runtime setting).
    pub limits: Limits,
}

/// Bounds on hostile requests, checked before any parsing. Each refusal has its HTTP
/// status and a Magento-shaped body (`{"message":…}`); the defaults are what common
/// web servers in front of Magento allow.
///
/// ```
/// use mage_policy::{Limits, Outcome, Policy, Principal, Request};
/// let policy = Policy::builder()
///     .limits(Limits { max_path_bytes: 64, ..Limits::default() })
///     .build()
///     .unwrap();
/// let long = format!("/rest/V1/{}", "a".repeat(60));
/// let d = policy.decide(&Request::new("GET", &long), &Principal::Guest);
/// assert_eq!((d.outcome(), d.status()), (Outcome::TooLong, 414));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest request path (without the query), in bytes: 414 beyond (default 8 KiB,
    /// nginx's `large_client_header_buffers`).
    pub max_path_bytes: usize,
    /// Longest header value, in bytes: 431 beyond (default 16 KiB).
    pub max_header_bytes: usize,
    /// Most headers in one request: 431 beyond (default 100, Apache's
    /// `LimitRequestFields`).
    pub max_headers: usize,
    /// Largest request body that forced parameters are applied to: 413 beyond
    /// (default 1 MiB). JSON nesting is limited to 64 levels besides.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_path_bytes: 8 << 10,
            max_header_bytes: 16 << 10,
            max_headers: 100,
            max_body_bytes: 1 << 20,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            allow_insecure: false,
            insecure_routes: DEFAULT_INSECURE_ROUTES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            base_path: String::new(),
            account_share: AccountShare::Website,
            limits: Limits::default(),
        }
    }
}

/// A resource ref compiled for fast checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ref {
    Anonymous,
    SelfCheck,
    Acl(u32),
    /// Not an effective ACL id (undefined, disabled, or a comma-joined string).
    Unknown,
}

/// A loaded Magento web API policy. Cheap to share (`&Policy` is all a decision needs)
/// and immutable: build it once, decide many times.
///
/// ```
/// use mage_policy::{Policy, Principal, Request};
/// let policy = Policy::builder()
///     .webapi("Customer/etc/webapi.xml", r#"<routes>
///         <route url="/V1/customers/me" method="GET">
///             <service class="Magento\Customer\Api\CustomerRepositoryInterface" method="getById"/>
///             <resources><resource ref="self"/></resources>
///         </route></routes>"#)
///     .build()?;
/// let d = policy.decide(&Request::new("GET", "/rest/V1/customers/me"), &Principal::Guest);
/// assert_eq!(d.status(), 401);
/// assert_eq!(d.body().unwrap(),
///     r#"{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"self"}}"#);
/// let me = Principal::customer(5, 1);
/// assert!(policy.decide(&Request::new("GET", "/rest/default/V1/customers/me"), &me).allowed());
/// # Ok::<(), mage_policy::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Policy {
    pub(crate) routes: Vec<RouteDef>,
    /// Effective refs per route (after allow_insecure), compiled.
    pub(crate) refs: Vec<Vec<Ref>>,
    /// Whether allow_insecure replaced the route's resources.
    pub(crate) opened: Vec<bool>,
    pub(crate) acl: AclTree,
    pub(crate) acl_fingerprint: u64,
    pub(crate) router: Router,
    pub(crate) stores: Stores,
    pub(crate) settings: Settings,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The admin store (`/rest/all/…`), kept here so decisions can borrow it.
    pub(crate) admin_store: Store,
    /// `["anonymous"]`, borrowed by decisions for routes allow_insecure opened.
    pub(crate) anonymous_refs: Vec<String>,
}

/// Collects configuration files and settings, then builds a [`Policy`].
#[derive(Debug, Clone, Default)]
pub struct PolicyBuilder {
    webapi: Vec<(String, String)>,
    acl: Vec<(String, String)>,
    settings: Settings,
    stores: Option<Stores>,
    xml: XmlOptions,
    extra: Vec<Diagnostic>,
}

impl PolicyBuilder {
    /// Add a `webapi.xml`; files merge in the order added (Magento's module order).
    pub fn webapi(mut self, name: impl Into<String>, xml: impl Into<String>) -> Self {
        self.webapi.push((name.into(), xml.into()));
        self
    }

    /// Add an `acl.xml`; files merge in the order added.
    pub fn acl(mut self, name: impl Into<String>, xml: impl Into<String>) -> Self {
        self.acl.push((name.into(), xml.into()));
        self
    }

    /// Request-size limits (see [`Limits`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.settings.limits = limits;
        self
    }

    /// `webapi/webapisecurity/allow_insecure`: open the insecure-route list to guests.
    pub fn allow_insecure(mut self, on: bool) -> Self {
        self.settings.allow_insecure = on;
        self
    }

    /// Replace the routes `allow_insecure` opens (`url::METHOD` each).
    pub fn insecure_routes<I, S>(mut self, routes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.insecure_routes = routes.into_iter().map(Into::into).collect();
        self
    }

    /// Read the insecure-route list from `Magento/WebapiSecurity/etc/di.xml` (the
    /// `resources` argument of `AnonymousResourceSecurity`). Errors are reported by
    /// [`build`](Self::build).
    pub fn insecure_routes_from_di_xml(mut self, name: &str, xml: &str) -> Self {
        match crate::config::di::insecure_routes(name, xml) {
            Ok(list) => self.settings.insecure_routes = list,
            Err(d) => self.extra.push(d),
        }
        self
    }

    /// The store views (default: `default`, id 1, website 1).
    pub fn stores(mut self, stores: Stores) -> Self {
        self.stores = Some(stores);
        self
    }

    /// Base URL path in front of `/rest` (e.g. `/index.php`).
    pub fn base_path(mut self, base: impl Into<String>) -> Self {
        self.settings.base_path = base.into().trim_end_matches('/').to_string();
        self
    }

    /// Customer account sharing scope (default: per website).
    pub fn account_share(mut self, share: AccountShare) -> Self {
        self.settings.account_share = share;
        self
    }

    /// XML size limits.
    pub fn xml_options(mut self, opts: XmlOptions) -> Self {
        self.xml = opts;
        self
    }

    /// Parse, merge and compile. Warnings are kept in [`Policy::diagnostics`].
    pub fn build(self) -> Result<Policy, ConfigError> {
        if self.extra.iter().any(Diagnostic::is_error) {
            return Err(ConfigError {
                diagnostics: self.extra,
            });
        }
        let loaded = config::load(&self.webapi, &self.acl, self.xml)?;
        let mut diagnostics = self.extra;
        diagnostics.extend(loaded.diagnostics);
        Ok(Policy::from_parts(
            loaded.routes.routes,
            None,
            loaded.acl,
            self.stores.unwrap_or_default(),
            self.settings,
            diagnostics,
        ))
    }
}

impl Policy {
    /// Start building a policy.
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    /// `ranked`: the routes' candidate order when already known (a bundle's, checked).
    pub(crate) fn from_parts(
        routes: Vec<RouteDef>,
        ranked: Option<Vec<u32>>,
        acl: AclTree,
        stores: Stores,
        settings: Settings,
        diagnostics: Vec<Diagnostic>,
    ) -> Policy {
        let ranked = ranked.unwrap_or_else(|| crate::router::candidate_order(&routes));
        let router = Router::new(&routes, &ranked);
        let mut opened = vec![false; routes.len()];
        if settings.allow_insecure {
            // AnonymousResourceSecurity::afterConvert: explode('::') and replace the
            // resources of routes that exist with exactly {anonymous}.
            for item in &settings.insecure_routes {
                let mut parts = item.split("::");
                let (Some(url), Some(method)) = (parts.next(), parts.next()) else {
                    continue;
                };
                if let Some(i) = router.exact_route(url, method) {
                    opened[i as usize] = true;
                }
            }
        }
        let refs = routes
            .iter()
            .zip(&opened)
            .map(|(r, &open)| {
                if open {
                    return vec![Ref::Anonymous];
                }
                r.resources
                    .iter()
                    .map(|s| match s.as_str() {
                        "anonymous" => Ref::Anonymous,
                        "self" => Ref::SelfCheck,
                        id => acl.index_of(id).map(Ref::Acl).unwrap_or(Ref::Unknown),
                    })
                    .collect()
            })
            .collect();
        Policy {
            acl_fingerprint: acl.fingerprint(),
            routes,
            refs,
            opened,
            acl,
            router,
            stores,
            settings,
            diagnostics,
            admin_store: Store::admin(),
            anonymous_refs: vec!["anonymous".to_string()],
        }
    }

    /// The refs route `index` effectively requires (after allow_insecure).
    pub(crate) fn effective_refs(&self, index: usize) -> &[String] {
        if self.opened[index] {
            &self.anonymous_refs
        } else {
            &self.routes[index].resources
        }
    }

    /// Every route, in load order.
    pub fn routes(&self) -> &[RouteDef] {
        &self.routes
    }

    /// The resources a route effectively requires (`["anonymous"]` when allow_insecure
    /// opened it).
    pub fn effective_resources(&self, route: usize) -> Vec<&str> {
        if route >= self.routes.len() {
            return Vec::new();
        }
        self.effective_refs(route)
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// Whether allow_insecure opened route number `route`.
    pub fn opened_by_allow_insecure(&self, route: usize) -> bool {
        self.opened.get(route).copied().unwrap_or(false)
    }

    /// The merged ACL tree.
    pub fn acl(&self) -> &AclTree {
        &self.acl
    }

    /// The store list.
    pub fn stores(&self) -> &Stores {
        &self.stores
    }

    /// Change the request-size limits (e.g. of a policy loaded from a bundle, which
    /// starts with the defaults).
    pub fn set_limits(&mut self, limits: Limits) {
        self.settings.limits = limits;
    }

    /// The settings the policy was built with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Warnings found while loading.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// A role with "Resource Access: All".
    pub fn role_all(&self) -> Role {
        Role::compile(&self.acl, RoleSource::All)
    }

    /// A role saved from the role editor's ticked resources (spec §3.4 "Saving").
    /// `["Magento_Backend::all"]` alone means "all".
    pub fn role_from_resources<I, S>(&self, resources: I) -> Role
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Role::compile(
            &self.acl,
            RoleSource::Resources(resources.into_iter().map(Into::into).collect()),
        )
    }

    /// A role from raw `authorization_rule` rows.
    pub fn role_from_rules(&self, rules: Vec<RuleRow>) -> Role {
        Role::compile(&self.acl, RoleSource::Rules(rules))
    }

    /// Decide one request for one principal, as Magento would (spec §2–§3).
    pub fn decide<'p>(&'p self, req: &Request<'p>, principal: &Principal) -> Decision<'p> {
        let mut d = decide::route(self, req);
        decide::judge(self, &mut d, principal);
        d
    }

    /// Route selection alone (spec §2.3) on an already processed path such as
    /// `/V1/customers/12`: the winning route's index and its `urldecode`d variables.
    pub fn match_route<'p>(
        &'p self,
        method: &str,
        path: &'p str,
    ) -> Option<(usize, PathParams<'p>)> {
        self.router
            .lookup(path, method)
            .map(|m| (m.route as usize, m.params))
    }

    /// Whether `principal` passes route number `index`'s resource refs in the store
    /// named `store_code` (`None`: the default store; `Some("all")`: admin store 0),
    /// without routing a path. For listings: "every route this role may call".
    pub fn route_access<'p>(
        &'p self,
        index: usize,
        principal: &Principal,
        store_code: Option<&str>,
    ) -> RouteAccess<'p> {
        decide::route_access(self, index, principal, store_code)
    }

    /// Route, identify, decide and force parameters for one HTTP request (spec §2–§4,
    /// §3.2 order), routing it once. Identity is resolved lazily: a route whose refs
    /// are all `anonymous` (and which forces no placeholder) never evaluates
    /// credentials.
    pub fn authorize<'p>(
        &'p self,
        req: &'p HttpRequest<'p>,
        sources: &mut Sources<'_>,
        placeholders: &Placeholders,
    ) -> Authorized<'p> {
        authorize::authorize(self, req, sources, &mut |_| placeholders.clone())
    }

    /// [`Policy::authorize`] with the placeholder values computed for the identified
    /// caller (the customer's group, store and active cart are known only once the
    /// caller is): `placeholders` is called at most once, and only when the route
    /// forces a parameter.
    pub fn authorize_with<'p>(
        &'p self,
        req: &'p HttpRequest<'p>,
        sources: &mut Sources<'_>,
        placeholders: &mut dyn FnMut(&Principal) -> Placeholders,
    ) -> Authorized<'p> {
        authorize::authorize(self, req, sources, placeholders)
    }

    /// Replace the store list (the routes and ACL stay shared).
    pub fn with_stores(&self, stores: Stores) -> Policy {
        Policy {
            stores,
            ..self.clone()
        }
    }
}

impl From<StoreError> for ConfigError {
    fn from(e: StoreError) -> Self {
        ConfigError {
            diagnostics: vec![Diagnostic::error("bad-stores", e.to_string())],
        }
    }
}
