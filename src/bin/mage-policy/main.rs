//! `mage-policy`: Magento web API policy from the command line. JSON in, JSON out,
//! one document per line. Exit status: 0 when the tool ran (a denial is still a
//! successful run), 2 for bad usage or unreadable input.

mod creds;
mod sources;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use mage_policy::wire::{self, PrincipalSpec, RoleCache};
use mage_policy::{bundle, Policy, Principal, Request, Store, Stores};
use serde::Deserialize;
use serde_json::json;

#[derive(Parser)]
#[command(
    name = "mage-policy",
    version,
    about = "Magento 2 web API access policy: routing, authorization, forced parameters"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile webapi.xml/acl.xml (files, folders or a Magento root) into a bundle.
    Compile {
        /// Files, folders (searched recursively; kind from the root element), or a Magento root.
        paths: Vec<PathBuf>,
        /// Output bundle file.
        #[arg(short, long)]
        output: PathBuf,
        #[command(flatten)]
        source: SourceArgs,
    },
    /// Decide requests read as JSON lines from stdin; one JSON line out per request.
    Decide(LoadArgs),
    /// Explain one request in words (JSON request as argument or first stdin line).
    Explain {
        #[command(flatten)]
        load: LoadArgs,
        /// The request, e.g. '{"method":"GET","path":"/rest/V1/customers/me","principal":{"type":"guest"}}'
        /// (default: the first line of stdin).
        #[arg(long)]
        request: Option<String>,
    },
    /// Magento JWT user tokens: issue, verify, decode.
    #[command(subcommand)]
    Jwt(creds::JwtCommand),
    /// OAuth 1.0a: sign, verify, base-string.
    #[command(subcommand)]
    Oauth(creds::OAuthCommand),
    /// List every route a principal may call.
    Routes {
        #[command(flatten)]
        load: LoadArgs,
        /// The principal as JSON (default guest).
        #[arg(long, default_value = r#"{"type":"guest"}"#)]
        principal: String,
        /// Store code the calls are made in (default: the default store; `all` = admin store).
        #[arg(long = "in-store")]
        in_store: Option<String>,
        /// List denied routes too, with what is missing.
        #[arg(long)]
        all: bool,
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Default)]
struct SourceArgs {
    /// webapi.xml files or folders (a folder's *.xml files load in sorted name order).
    #[arg(long, num_args = 1..)]
    webapi: Vec<PathBuf>,
    /// acl.xml files or folders.
    #[arg(long, num_args = 1..)]
    acl: Vec<PathBuf>,
    /// Turn on webapi/webapisecurity/allow_insecure.
    #[arg(long)]
    allow_insecure: bool,
    /// Read the allow_insecure route list from WebapiSecurity's di.xml.
    #[arg(long)]
    insecure_di: Option<PathBuf>,
    /// A store view: CODE=WEBSITE_ID or CODE=STORE_ID:WEBSITE_ID (repeatable; ids count from 1).
    #[arg(long = "store")]
    stores: Vec<String>,
    /// Store used when a path names none (default: the first --store, or `default`).
    #[arg(long)]
    default_store: Option<String>,
    /// Base URL path in front of /rest (e.g. /index.php).
    #[arg(long, default_value = "")]
    base_path: String,
}

#[derive(Args)]
struct LoadArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Load a compiled bundle instead of XML.
    #[arg(long, conflicts_with_all = ["webapi", "acl"])]
    bundle: Option<PathBuf>,
}

/// A usage or input error: message to stderr, exit 2.
pub(crate) struct Fail(pub(crate) String);

impl<E: std::fmt::Display> From<E> for Fail {
    fn from(e: E) -> Self {
        Fail(e.to_string())
    }
}

fn parse_stores(args: &SourceArgs) -> Result<Option<Stores>, Fail> {
    if args.stores.is_empty() {
        return match &args.default_store {
            Some(d) if d != "default" => Err(Fail(format!("--default-store {d} is not a --store"))),
            _ => Ok(None),
        };
    }
    let mut list = Vec::new();
    for (i, s) in args.stores.iter().enumerate() {
        let (code, ids) = s.split_once('=').ok_or_else(|| {
            Fail(format!(
                "--store {s}: expected CODE=WEBSITE_ID or CODE=STORE_ID:WEBSITE_ID"
            ))
        })?;
        let (id, website) = match ids.split_once(':') {
            Some((a, b)) => (a.parse()?, b.parse()?),
            None => (i as u32 + 1, ids.parse()?),
        };
        list.push(Store {
            code: code.to_string(),
            id,
            website_id: website,
        });
    }
    let default = args
        .default_store
        .clone()
        .unwrap_or_else(|| list[0].code.clone());
    Ok(Some(Stores::new(list, &default)?))
}

fn build(args: &SourceArgs, webapi: sources::Files, acl: sources::Files) -> Result<Policy, Fail> {
    let mut b = Policy::builder()
        .allow_insecure(args.allow_insecure)
        .base_path(args.base_path.clone());
    if let Some(di) = &args.insecure_di {
        let text = std::fs::read_to_string(di)
            .map_err(|e| Fail(format!("cannot read {}: {e}", di.display())))?;
        b = b.insecure_routes_from_di_xml(&di.display().to_string(), &text);
    }
    if let Some(stores) = parse_stores(args)? {
        b = b.stores(stores);
    }
    for (n, t) in webapi {
        b = b.webapi(n, t);
    }
    for (n, t) in acl {
        b = b.acl(n, t);
    }
    match b.build() {
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

fn load(args: &LoadArgs) -> Result<Policy, Fail> {
    if let Some(path) = &args.bundle {
        let bytes = std::fs::read(path)
            .map_err(|e| Fail(format!("cannot read {}: {e}", path.display())))?;
        let mut p =
            bundle::from_bytes(&bytes).map_err(|e| Fail(format!("{}: {e}", path.display())))?;
        if let Some(stores) = parse_stores(&args.source)? {
            p = p.with_stores(stores);
        }
        return Ok(p);
    }
    if args.source.webapi.is_empty() {
        return Err(Fail("give --webapi (and --acl) paths, or --bundle".into()));
    }
    let webapi = sources::explicit(&args.source.webapi)?;
    let acl = sources::explicit(&args.source.acl)?;
    build(&args.source, webapi, acl)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestLine {
    method: String,
    path: String,
    #[serde(default = "yes")]
    https: bool,
    #[serde(default = "guest")]
    principal: PrincipalSpec,
}

fn yes() -> bool {
    true
}

fn guest() -> PrincipalSpec {
    PrincipalSpec::Guest
}

fn decide(args: &LoadArgs) -> Result<bool, Fail> {
    let policy = load(args)?;
    let cache = RoleCache::default();
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut clean = true;
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let value = match serde_json::from_str::<RequestLine>(&line) {
            Ok(req) => {
                let principal = req.principal.to_principal(&policy, &cache);
                let d = policy.decide(
                    &Request::new(&req.method, &req.path).https(req.https),
                    &principal,
                );
                wire::decision_json(&d)
            }
            Err(e) => {
                clean = false;
                json!({"error": {"line": n + 1, "message": e.to_string()}})
            }
        };
        writeln!(out, "{value}")?;
    }
    out.flush()?;
    Ok(clean)
}

fn explain(load_args: &LoadArgs, request: Option<String>) -> Result<(), Fail> {
    let policy = load(load_args)?;
    let text = match request {
        Some(r) => r,
        None => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line
        }
    };
    let req: RequestLine =
        serde_json::from_str(&text).map_err(|e| Fail(format!("request: {e}")))?;
    let principal = req.principal.to_principal(&policy, &RoleCache::default());
    let d = policy.decide(
        &Request::new(&req.method, &req.path).https(req.https),
        &principal,
    );
    print!("{}", wire::explain(&d, &principal));
    Ok(())
}

fn routes(
    load_args: &LoadArgs,
    principal: &str,
    store: Option<&str>,
    all: bool,
    as_json: bool,
) -> Result<(), Fail> {
    let policy = load(load_args)?;
    let spec: PrincipalSpec =
        serde_json::from_str(principal).map_err(|e| Fail(format!("--principal: {e}")))?;
    let principal: Principal = spec.to_principal(&policy, &RoleCache::default());
    if let Some(code) = store {
        if code != "all" && policy.stores().get(code).is_none() {
            return Err(Fail(format!("--in-store {code} is not a known store code")));
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (i, r) in policy.routes().iter().enumerate() {
        let verdict = policy.route_access(i, &principal, store);
        if !all && !verdict.allowed {
            continue;
        }
        if as_json {
            let line = json!({
                "url": r.url, "method": r.method,
                "service": format!("{}::{}", r.service_class, r.service_method),
                "allowed": verdict.allowed, "resources": policy.effective_resources(i), "missing": verdict.missing,
            });
            writeln!(out, "{line}")?;
        } else if verdict.allowed {
            writeln!(out, "{:<7}{}", r.method, r.url)?;
        } else {
            writeln!(
                out,
                "{:<7}{}  DENIED (missing {})",
                r.method,
                r.url,
                verdict.missing.join(", ")
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

fn compile(paths: &[PathBuf], output: &PathBuf, source: &SourceArgs) -> Result<(), Fail> {
    let (mut webapi, mut acl) = sources::discover(paths, &mut |w| eprintln!("warning: {w}"))?;
    webapi.extend(sources::explicit(&source.webapi)?);
    acl.extend(sources::explicit(&source.acl)?);
    if webapi.is_empty() {
        return Err(Fail("no webapi.xml found in the given paths".into()));
    }
    let (nw, na) = (webapi.len(), acl.len());
    let policy = build(source, webapi, acl)?;
    let bytes = bundle::to_bytes(&policy);
    std::fs::write(output, &bytes)
        .map_err(|e| Fail(format!("cannot write {}: {e}", output.display())))?;
    eprintln!(
        "compiled {nw} webapi.xml and {na} acl.xml: {} routes, {} ACL ids → {} ({} bytes)",
        policy.routes().len(),
        policy.acl().len(),
        output.display(),
        bytes.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Compile {
            paths,
            output,
            source,
        } => compile(paths, output, source).map(|_| true),
        Command::Decide(args) => decide(args),
        Command::Jwt(cmd) => creds::jwt(cmd),
        Command::Oauth(cmd) => creds::oauth(cmd),
        Command::Explain { load, request } => explain(load, request.clone()).map(|_| true),
        Command::Routes {
            load,
            principal,
            in_store,
            all,
            json,
        } => routes(load, principal, in_store.as_deref(), *all, *json).map(|_| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(2),
        Err(Fail(msg)) => {
            eprintln!("mage-policy: {msg}");
            ExitCode::from(2)
        }
    }
}
