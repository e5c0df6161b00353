//! HMAC, constant-time comparison and Base64, in one place.

use hmac::{Hmac, Mac};

/// The hash functions the engine signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

/// HMAC of `data` under `key`.
pub(crate) fn hmac(hash: Hash, key: &[u8], data: &[u8]) -> Vec<u8> {
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut mac = <M as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }
    match hash {
        Hash::Sha1 => run::<Hmac<sha1::Sha1>>(key, data),
        Hash::Sha256 => run::<Hmac<sha2::Sha256>>(key, data),
        Hash::Sha384 => run::<Hmac<sha2::Sha384>>(key, data),
        Hash::Sha512 => run::<Hmac<sha2::Sha512>>(key, data),
    }
}

/// An HMAC key made ready once: the inner and outer padded key blocks are already
/// hashed, so each MAC costs only the message blocks and one outer block (two fewer
/// compressions than keying from scratch, and no key hashing for long keys).
#[derive(Clone)]
pub(crate) enum MacKey {
    Sha1(Hmac<sha1::Sha1>),
    Sha256(Hmac<sha2::Sha256>),
    Sha384(Hmac<sha2::Sha384>),
    Sha512(Hmac<sha2::Sha512>),
}

impl MacKey {
    pub(crate) fn new(hash: Hash, key: &[u8]) -> MacKey {
        fn keyed<M: Mac + hmac::digest::KeyInit>(key: &[u8]) -> M {
            <M as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length")
        }
        match hash {
            Hash::Sha1 => MacKey::Sha1(keyed(key)),
            Hash::Sha256 => MacKey::Sha256(keyed(key)),
            Hash::Sha384 => MacKey::Sha384(keyed(key)),
            Hash::Sha512 => MacKey::Sha512(keyed(key)),
        }
    }

    /// The MAC of `data`.
    pub(crate) fn mac(&self, data: &[u8]) -> Vec<u8> {
        fn run<M: Mac + Clone>(m: &M, data: &[u8]) -> Vec<u8> {
            let mut m = m.clone();
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        match self {
            MacKey::Sha1(m) => run(m, data),
            MacKey::Sha256(m) => run(m, data),
            MacKey::Sha384(m) => run(m, data),
            MacKey::Sha512(m) => run(m, data),
        }
    }
}

/// Compare secrets without an early exit: the time taken depends only on the
/// lengths, never on where the inputs first differ.
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    // black_box keeps the optimiser from turning the fold into an early exit.
    std::hint::black_box(diff) == 0
}

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The value of each byte in the URL alphabet (255: not in it).
const URL_VALUES: [u8; 256] = {
    let mut t = [255u8; 256];
    let mut i = 0;
    while i < 64 {
        t[URL[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Base64 (RFC 4648 §4 or §5); a dozen lines instead of a crate, for the wasm size.
fn encode(data: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

pub(crate) fn b64(data: &[u8]) -> String {
    encode(data, STD, true)
}

pub(crate) fn b64url(data: &[u8]) -> String {
    encode(data, URL, false)
}

/// Strict base64url without padding: other characters, padding, and non-canonical
/// trailing bits are refused.
pub(crate) fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.as_bytes();
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = vec![0u8; s.len() * 3 / 4];
    let mut o = 0;
    // Index loops rather than chunk iterators: this runs on every JWT, and at
    // opt-level "z" the iterator adapters stay out-of-line calls.
    let mut i = 0;
    while i < s.len() {
        let len = (s.len() - i).min(4);
        let mut n = 0u32;
        for k in 0..len {
            let v = URL_VALUES[s[i + k] as usize];
            if v == 255 {
                return None;
            }
            n |= (v as u32) << (18 - 6 * k);
        }
        let bytes = len * 6 / 8;
        // Unused low bits of the last character must be zero (canonical encoding).
        if n & ((1 << (24 - 8 * bytes)) - 1) != 0 {
            return None;
        }
        for k in 0..bytes {
            out[o + k] = (n >> (16 - 8 * k)) as u8;
        }
        o += bytes;
        i += 4;
    }
    debug_assert_eq!(o, out.len());
    Some(out)
}

/// Fill `out` from the platform's secure random source (`getrandom`; in browsers and
/// workers `crypto.getRandomValues`).
pub(crate) fn random_bytes(out: &mut [u8]) -> Result<(), String> {
    getrandom::fill(out).map_err(|e| format!("no secure random source: {e}"))
}

/// Magento's token/nonce shape: `len` characters from `[0-9a-z]`, uniformly drawn
/// (rejection sampling, no modulo bias).
pub(crate) fn random_token(len: usize) -> Result<String, String> {
    const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        random_bytes(&mut buf)?;
        for &b in &buf {
            // 252 = 7 × 36: values at or above it would bias the first characters.
            if b < 252 && out.len() < len {
                out.push(ALPHABET[(b % 36) as usize] as char);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ct_eq_compares_whole_inputs() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        assert!(ct_eq(b"", b""));
    }

    #[test]
    fn base64_matches_rfc4648() {
        for (raw, std, url) in [
            (&b""[..], "", ""),
            (b"f", "Zg==", "Zg"),
            (b"fo", "Zm8=", "Zm8"),
            (b"foo", "Zm9v", "Zm9v"),
            (b"foob", "Zm9vYg==", "Zm9vYg"),
            (b"\xfb\xff\xbf", "+/+/", "-_-_"),
        ] {
            assert_eq!(b64(raw), std);
            assert_eq!(b64url(raw), url);
            assert_eq!(b64url_decode(url).as_deref(), Some(raw));
        }
        assert_eq!(b64url_decode("Zh"), None); // non-canonical trailing bits
        assert_eq!(b64url_decode("Zg=="), None);
        assert_eq!(b64url_decode("Z"), None);
        assert_eq!(b64url_decode("+/+/"), None);
    }

    proptest::proptest! {
        /// The strict decoder agrees with the base64 crate's strict URL-safe,
        /// no-padding engine on arbitrary text (valid, junk, padded, non-canonical).
        #[test]
        fn b64url_decode_agrees_with_the_base64_crate(s in "[A-Za-z0-9_=+/-]{0,40}") {
            use base64::Engine;
            let theirs = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&s).ok();
            proptest::prop_assert_eq!(b64url_decode(&s), theirs);
        }

        #[test]
        fn b64url_round_trips(data in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            proptest::prop_assert_eq!(b64url_decode(&b64url(&data)), Some(data));
        }
    }

    #[test]
    fn random_tokens_have_magentos_shape() {
        let t = random_token(32).unwrap();
        assert_eq!(t.len(), 32);
        assert!(t
            .bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
        assert_ne!(t, random_token(32).unwrap());
    }

    #[test]
    fn hmac_sha1_matches_rfc2202() {
        // RFC 2202 test case 2
        let mac = hmac(Hash::Sha1, b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }
}
