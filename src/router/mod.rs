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

use crate::config::RouteDef;
use crate::fasthash::FastMap;
use crate::php;
use path::trim_slashes;

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
    literal: FastMap<String, u32>,
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
    /// url → position in `exact_lists` for the exact shortcut. (`FastMap<String, u32>`
    /// everywhere keeps the wasm build to one hash-map instantiation.)
    exact: FastMap<String, u32>,
    /// [(method as written, route index)] per url.
    exact_lists: Vec<Vec<(Box<str>, u32)>>,
    /// Trie nodes per upper-cased method (node 0 is the root); a handful of methods,
    /// so a list beats a map.
    tries: Vec<(Box<str>, Vec<Node>)>,
}

/// One route that matched, with its variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RouteMatch<'a> {
    pub route: u32,
    /// The winner's own variables, in template order.
    pub params: Vec<(&'a str, Cow<'a, str>)>,
    /// Variables set by losing candidates and not overwritten by the winner (spec §2.3,
    /// §4.4): they stay in Magento's request params.
    pub leftover: Vec<(&'a str, Cow<'a, str>)>,
    /// How many candidates matched (1 for the exact shortcut).
    pub matched: usize,
    pub exact: bool,
}

fn split_segments(s: &str) -> impl Iterator<Item = &str> {
    trim_slashes(s).split('/')
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

/// Magento's candidate order: route indices by url (`ksort(SORT_STRING)`, byte-wise);
/// within a url, methods keep table order, which is the order of `routes` itself.
pub(crate) fn candidate_order(routes: &[RouteDef]) -> Vec<u32> {
    crate::sort::order(routes.len(), &mut |a, b| {
        order_key(routes, a as u32).cmp(&order_key(routes, b as u32))
    })
}

fn order_key(routes: &[RouteDef], i: u32) -> (&[u8], u32) {
    (routes[i as usize].url.as_bytes(), i)
}

/// Whether `ranked` is [`candidate_order`] of `routes`: a permutation, in order. (A
/// bundle stores the order so that loading checks it in linear time instead of
/// sorting.)
pub(crate) fn is_candidate_order(routes: &[RouteDef], ranked: &[u32]) -> bool {
    if ranked.len() != routes.len() || ranked.iter().any(|&i| i as usize >= routes.len()) {
        return false;
    }
    // Strictly increasing keys with in-range indices and the right length: every
    // index appears exactly once.
    ranked
        .windows(2)
        .all(|w| order_key(routes, w[0]) < order_key(routes, w[1]))
}

impl Router {
    /// Index `routes`; `ranked` is Magento's candidate order ([`candidate_order`]).
    pub(crate) fn new(routes: &[RouteDef], ranked: &[u32]) -> Router {
        debug_assert!(is_candidate_order(routes, ranked));
        let mut rank = vec![0u32; routes.len()];
        for (r, &i) in ranked.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        let mut router = Router::default();
        router.compiled.reserve(routes.len());
        router.exact.reserve(routes.len());
        for (i, def) in routes.iter().enumerate() {
            let vars: Vec<Option<Box<str>>> = split_segments(&def.url)
                .map(|s| variable_name(s).map(Box::from))
                .collect();
            router.compiled.push(Compiled {
                trimmed: trim_slashes(&def.url).into(),
                vars,
                rank: rank[i],
            });
            let next = router.exact_lists.len() as u32;
            let slot = *router.exact.entry(def.url.clone()).or_insert(next);
            if slot == next {
                router.exact_lists.push(Vec::new());
            }
            router.exact_lists[slot as usize].push((def.method.as_str().into(), i as u32));
            let upper = def.method.to_ascii_uppercase();
            let slot = match router.tries.iter().position(|(m, _)| **m == *upper) {
                Some(i) => i,
                None => {
                    router.tries.push((upper.into(), vec![Node::default()]));
                    router.tries.len() - 1
                }
            };
            let nodes = &mut router.tries[slot].1;
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
                                parent.literal.insert(seg.to_string(), n);
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

    /// The route whose url and method are byte-equal to `url` and `method`.
    pub(crate) fn exact_route(&self, url: &str, method: &str) -> Option<u32> {
        let slot = *self.exact.get(url)?;
        self.exact_lists[slot as usize]
            .iter()
            .find(|(m, _)| &**m == method)
            .map(|&(_, i)| i)
    }

    /// Select the route for `path` (already processed, spec §2.2) and `method`
    /// (upper case).
    pub(crate) fn lookup<'a>(&'a self, path: &'a str, method: &str) -> Option<RouteMatch<'a>> {
        // 1. Exact shortcut: byte-equal url and method.
        if let Some(i) = self.exact_route(path, method) {
            return Some(RouteMatch {
                route: i,
                params: Vec::new(),
                leftover: Vec::new(),
                matched: 1,
                exact: true,
            });
        }
        // 2. Service base; none ⇒ no candidates.
        let base = trim_slashes(service_base(path)?);
        let (_, nodes) = self.tries.iter().find(|(m, _)| **m == *method)?;

        // 3–4. Routes that match segment by segment and pass the prefix filter; keep
        // the one Magento would try last, and count the others.
        let trimmed = trim_slashes(path);
        let mut best: Option<u32> = None;
        let mut count = 0usize;
        walk(nodes, 0, Some(trimmed), &mut |i| {
            if self.compiled[i as usize].trimmed.starts_with(base) {
                count += 1;
                if best
                    .is_none_or(|b| self.compiled[i as usize].rank > self.compiled[b as usize].rank)
                {
                    best = Some(i);
                }
            }
        });
        let winner = best?;
        let params = self.vars_of(winner, trimmed);
        let mut leftover: Vec<(&'a str, Cow<'a, str>)> = Vec::new();
        if count > 1 {
            // 5. Every matching candidate wrote its variables into the request params,
            // in Magento's order; the winner's own values are written last.
            let mut losers = Vec::with_capacity(count - 1);
            walk(nodes, 0, Some(trimmed), &mut |i| {
                if i != winner && self.compiled[i as usize].trimmed.starts_with(base) {
                    losers.push(i);
                }
            });
            crate::sort::sort_by(&mut losers, |&a, &b| {
                let rank = |i: u32| self.compiled[i as usize].rank;
                rank(a).cmp(&rank(b))
            });
            for i in losers {
                for (k, v) in self.vars_of(i, trimmed) {
                    if params.iter().any(|(pk, _)| *pk == k) {
                        continue;
                    }
                    match leftover.iter_mut().find(|(lk, _)| *lk == k) {
                        Some(slot) => slot.1 = v,
                        None => leftover.push((k, v)),
                    }
                }
            }
        }
        Some(RouteMatch {
            route: winner,
            params,
            leftover,
            matched: count,
            exact: false,
        })
    }

    /// Route `i`'s variables for the (slash-trimmed) path, `urldecode`d.
    fn vars_of<'a>(&'a self, i: u32, trimmed: &'a str) -> Vec<(&'a str, Cow<'a, str>)> {
        let c = &self.compiled[i as usize];
        c.vars
            .iter()
            .zip(trimmed.split('/'))
            .filter_map(|(v, s)| v.as_deref().map(|name| (name, php::urldecode(s))))
            .collect()
    }
}

/// Depth-first over the trie, one path segment at a time (`rest` is what is left of
/// the slash-trimmed path; `None` once every segment is consumed).
fn walk(nodes: &[Node], at: u32, rest: Option<&str>, found: &mut dyn FnMut(u32)) {
    let node = &nodes[at as usize];
    let Some(rest) = rest else {
        for &leaf in &node.leaves {
            found(leaf);
        }
        return;
    };
    let (seg, tail) = match rest.split_once('/') {
        Some((seg, tail)) => (seg, Some(tail)),
        None => (rest, None),
    };
    if let Some(&n) = node.literal.get(seg) {
        walk(nodes, n, tail, found);
    }
    for (lit, n) in &node.numeric {
        if &**lit != seg && php::loose_eq(lit, seg) {
            walk(nodes, *n, tail, found);
        }
    }
    if let Some(n) = node.var {
        walk(nodes, n, tail, found);
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
