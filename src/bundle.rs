//! Compiled policy bundles: the merged routes, ACL tree, stores and settings in a
//! compact binary form, for cold starts without XML parsing (compile once at deploy
//! time, load at the edge).
//!
//! Layout (all integers LEB128 unless noted):
//!
//! ```text
//! "MAGEPOL\0"  magic, 8 bytes
//! version      u32 little-endian (2)
//! length       u32 little-endian, payload bytes
//! checksum     u64 little-endian, word-wise FNV-1a of the payload
//! payload      settings, stores, ACL nodes (parents first), routes, and the routes'
//!              candidate order (indices by url, the order Magento's router tries them)
//! ```
//!
//! Version 2 added the candidate order: loading checks it in linear time instead of
//! sorting the routes. Version 1 bundles are refused with a [`BundleError`] asking for
//! a recompile.
//!
//! Loading checks everything (lengths, UTF-8, parent indices, unique ids, the default
//! store) and fails with a [`BundleError`] naming the byte offset; it never panics.
//!
//! ```
//! use mage_policy::{bundle, Policy, Principal, Request};
//! let policy = Policy::builder()
//!     .webapi("w.xml", r#"<routes><route url="/V1/x" method="GET"><service class="A" method="b"/>
//!         <resources><resource ref="anonymous"/></resources></route></routes>"#)
//!     .build()?;
//! let bytes = bundle::to_bytes(&policy);
//! let loaded = bundle::from_bytes(&bytes).unwrap();
//! assert!(loaded.decide(&Request::new("GET", "/rest/V1/x"), &Principal::Guest).allowed());
//! # Ok::<(), mage_policy::ConfigError>(())
//! ```

use crate::acl::{AclResource, AclTree};
use crate::config::{ParamDef, RouteDef};
use crate::policy::{AccountShare, Policy, Settings};
use crate::router::path::{Store, Stores};

const MAGIC: &[u8; 8] = b"MAGEPOL\0";
const VERSION: u32 = 2;
const HEADER: usize = 8 + 4 + 4 + 8;

/// A bundle that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// Not a mage-policy bundle.
    #[error("not a mage-policy bundle (bad magic bytes)")]
    BadMagic,
    /// Written by an incompatible version.
    #[error("bundle format version {found} is not supported (expected {expected})")]
    Version {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// Truncated or extended.
    #[error("bundle length mismatch: header says {declared} payload bytes, found {found}")]
    Length {
        /// Length in the header.
        declared: usize,
        /// Bytes present.
        found: usize,
    },
    /// The payload was modified.
    #[error("bundle checksum mismatch (corrupted or modified)")]
    Checksum,
    /// The payload is inconsistent.
    #[error("malformed bundle at byte {offset}: {message}")]
    Malformed {
        /// Offset from the start of the bundle.
        offset: usize,
        /// What is wrong.
        message: String,
    },
}

/// FNV-1a over little-endian 64-bit words (the tail zero-padded), then the length:
/// a corruption check, not a signature.
fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(0x0100_0000_01b3);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(0x0100_0000_01b3);
    (h ^ data.len() as u64).wrapping_mul(0x0100_0000_01b3)
}

struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }
    fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64); // zigzag
    }
    fn bool(&mut self, b: bool) {
        self.0.push(b as u8);
    }
    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.bool(true);
                self.str(s);
            }
            None => self.bool(false),
        }
    }
    fn strs<'a>(&mut self, list: impl ExactSizeIterator<Item = &'a str>) {
        self.uint(list.len() as u64);
        for s in list {
            self.str(s);
        }
    }
}

/// Serialise a compiled policy. Warnings from loading are not kept.
pub fn to_bytes(policy: &Policy) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(64 * 1024));
    let s = policy.settings();
    w.bool(s.allow_insecure);
    w.str(&s.base_path);
    w.bool(s.account_share == AccountShare::Global);
    w.strs(s.insecure_routes.iter().map(String::as_str));
    let stores = policy.stores();
    w.uint(stores.list().len() as u64);
    for st in stores.list() {
        w.str(&st.code);
        w.uint(st.id as u64);
        w.uint(st.website_id as u64);
    }
    w.str(&stores.default_store().code);
    let acl = policy.acl();
    w.uint(acl.len() as u64);
    for n in &acl.nodes {
        w.str(&n.id);
        w.opt_str(n.title.as_deref());
        w.int(n.sort_order);
        w.uint(n.parent.map(|p| p as u64 + 1).unwrap_or(0));
    }
    w.uint(policy.routes().len() as u64);
    for r in policy.routes() {
        w.str(&r.url);
        w.str(&r.method);
        w.bool(r.secure);
        w.opt_str(r.soap_operation.as_deref());
        w.str(&r.service_class);
        w.str(&r.service_method);
        w.strs(r.resources.iter().map(String::as_str));
        w.uint(r.parameters.len() as u64);
        for p in &r.parameters {
            w.str(&p.name);
            w.bool(p.force);
            w.opt_str(p.value.as_deref());
        }
        match r.input_array_size_limit {
            Some(v) => {
                w.bool(true);
                w.int(v);
            }
            None => w.bool(false),
        }
    }
    for i in crate::router::candidate_order(policy.routes()) {
        w.uint(i as u64);
    }
    let payload = w.0;
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&fnv1a(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn err(&self, message: impl Into<String>) -> BundleError {
        BundleError::Malformed {
            offset: HEADER + self.pos,
            message: message.into(),
        }
    }
    fn byte(&mut self) -> Result<u8, BundleError> {
        let b = *self
            .data
            .get(self.pos)
            .ok_or_else(|| self.err("unexpected end of data"))?;
        self.pos += 1;
        Ok(b)
    }
    fn uint(&mut self) -> Result<u64, BundleError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.err("integer too long"))
    }
    fn u32(&mut self) -> Result<u32, BundleError> {
        let v = self.uint()?;
        u32::try_from(v).map_err(|_| self.err("integer out of range"))
    }
    fn int(&mut self) -> Result<i64, BundleError> {
        let u = self.uint()?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }
    fn bool(&mut self) -> Result<bool, BundleError> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.err("expected a boolean")),
        }
    }
    /// A count of items that each take at least one byte: never more than what is left.
    fn count(&mut self) -> Result<usize, BundleError> {
        let n = self.uint()?;
        if n > (self.data.len() - self.pos) as u64 {
            return Err(self.err("list longer than the remaining data"));
        }
        Ok(n as usize)
    }
    fn str(&mut self) -> Result<String, BundleError> {
        let n = self.count()?;
        let bytes = &self.data[self.pos..self.pos + n];
        let s = std::str::from_utf8(bytes).map_err(|_| self.err("string is not UTF-8"))?;
        self.pos += n;
        Ok(s.to_string())
    }
    fn opt_str(&mut self) -> Result<Option<String>, BundleError> {
        Ok(if self.bool()? {
            Some(self.str()?)
        } else {
            None
        })
    }
    fn strs(&mut self) -> Result<Vec<String>, BundleError> {
        let n = self.count()?;
        (0..n).map(|_| self.str()).collect()
    }
}

/// Load a bundle written by [`to_bytes`].
pub fn from_bytes(bytes: &[u8]) -> Result<Policy, BundleError> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err(BundleError::BadMagic);
    }
    let le32 = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let version = le32(&bytes[8..12]);
    if version != VERSION {
        return Err(BundleError::Version {
            found: version,
            expected: VERSION,
        });
    }
    let declared = le32(&bytes[12..16]) as usize;
    let payload = &bytes[HEADER..];
    if payload.len() != declared {
        return Err(BundleError::Length {
            declared,
            found: payload.len(),
        });
    }
    let mut sum = [0u8; 8];
    sum.copy_from_slice(&bytes[16..24]);
    if u64::from_le_bytes(sum) != fnv1a(payload) {
        return Err(BundleError::Checksum);
    }
    let mut r = Reader {
        data: payload,
        pos: 0,
    };

    let allow_insecure = r.bool()?;
    let base_path = r.str()?;
    let account_share = if r.bool()? {
        AccountShare::Global
    } else {
        AccountShare::Website
    };
    let insecure_routes = r.strs()?;
    let n = r.count()?;
    let mut list = Vec::with_capacity(n);
    for _ in 0..n {
        list.push(Store {
            code: r.str()?,
            id: r.u32()?,
            website_id: r.u32()?,
        });
    }
    let default = r.str()?;
    let stores = Stores::new(list, &default).map_err(|e| r.err(e.to_string()))?;

    let n = r.count()?;
    let mut acl = AclTree::default();
    acl.nodes.reserve(n);
    acl.index.reserve(n);
    for i in 0..n {
        let id = r.str()?;
        let title = r.opt_str()?;
        let sort_order = r.int()?;
        let parent = match r.uint()? {
            0 => None,
            p if p as usize <= i => Some((p - 1) as u32),
            _ => {
                return Err(r.err(format!(
                    "ACL node {i} names a parent that does not precede it"
                )))
            }
        };
        if acl.contains(&id) {
            return Err(r.err(format!("ACL id `{id}` appears twice")));
        }
        acl.push(AclResource {
            id,
            title,
            sort_order,
            parent,
            children: Vec::new(),
        });
    }

    let n = r.count()?;
    let mut routes = Vec::with_capacity(n);
    for _ in 0..n {
        let url = r.str()?;
        let method = r.str()?;
        let secure = r.bool()?;
        let soap_operation = r.opt_str()?;
        let service_class = r.str()?;
        let service_method = r.str()?;
        let resources = r.strs()?;
        let np = r.count()?;
        let mut parameters = Vec::with_capacity(np);
        for _ in 0..np {
            parameters.push(ParamDef {
                name: r.str()?,
                force: r.bool()?,
                value: r.opt_str()?,
            });
        }
        let input_array_size_limit = if r.bool()? { Some(r.int()?) } else { None };
        routes.push(RouteDef {
            url,
            method,
            secure,
            soap_operation,
            service_class,
            service_method,
            resources,
            parameters,
            input_array_size_limit,
        });
    }
    let order_at = r.pos;
    let mut ranked = Vec::with_capacity(n);
    for _ in 0..n {
        ranked.push(u32::try_from(r.uint()?).unwrap_or(u32::MAX));
    }
    if !crate::router::is_candidate_order(&routes, &ranked) {
        r.pos = order_at;
        return Err(r.err("the route order is not the routes' candidate order (by url)"));
    }
    if r.pos != payload.len() {
        return Err(r.err("trailing bytes after the route order"));
    }
    let settings = Settings {
        allow_insecure,
        insecure_routes,
        base_path,
        account_share,
        limits: Default::default(),
    };
    Ok(Policy::from_parts(
        routes,
        Some(ranked),
        acl,
        stores,
        settings,
        Vec::new(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_errors() {
        assert_eq!(from_bytes(b"nope").unwrap_err(), BundleError::BadMagic);
        let policy = Policy::builder().build().unwrap();
        let mut b = to_bytes(&policy);
        assert!(from_bytes(&b).is_ok());
        b[8] = 9;
        assert!(matches!(
            from_bytes(&b),
            Err(BundleError::Version { found: 9, .. })
        ));
        b[8] = 1; // the format before the stored route order
        assert!(matches!(
            from_bytes(&b),
            Err(BundleError::Version {
                found: 1,
                expected: 2
            })
        ));
        b[8] = VERSION as u8;
        let last = b.len() - 1;
        b[last] ^= 1;
        assert_eq!(from_bytes(&b).unwrap_err(), BundleError::Checksum);
        b.push(0);
        assert!(matches!(from_bytes(&b), Err(BundleError::Length { .. })));
    }

    #[test]
    fn every_truncation_and_bit_flip_is_an_error_not_a_panic() {
        let policy = Policy::builder()
            .webapi("w.xml", r#"<routes><route url="/V1/x" method="GET"><service class="A" method="b"/><resources><resource ref="R::x"/></resources><data><parameter name="p" force="1">%customer_id%</parameter></data></route></routes>"#)
            .acl("a.xml", r#"<config><acl><resources><resource id="R::root"><resource id="R::x" title="X"/></resource></resources></acl></config>"#)
            .build()
            .unwrap();
        let b = to_bytes(&policy);
        for cut in 0..b.len() {
            assert!(from_bytes(&b[..cut]).is_err());
        }
        // Flip payload bits and fix the checksum, so the structural checks are reached.
        for i in HEADER..b.len() {
            for bit in [0x01u8, 0x80] {
                let mut c = b.clone();
                c[i] ^= bit;
                let sum = fnv1a(&c[HEADER..]);
                c[16..24].copy_from_slice(&sum.to_le_bytes());
                let _ = from_bytes(&c); // must not panic
            }
        }
    }

    #[test]
    fn a_route_order_that_is_not_the_candidate_order_is_refused() {
        let policy = Policy::builder()
            .webapi("w.xml", r#"<routes>
                <route url="/V1/b" method="GET"><service class="A" method="b"/><resources><resource ref="anonymous"/></resources></route>
                <route url="/V1/a" method="GET"><service class="A" method="a"/><resources><resource ref="anonymous"/></resources></route>
                <route url="/V1/a" method="PUT"><service class="A" method="c"/><resources><resource ref="anonymous"/></resources></route>
            </routes>"#)
            .build()
            .unwrap();
        let b = to_bytes(&policy);
        // By url, then table order: /V1/a GET (1), /V1/a PUT (2), /V1/b GET (0).
        assert_eq!(&b[b.len() - 3..], &[1, 2, 0]);
        assert!(from_bytes(&b).is_ok());
        for order in [[2u8, 1, 0], [1, 1, 0], [1, 2, 3]] {
            let mut c = b.clone();
            let at = c.len() - 3;
            c[at..].copy_from_slice(&order);
            let sum = fnv1a(&c[HEADER..]);
            c[16..24].copy_from_slice(&sum.to_le_bytes());
            let err = from_bytes(&c).unwrap_err();
            assert!(
                err.to_string().contains("candidate order"),
                "{order:?}: {err}"
            );
        }
    }
}
