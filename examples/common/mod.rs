//! What the profiling examples share: the Magento corpus beside the repository.

use mage_policy::Policy;

/// The policy of the Magento corpus (`$MAGE_POLICY_CORPUS`, default
/// `../shared/corpus/magento`), its files in name order.
pub fn corpus_policy() -> Policy {
    let dir = std::env::var_os("MAGE_POLICY_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/magento")
        });
    let mut b = Policy::builder();
    for kind in ["webapi", "acl"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(kind))
            .unwrap_or_else(|e| panic!("the Magento corpus at {}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let t = std::fs::read_to_string(&f).unwrap();
            b = if kind == "webapi" {
                b.webapi(f.display().to_string(), t)
            } else {
                b.acl(f.display().to_string(), t)
            };
        }
    }
    b.build().unwrap()
}
