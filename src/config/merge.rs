//! Magento's DOM merge (`Magento\Framework\Config\Dom`, spec §1.3).
//!
//! The first file is the base document as it is; every later file is merged into it
//! node by node. A node "matches" an existing one when the element names agree along
//! the path and the configured id attributes have the same values; a match gets its
//! attributes overwritten, its text replaced (text-only nodes) or its children merged
//! recursively; anything unmatched is appended.

use super::dom::{Element, Node, SourceMap};
use crate::diag::Diagnostic;

/// Which attributes identify an element at a given path (Magento `idAttributes`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum IdAttrs {
    None,
    One(&'static str),
    All(&'static [&'static str]),
}

pub(crate) type IdRule = fn(path: &[&str]) -> IdAttrs;

/// Merge `incoming` (a whole document) into `base`.
pub(crate) fn merge_document(
    base: &mut Element,
    incoming: Element,
    rule: IdRule,
    map: &SourceMap,
) -> Result<(), Diagnostic> {
    if base.name != incoming.name {
        return Err(Diagnostic::error(
            "root-mismatch",
            format!(
                "root element <{}> cannot be merged into <{}>",
                incoming.name, base.name
            ),
        )
        .at(map.locate(incoming.pos)));
    }
    let mut path = vec![base.name.clone()];
    merge_into(base, incoming, &mut path, rule, map)
}

fn merge_into(
    matched: &mut Element,
    node: Element,
    path: &mut Vec<String>,
    rule: IdRule,
    map: &SourceMap,
) -> Result<(), Diagnostic> {
    for a in &node.attrs {
        matched.set_attr(&a.name, &a.value);
    }
    if node.children.is_empty() {
        return Ok(());
    }
    if node.is_text_node() {
        // Dom.php: "skip the case when the matched node has children, otherwise they
        // get overridden".
        if matched.children.is_empty() || matched.is_text_node() {
            matched.children = node.children;
        }
        return Ok(());
    }
    for child in node.children {
        let Node::Element(child) = child else {
            continue;
        };
        path.push(child.name.clone());
        let ids = {
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            rule(&p)
        };
        let hits: Vec<usize> = matched
            .children
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match n {
                Node::Element(e) if same_node(e, &child, ids) => Some(i),
                _ => None,
            })
            .collect();
        match hits.as_slice() {
            [] => matched.children.push(Node::Element(child)),
            [one] => {
                let Node::Element(target) = &mut matched.children[*one] else {
                    unreachable!("hits only index elements")
                };
                merge_into(target, child, path, rule, map)?;
            }
            [first, ..] => {
                let Node::Element(existing) = &matched.children[*first] else {
                    unreachable!("hits only index elements")
                };
                return Err(Diagnostic::error(
                    "ambiguous-merge",
                    format!(
                        "more than one <{}> matches this element, so it cannot be merged",
                        child.name
                    ),
                )
                .at(map.locate(child.pos))
                .help(format!(
                    "the earlier file declares it twice, e.g. at {}; Magento fails with \"More than one node matching the query\"",
                    map.locate(existing.pos)
                )));
            }
        }
        path.pop();
    }
    Ok(())
}

/// XPath-equivalent test of Magento's merge path predicate.
fn same_node(existing: &Element, incoming: &Element, ids: IdAttrs) -> bool {
    if existing.name != incoming.name {
        return false;
    }
    match ids {
        IdAttrs::None => true,
        // `[@id='v']` is only added when the incoming value is non-empty.
        IdAttrs::One(a) => match incoming.attr(a) {
            Some(v) if !v.is_empty() => existing.attr(a) == Some(v),
            _ => true,
        },
        // Arrays of id attributes always constrain, with '' for a missing attribute;
        // `@a=''` never matches an element that lacks `a`.
        IdAttrs::All(attrs) => attrs
            .iter()
            .all(|a| existing.attr(a) == Some(incoming.attr(a).unwrap_or(""))),
    }
}
