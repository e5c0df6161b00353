//! Loading Magento configuration: `webapi.xml` and `acl.xml` files, parsed with
//! quick-xml, merged in load order with Magento's rules (spec §1.2–§1.3, §3.4), and
//! converted into routes and the ACL tree. Every problem is a [`Diagnostic`] that
//! names the file, line and column.

mod acl;
pub(crate) mod di;
pub(crate) mod dom;
mod merge;
pub(crate) mod webapi;

pub use webapi::{ParamDef, RouteDef};

use crate::acl::AclTree;
use crate::diag::{ConfigError, Diagnostic};
use dom::{Element, SourceMap, XmlLimits};

/// Size limits applied while reading XML.
#[derive(Debug, Clone, Copy)]
pub struct XmlOptions {
    /// Largest accepted file, in bytes (default 8 MiB; Magento's largest core file is ~60 KB).
    pub max_file_bytes: usize,
    /// Deepest accepted element nesting (default 64).
    pub max_depth: usize,
    /// Longest accepted attribute value, in bytes (default 64 KiB; Magento's longest
    /// is a few hundred).
    pub max_attr_bytes: usize,
}

impl Default for XmlOptions {
    fn default() -> Self {
        XmlOptions {
            max_file_bytes: 8 << 20,
            max_depth: XmlLimits::default().max_depth,
            max_attr_bytes: XmlLimits::default().max_attr_bytes,
        }
    }
}

/// The converted configuration: routes in Magento's table order and the ACL tree.
pub(crate) struct Loaded {
    pub routes: webapi::RouteTable,
    pub acl: AclTree,
    pub diagnostics: Vec<Diagnostic>,
}

fn parse_all(
    files: &[(String, String)],
    map: &mut SourceMap,
    opts: XmlOptions,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Element> {
    let mut roots = Vec::new();
    for (name, text) in files {
        let id = map.add(name, text);
        if text.len() > opts.max_file_bytes {
            diags.push(
                Diagnostic::error(
                    "file-too-large",
                    format!(
                        "{name} is {} bytes, over the limit of {}",
                        text.len(),
                        opts.max_file_bytes
                    ),
                )
                .at(map.locate(dom::Pos {
                    file: id,
                    offset: 0,
                })),
            );
            continue;
        }
        match dom::parse(
            text,
            id,
            map,
            XmlLimits {
                max_depth: opts.max_depth,
                max_attr_bytes: opts.max_attr_bytes,
            },
        ) {
            Ok(root) => roots.push(root),
            Err(d) => diags.push(d),
        }
    }
    roots
}

fn merge_roots(
    roots: Vec<Element>,
    rule: merge::IdRule,
    map: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<Element> {
    let mut iter = roots.into_iter();
    let mut base = iter.next()?;
    for next in iter {
        if let Err(d) = merge::merge_document(&mut base, next, rule, map) {
            diags.push(d);
        }
    }
    Some(base)
}

/// Parse, check, merge and convert. Fails when any diagnostic is an error.
pub(crate) fn load(
    webapi_files: &[(String, String)],
    acl_files: &[(String, String)],
    opts: XmlOptions,
) -> Result<Loaded, ConfigError> {
    let mut map = SourceMap::default();
    let mut diags = Vec::new();

    let webapi_roots = parse_all(webapi_files, &mut map, opts, &mut diags);
    for r in &webapi_roots {
        webapi::check_file(r, &map, &mut diags);
    }
    let acl_roots = parse_all(acl_files, &mut map, opts, &mut diags);
    for r in &acl_roots {
        acl::check_file(r, &map, &mut diags);
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(finish(diags));
    }

    let webapi_doc = merge_roots(webapi_roots, webapi::id_rule, &map, &mut diags);
    let acl_doc = merge_roots(acl_roots, acl::id_rule, &map, &mut diags);

    let routes = match &webapi_doc {
        Some(doc) => webapi::convert(doc, &map, &mut diags),
        None => webapi::RouteTable::default(),
    };
    let tree = acl::convert(acl_doc.as_ref(), &map, &mut diags);

    // A ref no acl.xml defines is granted only to roles with "all" (spec §3.3): worth
    // a warning, since it is almost always a typo or a missing module.
    if let Some(doc) = &webapi_doc {
        if !acl_files.is_empty() {
            let mut seen: Vec<&str> = Vec::new();
            for (rf, el) in webapi::resource_refs(doc) {
                if rf == "anonymous" || rf == "self" || tree.contains(rf) || seen.contains(&rf) {
                    continue;
                }
                seen.push(rf);
                diags.push(
                    Diagnostic::warning(
                        "undefined-acl-id",
                        format!("resource `{rf}` is not defined by any loaded acl.xml (or is disabled)"),
                    )
                    .at(map.locate(el.pos))
                    .help("only admin roles and integrations with \"all resources\" pass an unknown id"),
                );
            }
        }
    }

    if diags.iter().any(Diagnostic::is_error) {
        return Err(finish(diags));
    }
    Ok(Loaded {
        routes,
        acl: tree,
        diagnostics: diags,
    })
}

fn finish(mut diags: Vec<Diagnostic>) -> ConfigError {
    crate::sort::sort_by(&mut diags, |a, b| b.is_error().cmp(&a.is_error()));
    ConfigError { diagnostics: diags }
}
