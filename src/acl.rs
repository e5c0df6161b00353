//! ACL resources, roles saved the way Magento saves them, and Laminas evaluation
//! (spec §3.3–§3.4).
//!
//! A [`Role`] is compiled once against a policy's ACL into one bit per resource, so
//! that a decision costs one lookup per resource ref.

use std::sync::Arc;

use serde::Serialize;

/// `Magento_Backend::all`, "Allow everything": a sibling of the admin tree, not its parent.
pub const RESOURCE_ALL: &str = "Magento_Backend::all";
/// `Magento_Backend::admin`, the root of every admin resource.
pub const RESOURCE_ADMIN: &str = "Magento_Backend::admin";

/// One ACL resource of the merged tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AclResource {
    /// Resource id, e.g. `Magento_Customer::manage`.
    pub id: String,
    /// `title` attribute (untranslated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `sortOrder` (PHP int cast, 0 when absent); siblings are stored sorted by it.
    pub sort_order: i64,
    /// Index of the parent node.
    #[serde(skip)]
    pub parent: Option<u32>,
    /// Indices of the children, in sortOrder.
    #[serde(skip)]
    pub children: Vec<u32>,
}

/// The merged resource tree, without disabled subtrees (spec §3.4 "Resources").
#[derive(Debug, Clone, Default)]
pub struct AclTree {
    pub(crate) nodes: Vec<AclResource>,
    pub(crate) roots: Vec<u32>,
    pub(crate) index: crate::fasthash::FastMap<String, u32>,
}

impl AclTree {
    pub(crate) fn push(&mut self, res: AclResource) -> u32 {
        let idx = self.nodes.len() as u32;
        match res.parent {
            Some(p) => self.nodes[p as usize].children.push(idx),
            None => self.roots.push(idx),
        }
        self.index.insert(res.id.clone(), idx);
        self.nodes.push(res);
        idx
    }

    /// Number of effective resource ids.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when no acl.xml defined anything.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Whether `id` is an effective (defined and not disabled) resource.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The resource named `id`.
    pub fn get(&self, id: &str) -> Option<&AclResource> {
        self.index.get(id).map(|&i| &self.nodes[i as usize])
    }

    /// The resource at `index`.
    pub fn node(&self, index: u32) -> Option<&AclResource> {
        self.nodes.get(index as usize)
    }

    pub(crate) fn index_of(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    /// Top-level resources (normally `Magento_Backend::all` and `Magento_Backend::admin`).
    pub fn roots(&self) -> impl Iterator<Item = &AclResource> {
        self.roots.iter().map(|&i| &self.nodes[i as usize])
    }

    /// Every resource, depth first in sortOrder (the order of Magento's role editor).
    pub fn iter(&self) -> impl Iterator<Item = &AclResource> {
        let mut order = Vec::with_capacity(self.nodes.len());
        fn walk(t: &AclTree, i: u32, order: &mut Vec<u32>) {
            order.push(i);
            for &c in &t.nodes[i as usize].children {
                walk(t, c, order);
            }
        }
        for &r in &self.roots {
            walk(self, r, &mut order);
        }
        order.into_iter().map(move |i| &self.nodes[i as usize])
    }

    /// A fingerprint of the ids and their order; roles compiled for one tree are
    /// recompiled when used with another.
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for n in &self.nodes {
            for b in n.id.bytes().chain(std::iter::once(0)) {
                h ^= b as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            h ^= n.parent.map(|p| p as u64 + 1).unwrap_or(0);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    }
}

/// One `authorization_rule` row: a resource id and `allow` (true) or `deny` (false).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RuleRow {
    /// `resource_id`.
    pub resource: String,
    /// `permission == 'allow'`.
    pub allow: bool,
}

/// How a role was defined; kept so a role can be recompiled for another ACL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleSource {
    /// "Resource Access: All" (the saved list is exactly `[Magento_Backend::all]`).
    All,
    /// The resource ids ticked in the role editor, saved by `Rules::saveRel`.
    Resources(Vec<String>),
    /// Raw `authorization_rule` rows of the role (e.g. from a database dump).
    Rules(Vec<RuleRow>),
}

/// An admin role or an integration's permissions, compiled against one ACL.
///
/// ```
/// use mage_policy::{Policy, Role};
/// # let policy = Policy::builder()
/// #   .acl("acl.xml", r#"<config><acl><resources>
/// #     <resource id="Magento_Backend::all"/>
/// #     <resource id="Magento_Backend::admin">
/// #       <resource id="Magento_Customer::customer"><resource id="Magento_Customer::manage"/></resource>
/// #     </resource></resources></acl></config>"#)
/// #   .build().unwrap();
/// let role = policy.role_from_resources(["Magento_Customer::customer"]);
/// assert!(role.is_allowed(&policy, "Magento_Customer::customer"));
/// // Magento saves an explicit deny for every unticked node, children included.
/// assert!(!role.is_allowed(&policy, "Magento_Customer::manage"));
/// assert!(policy.role_all().is_allowed(&policy, "Anything_Else::at_all"));
/// ```
#[derive(Debug, Clone)]
pub struct Role(Arc<CompiledRole>);

#[derive(Debug)]
struct CompiledRole {
    source: RoleSource,
    fingerprint: u64,
    /// Effective answer per ACL resource index.
    allowed: Vec<bool>,
    /// `isAllowed(role, null)`: the answer for ids the ACL does not know.
    all: bool,
}

impl Role {
    /// Compile `source` against `tree`.
    pub(crate) fn compile(tree: &AclTree, source: RoleSource) -> Role {
        let rows: Vec<(u32, bool)> = match &source {
            RoleSource::All => tree
                .index_of(RESOURCE_ALL)
                .map(|i| vec![(i, true)])
                .unwrap_or_default(),
            RoleSource::Resources(list) => saved_rows(tree, list),
            RoleSource::Rules(rows) => rows
                .iter()
                // Rule loader: rows whose resource is not in the ACL are ignored.
                .filter_map(|r| tree.index_of(&r.resource).map(|i| (i, r.allow)))
                .collect(),
        };
        let mut explicit: Vec<Option<bool>> = vec![None; tree.len()];
        let mut all = false;
        let mut has_deny = false;
        for &(i, allow) in &rows {
            explicit[i as usize] = Some(allow);
            has_deny |= !allow;
            // Rule.php: an allow on Magento_Backend::all is also allow(role, null).
            if allow && tree.nodes[i as usize].id == RESOURCE_ALL {
                all = true;
            }
        }
        // Rule.php: resources with no row at all are denied to roles that have denies,
        // unless Magento_Backend::all is the only resource in the rule table. The table
        // here is this role's rows (exact when roles were saved against the same ACL).
        let only_all = rows
            .iter()
            .all(|&(i, _)| tree.nodes[i as usize].id == RESOURCE_ALL);
        if has_deny && !only_all {
            for e in explicit.iter_mut().filter(|e| e.is_none()) {
                *e = Some(false);
            }
        }
        // Laminas: the resource's own rule, then its ancestors', then the null level.
        let mut allowed = vec![false; tree.len()];
        for (i, slot) in allowed.iter_mut().enumerate() {
            let mut cur = Some(i as u32);
            let mut answer = None;
            while let Some(c) = cur {
                if let Some(a) = explicit[c as usize] {
                    answer = Some(a);
                    break;
                }
                cur = tree.nodes[c as usize].parent;
            }
            *slot = answer.unwrap_or(all);
        }
        Role(Arc::new(CompiledRole {
            source,
            fingerprint: tree.fingerprint(),
            allowed,
            all,
        }))
    }

    /// How the role was defined.
    pub fn source(&self) -> &RoleSource {
        &self.0.source
    }

    /// Whether the role has "all resources" (`isAllowed(role, null)`), which is also
    /// what decides unknown, disabled and `self` refs for admins and integrations.
    pub fn has_all(&self) -> bool {
        self.0.all
    }

    pub(crate) fn matches(&self, tree_fingerprint: u64) -> bool {
        self.0.fingerprint == tree_fingerprint
    }

    pub(crate) fn allowed_index(&self, index: u32) -> bool {
        self.0.allowed.get(index as usize).copied().unwrap_or(false)
    }

    /// Laminas `isAllowed(role, id)` with Magento's fallback for ids the ACL does not
    /// know (`Policy\Acl`: ask for the null resource instead).
    pub fn is_allowed(&self, policy: &crate::Policy, id: &str) -> bool {
        let tree = policy.acl();
        if !self.matches(tree.fingerprint()) {
            return Role::compile(tree, self.0.source.clone()).is_allowed(policy, id);
        }
        match tree.index_of(id) {
            Some(i) => self.allowed_index(i),
            None => self.0.all,
        }
    }
}

/// `Rules::saveRel` (spec §3.4 "Saving"): nothing for an empty list; one allow row
/// for exactly `[Magento_Backend::all]`; otherwise `Magento_Backend::admin` is added and
/// every ACL resource gets a row, allow if listed, deny if not.
fn saved_rows(tree: &AclTree, list: &[String]) -> Vec<(u32, bool)> {
    if list.is_empty() {
        return Vec::new();
    }
    if list.len() == 1 && list[0] == RESOURCE_ALL {
        return tree
            .index_of(RESOURCE_ALL)
            .map(|i| vec![(i, true)])
            .unwrap_or_default();
    }
    (0..tree.len() as u32)
        .map(|i| {
            let id = &tree.nodes[i as usize].id;
            (i, id == RESOURCE_ADMIN || list.iter().any(|l| l == id))
        })
        .collect()
}
