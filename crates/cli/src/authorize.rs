//! `mage-policy authorize`: whole HTTP requests, as an edge sees them — the same
//! gateway and the same JSON as `engine.gateway(sources).authorize(request)` in JS.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use mage_policy::boundary::gateway::{Gateway, GatewayOptions, NoCallbacks, OwnedRequest};
use mage_policy::boundary::input;
use serde_json::{json, Value};

use crate::load::{self, LoadArgs};
use crate::{lines, Fail};

/// Flags of `mage-policy authorize`.
#[derive(Args)]
pub struct AuthorizeArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// The sources as JSON (the object `engine.gateway(sources)` takes, with data in
    /// place of functions: `session`, `customerWebsite`, `adminRole`,
    /// `integrationRole` keyed by id, `placeholders` an object).
    #[arg(long)]
    sources: Option<PathBuf>,
    /// `crypt/key` from app/etc/env.php: verify Magento JWT bearer tokens.
    #[arg(long)]
    crypt_key: Option<String>,
    /// webapi/jwtauth/jwt_alg (default HS256).
    #[arg(long)]
    jwt_alg: Option<String>,
    /// A revocation TYPE:ID:REVOKE_BEFORE (TYPE = customer|admin|integration or 1–3).
    #[arg(long)]
    revoked: Vec<String>,
    /// OAuth consumers and tokens (the file `oauth verify --consumers` reads).
    #[arg(long)]
    oauth_credentials: Option<PathBuf>,
    /// OAuth base-string profile (default magento-2.4.7).
    #[arg(long)]
    oauth_profile: Option<String>,
    /// An admin's role: ID=all or ID=Magento_X::a,Magento_Y::b (repeatable).
    #[arg(long)]
    admin_role: Vec<String>,
    /// An integration's permissions, as for --admin-role.
    #[arg(long)]
    integration_role: Vec<String>,
    /// A customer's website: ID=WEBSITE_ID (repeatable).
    #[arg(long)]
    customer_website: Vec<String>,
    /// A storefront session: SID=CUSTOMER_ID or SID=CUSTOMER_ID:WEBSITE_ID (repeatable).
    #[arg(long)]
    session: Vec<String>,
    /// The current time, Unix seconds (default: the sources' `now`, else the clock).
    #[arg(long)]
    now: Option<i64>,
}

fn pair<'a>(flag: &str, s: &'a str) -> Result<(&'a str, &'a str), Fail> {
    s.split_once('=')
        .ok_or_else(|| Fail(format!("--{flag} {s}: expected KEY=VALUE")))
}

fn id_map(
    sources: &mut serde_json::Map<String, Value>,
    key: &str,
    flag: &str,
    items: &[String],
    value: impl Fn(&str) -> Result<Value, Fail>,
) -> Result<(), Fail> {
    if items.is_empty() {
        return Ok(());
    }
    let entry = sources.entry(key).or_insert_with(|| json!({}));
    let Value::Object(map) = entry else {
        return Err(Fail(format!(
            "--{flag}: the sources' `{key}` is not an object"
        )));
    };
    for item in items {
        let (k, v) = pair(flag, item)?;
        map.insert(k.to_string(), value(v)?);
    }
    Ok(())
}

impl AuthorizeArgs {
    /// The sources: the file's, with the flags' members added over it.
    fn sources(&self) -> Result<GatewayOptions, Fail> {
        let mut v = match &self.sources {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Fail(format!("cannot read {}: {e}", path.display())))?;
                input::parse(&text, &path.display().to_string())?
            }
            None => json!({}),
        };
        let Value::Object(s) = &mut v else {
            return Err(Fail("--sources: expected a JSON object".into()));
        };
        if self.crypt_key.is_some() || self.jwt_alg.is_some() || !self.revoked.is_empty() {
            let jwt = s.entry("jwt").or_insert_with(|| json!({}));
            if let Some(k) = &self.crypt_key {
                jwt["cryptKey"] = json!(k);
            }
            if let Some(a) = &self.jwt_alg {
                jwt["alg"] = json!(a);
            }
            let list = jwt
                .as_object_mut()
                .ok_or_else(|| Fail("the sources' `jwt` is not an object".into()))?
                .entry("revoked")
                .or_insert_with(|| json!([]));
            for r in &self.revoked {
                let parts: Vec<&str> = r.split(':').collect();
                let [t, id, before] = parts.as_slice() else {
                    return Err(Fail(format!(
                        "--revoked {r}: expected TYPE:ID:REVOKE_BEFORE"
                    )));
                };
                let user_type = mage_policy::boundary::credentials::user_type(t)?;
                let id: u64 = id
                    .parse()
                    .map_err(|_| Fail(format!("--revoked {r}: bad id")))?;
                let before: i64 = before
                    .parse()
                    .map_err(|_| Fail(format!("--revoked {r}: bad time")))?;
                if let Value::Array(a) = list {
                    a.push(json!({"userType": user_type, "id": id, "before": before}));
                }
            }
        }
        if self.oauth_credentials.is_some() || self.oauth_profile.is_some() {
            let o = s.entry("oauth").or_insert_with(|| json!({}));
            if let Some(path) = &self.oauth_credentials {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Fail(format!("cannot read {}: {e}", path.display())))?;
                o["credentials"] = input::parse(&text, &path.display().to_string())?;
            }
            if let Some(p) = &self.oauth_profile {
                o["profile"] = json!(p);
            }
        }
        let role = |v: &str| -> Result<Value, Fail> {
            Ok(if v == "all" {
                json!("all")
            } else {
                json!(v.split(',').filter(|s| !s.is_empty()).collect::<Vec<_>>())
            })
        };
        id_map(s, "adminRole", "admin-role", &self.admin_role, role)?;
        id_map(
            s,
            "integrationRole",
            "integration-role",
            &self.integration_role,
            role,
        )?;
        id_map(
            s,
            "customerWebsite",
            "customer-website",
            &self.customer_website,
            |w| {
                w.parse::<u32>()
                    .map(|w| json!(w))
                    .map_err(|_| Fail(format!("--customer-website: `{w}` is not a whole number")))
            },
        )?;
        id_map(s, "session", "session", &self.session, |c| {
            let (id, website) = match c.split_once(':') {
                Some((a, b)) => (a, Some(b)),
                None => (c, None),
            };
            let id: u64 = id
                .parse()
                .map_err(|_| Fail(format!("--session: `{id}` is not a customer id")))?;
            let mut v = json!({ "id": id });
            if let Some(w) = website {
                v["website"] = json!(w
                    .parse::<u32>()
                    .map_err(|_| Fail(format!("--session: `{w}` is not a website id")))?);
            }
            Ok(v)
        })?;
        Ok(GatewayOptions::from_value(&v)?)
    }
}

fn clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `mage-policy authorize`.
pub fn authorize(args: &AuthorizeArgs) -> Result<bool, Fail> {
    let policy = load::load(&args.load)?;
    let options = args.sources()?;
    let mut gateway = Gateway::new(Arc::new(policy), options)?;
    lines::each(|_, line| {
        let v = input::parse(line, "request").map_err(|e| e.to_string())?;
        let req = OwnedRequest::from_value(&v).map_err(|e| e.to_string())?;
        let now = args.now.or(gateway.fixed_now()).unwrap_or_else(clock);
        gateway
            .authorize(&req.as_http(), now, &NoCallbacks)
            .map_err(|e| e.to_string())
    })
}
