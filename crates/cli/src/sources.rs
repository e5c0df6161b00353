//! Finding configuration files: explicit files, folders, and Magento installations.

use std::path::{Path, PathBuf};

/// What kind of configuration a file holds, judged by its root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Webapi,
    Acl,
}

pub type Files = Vec<(String, String)>;

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The `.xml` files directly in `dir`, sorted by name.
fn xml_files_sorted(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read folder {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "xml"))
        .collect();
    v.sort();
    Ok(v)
}

/// Files of one declared kind: a file, or a folder's `.xml` files in sorted name order.
pub fn explicit(paths: &[PathBuf]) -> Result<Files, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            for f in xml_files_sorted(p)? {
                out.push((f.display().to_string(), read(&f)?));
            }
        } else {
            out.push((p.display().to_string(), read(p)?));
        }
    }
    Ok(out)
}

/// The first element's name, to tell `<routes>` from `<config>`.
pub fn sniff(text: &str) -> Option<Kind> {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                return match e.name().as_ref() {
                    b"routes" => Some(Kind::Webapi),
                    b"config" if text.contains("<acl") => Some(Kind::Acl),
                    _ => None,
                };
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// Is `dir` a Magento installation (has `app/etc` and `app/code` or `vendor`)?
fn is_magento_root(dir: &Path) -> bool {
    dir.join("app/etc").is_dir() && (dir.join("app/code").is_dir() || dir.join("vendor").is_dir())
}

/// Module name → module folder, from `etc/module.xml` under `app/code/*/*` and `vendor/*/*`.
fn modules(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for base in [root.join("app/code"), root.join("vendor")] {
        let Ok(vendors) = std::fs::read_dir(&base) else {
            continue;
        };
        for v in vendors.filter_map(Result::ok) {
            let Ok(pkgs) = std::fs::read_dir(v.path()) else {
                continue;
            };
            for p in pkgs.filter_map(Result::ok) {
                let module_xml = p.path().join("etc/module.xml");
                let Ok(text) = std::fs::read_to_string(&module_xml) else {
                    continue;
                };
                if let Some(name) = module_name(&text) {
                    out.push((name, p.path()));
                }
            }
        }
    }
    out.sort();
    out
}

fn module_name(module_xml: &str) -> Option<String> {
    let i = module_xml.find("<module")?;
    let rest = &module_xml[i..];
    let j = rest.find("name=")? + 5;
    let quote = rest[j..].chars().next()?;
    let value = &rest[j + 1..];
    Some(value[..value.find(quote)?].to_string())
}

/// The enabled modules of `app/etc/config.php`, in its order (Magento's module load
/// order, already sorted by `<sequence>` when setup:upgrade wrote it).
fn config_php_order(root: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(root.join("app/etc/config.php")).ok()?;
    let start = text.find("'modules'")?;
    let mut out = Vec::new();
    for line in text[start..].lines().skip(1) {
        let t = line.trim();
        if t.starts_with(']') || t.starts_with(')') {
            break;
        }
        let mut parts = t.split("=>");
        let (Some(k), Some(v)) = (parts.next(), parts.next()) else {
            continue;
        };
        let k = k.trim().trim_matches(|c| c == '\'' || c == '"');
        if v.trim().trim_end_matches(',').trim() == "1" {
            out.push(k.to_string());
        }
    }
    Some(out)
}

/// Collect webapi and acl files from mixed paths: explicit files (kind sniffed from the
/// root element), folders (searched recursively, sorted by path), or a Magento root.
pub fn discover(paths: &[PathBuf], warn: &mut dyn FnMut(String)) -> Result<(Files, Files), String> {
    let mut webapi = Vec::new();
    let mut acl = Vec::new();
    for p in paths {
        if p.is_dir() && is_magento_root(p) {
            let mods = modules(p);
            let order: Vec<(String, PathBuf)> = match config_php_order(p) {
                Some(names) => {
                    let mut v = Vec::new();
                    for n in names {
                        if let Some((_, dir)) = mods.iter().find(|(m, _)| *m == n) {
                            v.push((n, dir.clone()));
                        }
                    }
                    for (m, _) in &mods {
                        if !v.iter().any(|(n, _)| n == m) {
                            warn(format!(
                                "module {m} is not enabled in app/etc/config.php; skipped"
                            ));
                        }
                    }
                    v
                }
                None => {
                    warn("no app/etc/config.php: modules load in name order".into());
                    mods
                }
            };
            for (_, dir) in order {
                for (name, list) in [("webapi.xml", &mut webapi), ("acl.xml", &mut acl)] {
                    let f = dir.join("etc").join(name);
                    if f.is_file() {
                        list.push((f.display().to_string(), read(&f)?));
                    }
                }
            }
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            found.sort();
            for f in found {
                let text = read(&f)?;
                match sniff(&text) {
                    Some(Kind::Webapi) => webapi.push((f.display().to_string(), text)),
                    Some(Kind::Acl) => acl.push((f.display().to_string(), text)),
                    None => {}
                }
            }
        } else {
            let text = read(p)?;
            match sniff(&text) {
                Some(Kind::Webapi) => webapi.push((p.display().to_string(), text)),
                Some(Kind::Acl) => acl.push((p.display().to_string(), text)),
                // Let the loader report the precise syntax error with its location.
                None if p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().contains("acl")) =>
                {
                    acl.push((p.display().to_string(), text))
                }
                None => webapi.push((p.display().to_string(), text)),
            }
        }
    }
    Ok((webapi, acl))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read folder {}: {e}", dir.display()))?;
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_name_and_sniff() {
        assert_eq!(
            module_name(r#"<config><module name="Vendor_Mod" setup_version="1"/></config>"#)
                .as_deref(),
            Some("Vendor_Mod")
        );
        assert_eq!(
            sniff("<?xml version=\"1.0\"?><!-- x --><routes/>"),
            Some(Kind::Webapi)
        );
        assert_eq!(sniff("<config><acl/></config>"), Some(Kind::Acl));
        assert_eq!(sniff("<config><type/></config>"), None);
    }
}
