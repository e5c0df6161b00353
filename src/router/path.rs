//! REST path processing (spec §2.2) and processor selection (spec §2.1 step 4).

use serde::{Deserialize, Serialize};

/// A store view: its code, id and website.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    /// Store code as used in URLs (`default`).
    pub code: String,
    /// `store_id`; 0 is the admin store.
    pub id: u32,
    /// `website_id` of the store's website; 0 for the admin store.
    pub website_id: u32,
}

impl Store {
    /// The admin store (`admin`, id 0, website 0), selected by `/rest/all/...`.
    pub fn admin() -> Store {
        Store {
            code: "admin".into(),
            id: 0,
            website_id: 0,
        }
    }
}

/// The store views a request path may name, and the one used when it names none.
///
/// Magento looks store codes up exactly (case-sensitive) among all store views,
/// inactive ones included, admin excluded; `all` selects the admin store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stores {
    /// Store code → position in `list`.
    by_code: crate::fasthash::FastMap<String, u32>,
    list: Vec<Store>,
    default: Store,
}

impl Default for Stores {
    /// A fresh install: one store view `default` (id 1) on website 1.
    fn default() -> Self {
        let default = Store {
            code: "default".into(),
            id: 1,
            website_id: 1,
        };
        Stores::new(vec![default], "default").expect("the built-in store list is valid")
    }
}

/// A store list that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The default store code is not in the list.
    #[error("default store `{0}` is not in the store list")]
    UnknownDefault(String),
    /// Two stores share a code.
    #[error("store code `{0}` is listed twice")]
    DuplicateCode(String),
    /// `admin` and `all` are reserved.
    #[error("store code `{0}` is reserved (the admin store is selected with `all`)")]
    Reserved(String),
}

impl Stores {
    /// Build a store list; `default` names the store used when a path has no store code.
    pub fn new(stores: Vec<Store>, default: &str) -> Result<Stores, StoreError> {
        let mut by_code = crate::fasthash::FastMap::default();
        for (i, s) in stores.iter().enumerate() {
            if s.code == "admin" || s.code == "all" {
                return Err(StoreError::Reserved(s.code.clone()));
            }
            if by_code.insert(s.code.clone(), i as u32).is_some() {
                return Err(StoreError::DuplicateCode(s.code.clone()));
            }
        }
        let default = by_code
            .get(default)
            .map(|&i| stores[i as usize].clone())
            .ok_or_else(|| StoreError::UnknownDefault(default.to_string()))?;
        Ok(Stores {
            by_code,
            list: stores,
            default,
        })
    }

    /// The store named by `code`, if any.
    pub fn get(&self, code: &str) -> Option<&Store> {
        self.by_code.get(code).map(|&i| &self.list[i as usize])
    }

    /// The store used when a path names none.
    pub fn default_store(&self) -> &Store {
        &self.default
    }

    /// All stores, in the order given.
    pub fn list(&self) -> &[Store] {
        &self.list
    }
}

/// Which REST request processor takes the request (spec §2.1 step 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Processor {
    /// `/V<n>/…`: the synchronous processor.
    Sync,
    /// `/async/V…` (not GET): queued, same routes and authorization.
    Async,
    /// `/async/bulk/V…` (not GET): bulk routes (`/by<Param>` forms).
    AsyncBulk,
    /// `schema…`: the Swagger schema, open to everyone (it lists only what the caller may call).
    Schema,
}

impl Processor {
    /// `sync`, `async`, `async-bulk` or `schema`.
    pub fn name(self) -> &'static str {
        match self {
            Processor::Sync => "sync",
            Processor::Async => "async",
            Processor::AsyncBulk => "async-bulk",
            Processor::Schema => "schema",
        }
    }
}

/// The result of path processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Processed<'a> {
    /// Path after the store code (e.g. `/V1/customers/me`), borrowed from the request.
    pub path: &'a str,
    /// `None`: the path names no store; the default store applies.
    pub store: StoreSel<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoreSel<'a> {
    Default,
    Named(&'a Store),
    Admin,
}

/// Why a path is not a REST API path at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotRest {
    /// The path does not start with the configured base path.
    OutsideBase,
    /// The first segment is not the `rest` front name.
    NotRestArea,
}

/// `PathInfo` + `PathProcessor::process` (spec §2.2). The query string is ignored;
/// `base_path` is the install's base URL path (e.g. `/index.php` or `/shop`), `""` by
/// default.
pub(crate) fn process<'a>(
    raw: &'a str,
    base_path: &str,
    stores: &'a Stores,
) -> Result<Processed<'a>, NotRest> {
    let end = raw
        .bytes()
        .position(|b| b == b'?' || b == b'#')
        .unwrap_or(raw.len());
    let no_query = &raw[..end];
    let rest = if base_path.is_empty() {
        no_query
    } else {
        no_query
            .strip_prefix(base_path)
            .ok_or(NotRest::OutsideBase)?
    };
    // PathInfo collapses leading repeated slashes; stripPathBeforeStorecode then trims
    // every leading and trailing slash anyway.
    let trimmed = trim_slashes(rest);
    let (front, after) = match trimmed.find('/') {
        Some(i) => (&trimmed[..i], &trimmed[i..]), // `after` keeps its leading '/'
        None => (trimmed, ""),
    };
    if front != "rest" {
        return Err(NotRest::NotRestArea);
    }
    // explode('/', implode('/', rest-of-segments), 2): candidate store code and remainder.
    let joined = after.strip_prefix('/').unwrap_or(after);
    let (candidate, remainder_with_slash) = match joined.find('/') {
        Some(i) => (&joined[..i], Some(&joined[i..])),
        None => (joined, None),
    };
    let store_path = |sel| Processed {
        path: remainder_with_slash.unwrap_or("/"),
        store: sel,
    };
    if let Some(store) = stores.get(candidate) {
        return Ok(store_path(StoreSel::Named(store)));
    }
    if candidate == "all" {
        return Ok(store_path(StoreSel::Admin));
    }
    // Not a store code: the whole remainder is the path, "/" + joined.
    Ok(Processed {
        path: if after.is_empty() { "/" } else { after },
        store: StoreSel::Default,
    })
}

/// `trim($s, '/')`, on bytes.
pub(crate) fn trim_slashes(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b.iter().position(|&c| c != b'/').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c != b'/').map_or(start, |i| i + 1);
    &s[start..end]
}

/// Processor selection in `sortOrder`; returns the processor and the path its
/// router sees (the `(/V.+)` group for async).
pub(crate) fn select_processor<'a>(path: &'a str, method: &str) -> Option<(Processor, &'a str)> {
    let ltrimmed = &path[path.bytes().position(|c| c != b'/').unwrap_or(path.len())..];
    // SchemaRequestProcessor (50): ltrim(path, '/') starts with "schema". The async
    // schema processors (60, 180) answer `async/schema` and `async/bulk/schema` the same way.
    if ltrimmed.starts_with("schema")
        || ltrimmed.starts_with("async/schema")
        || ltrimmed.starts_with("async/bulk/schema")
    {
        return Some((Processor::Schema, path));
    }
    // SynchronousRequestProcessor (100): /^\/V\d+/
    if let [b'/', b'V', d, ..] = path.as_bytes() {
        if d.is_ascii_digit() {
            return Some((Processor::Sync, path));
        }
    }
    if method == "GET" {
        return None;
    }
    // AsynchronousRequestProcessor (150): /^\/async(\/V.+)/
    if let Some(inner) = path.strip_prefix("/async") {
        if inner.starts_with("/V") && inner.len() > 2 && !inner[2..].starts_with('\n') {
            return Some((Processor::Async, inner));
        }
    }
    // Bulk (200): /^\/async\/bulk(\/V.+)/
    if let Some(inner) = path.strip_prefix("/async/bulk") {
        if inner.starts_with("/V") && inner.len() > 2 && !inner[2..].starts_with('\n') {
            return Some((Processor::AsyncBulk, inner));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(raw: &str) -> (String, &'static str) {
        let stores: &'static Stores = Box::leak(Box::new(Stores::default()));
        let r = process(raw, "", stores).unwrap();
        let s = match r.store {
            StoreSel::Default => "default-store",
            StoreSel::Named(_) => "named",
            StoreSel::Admin => "admin",
        };
        (r.path.to_string(), s)
    }

    #[test]
    fn spec_2_2_examples() {
        assert_eq!(
            p("/rest/V1/customers/me/"),
            ("/V1/customers/me".into(), "default-store")
        );
        assert_eq!(p("/rest/default/V1/x"), ("/V1/x".into(), "named"));
        assert_eq!(p("/rest/all/V1/x"), ("/V1/x".into(), "admin"));
        assert_eq!(
            p("/rest/admin/V1/x"),
            ("/admin/V1/x".into(), "default-store")
        );
        assert_eq!(
            p("/rest/DEFAULT/V1/x"),
            ("/DEFAULT/V1/x".into(), "default-store")
        );
        assert_eq!(
            p("/rest/V1//customers"),
            ("/V1//customers".into(), "default-store")
        );
        assert_eq!(p("//rest/V1/x?y=1"), ("/V1/x".into(), "default-store"));
        assert_eq!(p("/rest"), ("/".into(), "default-store"));
        assert_eq!(p("/rest/default"), ("/".into(), "named"));
        assert_eq!(
            p("/rest//default/V1"),
            ("//default/V1".into(), "default-store")
        );
    }

    #[test]
    fn non_rest_paths_are_refused() {
        let stores = Stores::default();
        assert_eq!(process("/graphql", "", &stores), Err(NotRest::NotRestArea));
        assert_eq!(process("/", "", &stores), Err(NotRest::NotRestArea));
        assert_eq!(
            process("/rest/V1/x", "/shop", &stores),
            Err(NotRest::OutsideBase)
        );
        assert_eq!(
            process("/shop/rest/V1/x", "/shop", &stores).unwrap().path,
            "/V1/x"
        );
    }

    #[test]
    fn processors() {
        assert_eq!(
            select_processor("/V1/x", "GET"),
            Some((Processor::Sync, "/V1/x"))
        );
        assert_eq!(select_processor("/v1/x", "GET"), None);
        assert_eq!(select_processor("/Vx", "GET"), None);
        assert_eq!(
            select_processor("/async/V1/x", "POST"),
            Some((Processor::Async, "/V1/x"))
        );
        assert_eq!(select_processor("/async/V1/x", "GET"), None);
        assert_eq!(
            select_processor("/async/bulk/V1/x", "POST"),
            Some((Processor::AsyncBulk, "/V1/x"))
        );
        assert_eq!(
            select_processor("/schema", "GET"),
            Some((Processor::Schema, "/schema"))
        );
    }
}
