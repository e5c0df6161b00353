//! Loading a policy from the command line's flags: XML files and folders or a bundle,
//! and the settings — mapped onto the engine's `EngineOptions`, as the JS layer's
//! `Engine.fromXml` options are.

use std::path::PathBuf;

use clap::Args;
use mage_policy::boundary::options::{self, EngineOptions};
use mage_policy::{bundle, Policy, Store};

use crate::sources;
use crate::Fail;

/// Where the configuration comes from, and the settings.
#[derive(Args, Default)]
pub struct SourceArgs {
    /// webapi.xml files or folders (a folder's *.xml files load in sorted name order).
    #[arg(long, num_args = 1..)]
    pub webapi: Vec<PathBuf>,
    /// acl.xml files or folders.
    #[arg(long, num_args = 1..)]
    pub acl: Vec<PathBuf>,
    /// Turn on webapi/webapisecurity/allow_insecure.
    #[arg(long)]
    pub allow_insecure: bool,
    /// Read the allow_insecure route list from WebapiSecurity's di.xml.
    #[arg(long)]
    pub insecure_di: Option<PathBuf>,
    /// A store view: CODE=WEBSITE_ID or CODE=STORE_ID:WEBSITE_ID (repeatable; ids count from 1).
    #[arg(long = "store")]
    pub stores: Vec<String>,
    /// Store used when a path names none (default: the first --store, or `default`).
    #[arg(long)]
    pub default_store: Option<String>,
    /// Base URL path in front of /rest (e.g. /index.php).
    #[arg(long)]
    pub base_path: Option<String>,
    /// customer/account_share/scope: website (default) or global.
    #[arg(long)]
    pub account_share: Option<String>,
}

/// A policy from XML or from a bundle.
#[derive(Args)]
pub struct LoadArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Load a compiled bundle instead of XML.
    #[arg(long, conflicts_with_all = ["webapi", "acl"])]
    pub bundle: Option<PathBuf>,
}

fn read(path: &PathBuf) -> Result<String, Fail> {
    std::fs::read_to_string(path).map_err(|e| Fail(format!("cannot read {}: {e}", path.display())))
}

/// `CODE=WEBSITE_ID` or `CODE=STORE_ID:WEBSITE_ID`; the store id defaults to the
/// position (counting from 1).
fn parse_store(i: usize, s: &str) -> Result<Store, Fail> {
    let (code, ids) = s.split_once('=').ok_or_else(|| {
        Fail(format!(
            "--store {s}: expected CODE=WEBSITE_ID or CODE=STORE_ID:WEBSITE_ID"
        ))
    })?;
    let number = |n: &str| {
        n.parse::<u32>()
            .map_err(|_| Fail(format!("--store {s}: `{n}` is not a whole number")))
    };
    let (id, website) = match ids.split_once(':') {
        Some((a, b)) => (number(a)?, number(b)?),
        None => (i as u32 + 1, number(ids)?),
    };
    Ok(Store {
        code: code.to_string(),
        id,
        website_id: website,
    })
}

impl SourceArgs {
    /// The engine options these flags describe, with the files given.
    pub fn options(
        &self,
        webapi: sources::Files,
        acl: sources::Files,
    ) -> Result<EngineOptions, Fail> {
        let mut o = EngineOptions {
            webapi,
            acl,
            allow_insecure: self.allow_insecure,
            default_store: self.default_store.clone(),
            base_path: self.base_path.clone(),
            ..EngineOptions::default()
        };
        if let Some(di) = &self.insecure_di {
            o.webapi_security_di = Some((di.display().to_string(), read(di)?));
        }
        if !self.stores.is_empty() {
            o.stores = Some(
                self.stores
                    .iter()
                    .enumerate()
                    .map(|(i, s)| parse_store(i, s))
                    .collect::<Result<_, _>>()?,
            );
        }
        if let Some(s) = &self.account_share {
            o.account_share = options::account_share(s)?;
        }
        Ok(o)
    }
}

/// Build, printing warnings to stderr; errors become one line per diagnostic.
pub fn build(options: EngineOptions) -> Result<Policy, Fail> {
    match options.build() {
        Ok(p) => {
            for d in p.diagnostics() {
                eprintln!("{d}");
            }
            Ok(p)
        }
        Err(e) => {
            let lines: Vec<String> = e.diagnostics.iter().map(|d| d.to_string()).collect();
            Err(Fail(lines.join("\n")))
        }
    }
}

/// The policy the flags name.
pub fn load(args: &LoadArgs) -> Result<Policy, Fail> {
    if let Some(path) = &args.bundle {
        let bytes = std::fs::read(path)
            .map_err(|e| Fail(format!("cannot read {}: {e}", path.display())))?;
        let mut p =
            bundle::from_bytes(&bytes).map_err(|e| Fail(format!("{}: {e}", path.display())))?;
        let o = args.source.options(Vec::new(), Vec::new())?;
        if let Some(stores) = o.store_list()? {
            p = p.with_stores(stores);
        }
        return Ok(p);
    }
    if args.source.webapi.is_empty() {
        return Err(Fail("give --webapi (and --acl) paths, or --bundle".into()));
    }
    let webapi = sources::explicit(&args.source.webapi)?;
    let acl = sources::explicit(&args.source.acl)?;
    build(args.source.options(webapi, acl)?)
}
