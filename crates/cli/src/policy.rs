//! `compile`, `decide`, `explain` and `routes`: questions about the policy alone.

use std::io::Write;
use std::path::{Path, PathBuf};

use mage_policy::boundary::input;
use mage_policy::boundary::output;
use mage_policy::boundary::principal::PrincipalSpec;
use mage_policy::boundary::roles::RoleRegistry;
use mage_policy::{bundle, Request};

use crate::load::{self, LoadArgs, SourceArgs};
use crate::{lines, sources, Fail};

/// A decision request line: `{"method","path","https","principal"}`.
struct RequestLine {
    method: String,
    path: String,
    https: bool,
    principal: PrincipalSpec,
}

fn request_line(text: &str) -> Result<RequestLine, String> {
    let v = input::parse(text, "request").map_err(|e| e.to_string())?;
    let read = || -> Result<RequestLine, input::InputError> {
        let o = input::obj(&v, "request")?;
        o.only(&["method", "path", "https", "principal"])?;
        Ok(RequestLine {
            method: o.req_str("method")?.to_string(),
            path: o.req_str("path")?.to_string(),
            https: o.opt_bool("https")?.unwrap_or(true),
            principal: PrincipalSpec::from_value(o.get("principal"), "request.principal")?,
        })
    };
    read().map_err(|e| e.to_string())
}

/// `mage-policy decide`.
pub fn decide(args: &LoadArgs) -> Result<bool, Fail> {
    let policy = load::load(args)?;
    let mut roles = RoleRegistry::default();
    lines::each(|_, line| {
        let r = request_line(line)?;
        let principal = r.principal.to_principal(&policy, &mut roles);
        let d = policy.decide(&Request::new(&r.method, &r.path).https(r.https), &principal);
        Ok(output::decision(&d))
    })
}

/// `mage-policy explain`.
pub fn explain(args: &LoadArgs, request: Option<String>) -> Result<(), Fail> {
    let policy = load::load(args)?;
    let text = match request {
        Some(r) => r,
        None => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line
        }
    };
    let r = request_line(&text).map_err(|e| Fail(format!("request: {e}")))?;
    let principal = r
        .principal
        .to_principal(&policy, &mut RoleRegistry::default());
    let d = policy.decide(&Request::new(&r.method, &r.path).https(r.https), &principal);
    print!("{}", output::explain(&d, &principal));
    Ok(())
}

/// `mage-policy routes`.
pub fn routes(
    args: &LoadArgs,
    principal: &str,
    store: Option<&str>,
    all: bool,
    as_json: bool,
) -> Result<(), Fail> {
    let policy = load::load(args)?;
    let spec = PrincipalSpec::from_json(principal, "--principal")?;
    let principal = spec.to_principal(&policy, &mut RoleRegistry::default());
    if let Some(code) = store {
        if code != "all" && policy.stores().get(code).is_none() {
            return Err(Fail(format!("--in-store {code} is not a known store code")));
        }
    }
    let json_lines = output::routes(&policy, &principal, store);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (i, r) in policy.routes().iter().enumerate() {
        let verdict = policy.route_access(i, &principal, store);
        if !all && !verdict.allowed {
            continue;
        }
        if as_json {
            writeln!(out, "{}", json_lines[i])?;
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

/// `mage-policy compile`.
pub fn compile(paths: &[PathBuf], output_path: &Path, source: &SourceArgs) -> Result<(), Fail> {
    let (mut webapi, mut acl) = sources::discover(paths, &mut |w| eprintln!("warning: {w}"))?;
    webapi.extend(sources::explicit(&source.webapi)?);
    acl.extend(sources::explicit(&source.acl)?);
    if webapi.is_empty() {
        return Err(Fail("no webapi.xml found in the given paths".into()));
    }
    let (nw, na) = (webapi.len(), acl.len());
    let policy = load::build(source.options(webapi, acl)?)?;
    let bytes = bundle::to_bytes(&policy);
    std::fs::write(output_path, &bytes)
        .map_err(|e| Fail(format!("cannot write {}: {e}", output_path.display())))?;
    eprintln!(
        "compiled {nw} webapi.xml and {na} acl.xml: {} routes, {} ACL ids → {} ({} bytes)",
        policy.routes().len(),
        policy.acl().len(),
        output_path.display(),
        bytes.len()
    );
    Ok(())
}
