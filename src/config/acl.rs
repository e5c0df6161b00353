//! `acl.xml`: per-file checks, merge keys and conversion into the resource tree
//! (spec §3.4 "Resources").

use super::dom::{Element, SourceMap};
use super::merge::IdAttrs;
use super::webapi::unknown_element;
use crate::acl::{AclResource, AclTree};
use crate::diag::Diagnostic;
use crate::php;

pub(crate) fn id_rule(path: &[&str]) -> IdAttrs {
    // Acl\AclResource\Config\Reader\Filesystem: '/config/acl/resources(/resource)+' => 'id'
    match path {
        ["config", "acl", "resources", rest @ ..]
            if !rest.is_empty() && rest.iter().all(|p| *p == "resource") =>
        {
            IdAttrs::One("id")
        }
        _ => IdAttrs::None,
    }
}

pub(crate) fn check_file(root: &Element, map: &SourceMap, out: &mut Vec<Diagnostic>) {
    if root.name != "config" {
        out.push(
            Diagnostic::error(
                "wrong-root",
                format!("an acl.xml file has root <config>, not <{}>", root.name),
            )
            .at(map.locate(root.pos)),
        );
        return;
    }
    fn resources(e: &Element, map: &SourceMap, out: &mut Vec<Diagnostic>) {
        for r in e.elements() {
            if r.name != "resource" {
                out.push(unknown_element(r, &e.name, map));
                continue;
            }
            match r.attr("id") {
                None => out.push(
                    Diagnostic::error("missing-attribute", "<resource> has no `id` attribute")
                        .at(map.locate(r.pos))
                        .help("Magento: Attribute \"id\" is required for ACL resource."),
                ),
                Some("") => out.push(
                    Diagnostic::error("missing-attribute", "<resource> has an empty `id`")
                        .at(map.locate(r.pos)),
                ),
                Some(_) => {}
            }
            resources(r, map, out);
        }
    }
    for acl in root.elements() {
        if acl.name != "acl" {
            out.push(unknown_element(acl, "config", map));
            continue;
        }
        for res in acl.elements() {
            if res.name != "resources" {
                out.push(unknown_element(res, "acl", map));
                continue;
            }
            resources(res, map, out);
        }
    }
}

struct Raw<'a> {
    el: &'a Element,
    sort_order: i64,
    children: Vec<Raw<'a>>,
}

fn raw_tree<'a>(e: &'a Element) -> Vec<Raw<'a>> {
    // TreeBuilder: drop disabled="true" nodes with their subtrees, sort siblings by
    // sortOrder (stable, missing = 0).
    let mut v: Vec<Raw<'a>> = e
        .elements()
        .filter(|r| r.name == "resource" && r.attr("id").is_some_and(|id| !id.is_empty()))
        .filter(|r| r.attr("disabled") != Some("true"))
        .map(|r| Raw {
            el: r,
            sort_order: r.attr("sortOrder").map(php::int_cast).unwrap_or(0),
            children: raw_tree(r),
        })
        .collect();
    crate::sort::sort_by(&mut v, |a, b| a.sort_order.cmp(&b.sort_order));
    v
}

/// Convert the merged document into the ACL tree.
pub(crate) fn convert(
    root: Option<&Element>,
    map: &SourceMap,
    out: &mut Vec<Diagnostic>,
) -> AclTree {
    let mut tree = AclTree::default();
    let Some(root) = root else { return tree };
    let tops: Vec<Raw<'_>> = root
        .elements()
        .filter(|e| e.name == "acl")
        .flat_map(|a| a.elements().filter(|e| e.name == "resources"))
        .flat_map(raw_tree)
        .collect();
    fn add(
        tree: &mut AclTree,
        raw: &Raw<'_>,
        parent: Option<u32>,
        map: &SourceMap,
        out: &mut Vec<Diagnostic>,
    ) {
        let id = raw.el.attr("id").unwrap_or_default();
        if let Some(&existing) = tree.index.get(id) {
            let prev = tree.nodes[existing as usize]
                .parent
                .map(|p| tree.nodes[p as usize].id.clone());
            out.push(
                Diagnostic::error(
                    "duplicate-acl-id",
                    format!("ACL resource `{id}` is declared under two different parents"),
                )
                .at(map.locate(raw.el.pos))
                .help(format!(
                    "it is already a child of {}; Laminas refuses to add a resource twice, so Magento's ACL fails to build",
                    prev.as_deref().unwrap_or("the root")
                )),
            );
            return;
        }
        let idx = tree.push(AclResource {
            id: id.to_string(),
            title: raw.el.attr("title").map(str::to_string),
            sort_order: raw.sort_order,
            parent,
            children: Vec::new(),
        });
        for c in &raw.children {
            add(tree, c, Some(idx), map, out);
        }
    }
    for t in &tops {
        add(&mut tree, t, None, map, out);
    }
    tree
}
