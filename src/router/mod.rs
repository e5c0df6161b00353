//! Route selection exactly as Magento's REST router does it (spec §2.3), through an
//! index instead of a scan.
//!
//! Magento: exact-key shortcut; otherwise take the "service base" `^/?\w+/\w+` of the
//! path, keep the routes (sorted byte-wise by url) whose slash-trimmed url starts with
//! the slash-trimmed base and whose method equals the request's case-insensitively,
//! match each segment by segment (variables always match and are `urldecode`d, literals
//! compare with PHP loose `==`), and let **the last match win**.
//!
//! Here: a segment trie per upper-cased method finds every route that matches segment
//! by segment (literal children by hash, numeric literals by PHP loose comparison,
//! variables as a wildcard); the prefix filter is then applied to those few matches,
//! and the winner is the match with the highest position in Magento's sort order.

pub(crate) mod path;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::config::RouteDef;
use crate::php;

/// A route as the router sees it.
#[derive(Debug, Clone)]
struct Compiled {
    /// `trim(url, '/')`, for the prefix filter.
    trimmed: Box<str>,
    /// Template segments: `Some(name)` for a variable, `None` for a literal.
    vars: Vec<Option<Box<str>>>,
    /// Position in Magento's candidate order: (url sorted byte-wise, then method
    /// insertion order within the url).
    rank: u32,
}

#[derive(Debug, Default, Clone)]
struct Node {
    literal: HashMap<Box<str>, u32>,
    /// Literal children whose text is a PHP numeric string (`1`, `01`, `1e0`…): a
    /// numeric path segment may match them loosely.
    numeric: Vec<(Box<str>, u32)>,
    var: Option<u32>,
    /// Routes whose template ends at this node.
    leaves: Vec<u32>,
}

/// The route index of a policy.
#[derive(Debug, Clone, Default)]
pub(crate) struct Router {
    compiled: Vec<Compiled>,
    /// url → [(method as written, route index)] for the exact shortcut.
    exact: HashMap<Box<str>, Vec<(Box<str>, u32)>>,
    /// Trie roots per upper-cased method.
    tries: HashMap<Box<str>, Vec<Node>>,
}

/// One route that matched, with its variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RouteMatch<'r> {
    pub route: u32,
    /// The winner's own variables, in template order.
    pub params: Vec<(&'r str, String)>,
    /// Variables set by losing candidates and not overwritten by the winner (spec §2.3,
    /// §4.4): they stay in Magento's request params.
    pub leftover: Vec<(&'r str, String)>,
    /// How many candidates matched (1 for the exact shortcut).
    pub matched: usize,
    pub exact: bool,
}

fn split_segments(s: &str) -> impl Iterator<Item = &str> {
    s.trim_matches('/').split('/')
}

/// `Route::getRoutePath` classification: a variable starts with `:` and its second
/// character is not `:`.
fn variable_name(seg: &str) -> Option<&str> {
    let rest = seg.strip_prefix(':')?;
    if rest.starts_with(':') {
        None
    } else {
        Some(rest)
    }
}

/// `preg_match('#^/?\w+/\w+#', $path)`: the "service base" used for the prefix filter.
pub(crate) fn service_base(path: &str) -> Option<&str> {
    let b = path.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = usize::from(b.first() == Some(&b'/'));
    let start = i;
    while i < b.len() && word(b[i]) {
        i += 1;
    }
    if i == start || b.get(i) != Some(&b'/') {
        return None;
    }
    i += 1;
    let second = i;
    while i < b.len() && word(b[i]) {
        i += 1;
    }
    if i == second {
        return None;
    }
    Some(&path[..i])
}

impl Router {
    /// Index `routes`; `order` gives each route's (url position, method position) in
    /// Magento's route table (see `RouteTable`).
    pub(crate) fn new(routes: &[RouteDef]) -> Router {
        let mut ranked: Vec<u32> = (0..routes.len() as u32).collect();
        // ksort(SORT_STRING) over urls; within a url, methods keep table order, which
        // is the order of `routes` itself.
        ranked.sort_by(|&a, &b| {
            routes[a as usize]
                .url
                .as_bytes()
                .cmp(routes[b as usize].url.as_bytes())
                .then(a.cmp(&b))
        });
        let mut rank = vec![0u32; routes.len()];
        for (r, &i) in ranked.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        let mut router = Router::default();
        for (i, def) in routes.iter().enumerate() {
            let vars: Vec<Option<Box<str>>> = split_segments(&def.url)
                .map(|s| variable_name(s).map(Box::from))
                .collect();
            router.compiled.push(Compiled {
                trimmed: def.url.trim_matches('/').into(),
                vars,
                rank: rank[i],
            });
            router
                .exact
                .entry(def.url.as_str().into())
                .or_default()
                .push((def.method.as_str().into(), i as u32));
            let nodes = router
                .tries
                .entry(def.method.to_ascii_uppercase().into())
                .or_insert_with(|| vec![Node::default()]);
            let mut cur = 0u32;
            for seg in split_segments(&def.url) {
                let next = match variable_name(seg) {
                    Some(_) => nodes[cur as usize].var,
                    None => nodes[cur as usize].literal.get(seg).copied(),
                };
                cur = match next {
                    Some(n) => n,
                    None => {
                        let n = nodes.len() as u32;
                        nodes.push(Node::default());
                        let parent = &mut nodes[cur as usize];
                        match variable_name(seg) {
                            Some(_) => parent.var = Some(n),
                            None => {
                                parent.literal.insert(seg.into(), n);
                                if php::is_numeric(seg) {
                                    parent.numeric.push((seg.into(), n));
                                }
                            }
                        }
                        n
                    }
                };
            }
            nodes[cur as usize].leaves.push(i as u32);
        }
        router
    }

    /// Select the route for `path` (already processed, spec §2.2) and `method`
    /// (upper case).
    pub(crate) fn lookup<'r, 'p>(&'r self, path: &'p str, method: &str) -> Option<RouteMatch<'r>> {
        // 1. Exact shortcut: byte-equal url and method.
        if let Some(list) = self.exact.get(path) {
            if let Some(&(_, i)) = list.iter().find(|(m, _)| &**m == method) {
                return Some(RouteMatch {
                    route: i,
                    params: Vec::new(),
                    leftover: Vec::new(),
                    matched: 1,
                    exact: true,
                });
            }
        }
        // 2. Service base; none ⇒ no candidates.
        let base = service_base(path)?;
        let base = base.trim_matches('/');
        let nodes = self.tries.get(method)?;

        // 3–4. Every route that matches segment by segment.
        let segs: Vec<&str> = split_segments(path).collect();
        let mut hits: Vec<u32> = Vec::new();
        collect(nodes, 0, &segs, &mut hits);
        hits.retain(|&i| self.compiled[i as usize].trimmed.starts_with(base));
        if hits.is_empty() {
            return None;
        }
        // 5. Last in Magento's order wins; every match's variables are written into the
        // request params in that order.
        hits.sort_unstable_by_key(|&i| self.compiled[i as usize].rank);
        let winner = *hits.last().expect("non-empty");
        let vars_of = |i: u32| {
            let c = &self.compiled[i as usize];
            c.vars
                .iter()
                .zip(&segs)
                .filter_map(|(v, s)| v.as_deref().map(|name| (name, decode(s))))
                .collect::<Vec<_>>()
        };
        let params = vars_of(winner);
        let mut leftover: Vec<(&'r str, String)> = Vec::new();
        for &i in &hits[..hits.len() - 1] {
            for (k, v) in vars_of(i) {
                if params.iter().any(|(pk, _)| *pk == k) {
                    continue;
                }
                match leftover.iter_mut().find(|(lk, _)| *lk == k) {
                    Some(slot) => slot.1 = v,
                    None => leftover.push((k, v)),
                }
            }
        }
        Some(RouteMatch {
            route: winner,
            params,
            leftover,
            matched: hits.len(),
            exact: false,
        })
    }
}

fn decode(seg: &str) -> String {
    match php::urldecode(seg) {
        Cow::Borrowed(s) => s.to_string(),
        Cow::Owned(s) => s,
    }
}

fn collect(nodes: &[Node], at: u32, segs: &[&str], out: &mut Vec<u32>) {
    let node = &nodes[at as usize];
    let Some((seg, rest)) = segs.split_first() else {
        out.extend_from_slice(&node.leaves);
        return;
    };
    if let Some(&n) = node.literal.get(*seg) {
        collect(nodes, n, rest, out);
    }
    if !node.numeric.is_empty() {
        for (lit, n) in &node.numeric {
            if &**lit != *seg && php::loose_eq(lit, seg) {
                collect(nodes, *n, rest, out);
            }
        }
    }
    if let Some(n) = node.var {
        collect(nodes, n, rest, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_base_is_two_word_runs() {
        assert_eq!(service_base("/V1/customers/me"), Some("/V1/customers"));
        assert_eq!(service_base("/V1/guest-carts/x"), Some("/V1/guest"));
        assert_eq!(service_base("/V1"), None);
        assert_eq!(service_base("/V1//x"), None);
        assert_eq!(service_base("/V1/-x"), None);
        assert_eq!(service_base("V1/x"), Some("V1/x"));
    }

    #[test]
    fn variable_names() {
        assert_eq!(variable_name(":id"), Some("id"));
        assert_eq!(variable_name("::id"), None);
        assert_eq!(variable_name(":"), Some(""));
        assert_eq!(variable_name("id"), None);
    }
}
