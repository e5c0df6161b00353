//! Engine options: the files, stores and settings a [`Policy`] is built from, read
//! from the JSON `Engine.fromXml` takes or from the command line's flags — one
//! mapping onto [`PolicyBuilder`] for both.
//!
//! ```
//! use mage_policy::boundary::options::EngineOptions;
//! let o = EngineOptions::from_json(r#"{
//!     "webapi": [{"name": "webapi.xml", "xml": "<routes/>"}],
//!     "stores": [{"code": "default", "id": 1, "websiteId": 1}, {"code": "fr", "id": 2, "websiteId": 2}],
//!     "basePath": "/index.php"
//! }"#)?;
//! let policy = o.build()?;
//! assert_eq!(policy.stores().get("fr").unwrap().website_id, 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde_json::Value;

use super::input::{self, InputError, Obj};
use crate::diag::{ConfigError, Diagnostic};
use crate::policy::{AccountShare, Limits, Policy, PolicyBuilder};
use crate::router::path::{Store, Stores};

/// Everything a policy is built from.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// `webapi.xml` files as (name, text), in Magento's module order.
    pub webapi: Vec<(String, String)>,
    /// `acl.xml` files as (name, text).
    pub acl: Vec<(String, String)>,
    /// `webapi/webapisecurity/allow_insecure`.
    pub allow_insecure: bool,
    /// The routes `allow_insecure` opens (`url::METHOD`), instead of 2.4.7's list.
    pub insecure_routes: Option<Vec<String>>,
    /// WebapiSecurity's `di.xml` as (name, text), to read that list from.
    pub webapi_security_di: Option<(String, String)>,
    /// The store views (default: `default`, store 1, website 1).
    pub stores: Option<Vec<Store>>,
    /// The store used when a path names none (default: the first store).
    pub default_store: Option<String>,
    /// Base URL path in front of `/rest` (`/index.php`, `/shop`).
    pub base_path: Option<String>,
    /// `customer/account_share/scope`.
    pub account_share: AccountShare,
    /// Request-size limits.
    pub limits: Limits,
}

const KNOWN: [&str; 10] = [
    "webapi",
    "acl",
    "allowInsecure",
    "insecureRoutes",
    "webapiSecurityDi",
    "stores",
    "defaultStore",
    "basePath",
    "accountShare",
    "limits",
];

fn named_xml(v: &Value, what: &str) -> Result<(String, String), InputError> {
    let o = input::obj(v, what)?;
    o.only(&["name", "xml"])?;
    Ok((
        o.req_str("name")?.to_string(),
        o.req_str("xml")?.to_string(),
    ))
}

fn store(v: &Value) -> Result<Store, InputError> {
    let o = input::obj(v, "stores[]")?;
    o.only(&["code", "id", "websiteId", "name"])?;
    let id = |k: &str| {
        o.uint(k, u32::MAX.into())?
            .map(|n| n as u32)
            .ok_or_else(|| InputError::new("stores[]", format!("`{k}` must be a whole number")))
    };
    Ok(Store {
        code: o.req_str("code")?.to_string(),
        id: id("id")?,
        website_id: id("websiteId")?,
    })
}

fn limits(o: Obj<'_>) -> Result<Limits, InputError> {
    o.only(&[
        "maxPathBytes",
        "maxHeaderBytes",
        "maxHeaders",
        "maxBodyBytes",
    ])?;
    let d = Limits::default();
    let n = |k: &str, default: usize| -> Result<usize, InputError> {
        Ok(o.uint(k, u32::MAX.into())?.map_or(default, |v| v as usize))
    };
    Ok(Limits {
        max_path_bytes: n("maxPathBytes", d.max_path_bytes)?,
        max_header_bytes: n("maxHeaderBytes", d.max_header_bytes)?,
        max_headers: n("maxHeaders", d.max_headers)?,
        max_body_bytes: n("maxBodyBytes", d.max_body_bytes)?,
    })
}

/// `website` or `global`.
pub fn account_share(s: &str) -> Result<AccountShare, InputError> {
    match s {
        "website" => Ok(AccountShare::Website),
        "global" => Ok(AccountShare::Global),
        other => Err(InputError::new(
            "accountShare",
            format!(
                "`{}` is not website or global",
                other.chars().take(64).collect::<String>()
            ),
        )),
    }
}

impl EngineOptions {
    /// Read `{webapi: [{name, xml}], acl: […], allowInsecure, insecureRoutes,
    /// webapiSecurityDi: {name, xml}, stores: [{code, id, websiteId}], defaultStore,
    /// basePath, accountShare: "website"|"global", limits: {maxPathBytes,
    /// maxHeaderBytes, maxHeaders, maxBodyBytes}}`. Unknown members are refused.
    pub fn from_json(text: &str) -> Result<EngineOptions, InputError> {
        let v = input::parse(text, "options")?;
        let i = input::obj(&v, "options")?;
        i.only(&KNOWN)?;
        let mut o = EngineOptions {
            allow_insecure: i.bool("allowInsecure")?,
            insecure_routes: i.strings("insecureRoutes")?,
            base_path: i.str("basePath")?.map(str::to_string),
            default_store: i.str("defaultStore")?.map(str::to_string),
            ..EngineOptions::default()
        };
        if let Some(di) = i.get("webapiSecurityDi") {
            o.webapi_security_di = Some(named_xml(di, "webapiSecurityDi")?);
        }
        if i.get("stores").is_some() {
            o.stores = Some(
                i.list("stores")?
                    .iter()
                    .map(store)
                    .collect::<Result<_, _>>()?,
            );
        }
        if let Some(s) = i.str("accountShare")? {
            o.account_share = account_share(s)?;
        }
        if let Some(l) = i.object("limits", "limits")? {
            o.limits = limits(l)?;
        }
        for x in i.list("webapi")? {
            o.webapi.push(named_xml(x, "webapi[]")?);
        }
        for x in i.list("acl")? {
            o.acl.push(named_xml(x, "acl[]")?);
        }
        Ok(o)
    }

    /// The store list these options describe (`None`: the default list).
    pub fn store_list(&self) -> Result<Option<Stores>, ConfigError> {
        match &self.stores {
            None => match self.default_store.as_deref() {
                None | Some("default") => Ok(None),
                Some(d) => Err(ConfigError {
                    diagnostics: vec![Diagnostic::error(
                        "bad-stores",
                        format!("default store `{d}` is not in the store list"),
                    )],
                }),
            },
            Some(list) => {
                let default = match &self.default_store {
                    Some(d) => d.clone(),
                    None => list.first().map(|s| s.code.clone()).unwrap_or_default(),
                };
                Ok(Some(Stores::new(list.clone(), &default)?))
            }
        }
    }

    /// The builder these options describe.
    pub fn builder(self) -> Result<PolicyBuilder, ConfigError> {
        let stores = self.store_list()?;
        let mut b = Policy::builder()
            .allow_insecure(self.allow_insecure)
            .account_share(self.account_share)
            .limits(self.limits);
        if let Some(r) = self.insecure_routes {
            b = b.insecure_routes(r);
        }
        if let Some((name, xml)) = &self.webapi_security_di {
            b = b.insecure_routes_from_di_xml(name, xml);
        }
        if let Some(s) = stores {
            b = b.stores(s);
        }
        if let Some(p) = self.base_path {
            b = b.base_path(p);
        }
        for (name, xml) in self.webapi {
            b = b.webapi(name, xml);
        }
        for (name, xml) in self.acl {
            b = b.acl(name, xml);
        }
        Ok(b)
    }

    /// Parse, merge and compile.
    pub fn build(self) -> Result<Policy, ConfigError> {
        self.builder()?.build()
    }
}
