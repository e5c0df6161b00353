//! `mage-policy`: Magento web API policy from the command line. JSON in, JSON out,
//! one document per line. Exit status: 0 when the tool ran (a denial is still a
//! successful run), 2 for bad usage or unreadable input.
//!
//! Every JSON shape printed here comes from the engine's `boundary` module, which the
//! WebAssembly binding uses too: the CLI and the JS API answer alike.

mod authorize;
mod creds;
mod lines;
mod load;
mod policy;
mod sources;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
        source: load::SourceArgs,
    },
    /// Decide requests read as JSON lines from stdin; one JSON line out per request.
    Decide(load::LoadArgs),
    /// Authorize whole HTTP requests (identify the caller, decide, force parameters):
    /// JSON lines `{"method","url","headers","body"}` in, one JSON line out each.
    Authorize(Box<authorize::AuthorizeArgs>),
    /// Explain one request in words (JSON request as argument or first stdin line).
    Explain {
        #[command(flatten)]
        load: load::LoadArgs,
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
        load: load::LoadArgs,
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

/// A usage or input error: message to stderr, exit 2.
pub(crate) struct Fail(pub(crate) String);

impl<E: std::fmt::Display> From<E> for Fail {
    fn from(e: E) -> Self {
        Fail(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Compile {
            paths,
            output,
            source,
        } => policy::compile(paths, output, source).map(|_| true),
        Command::Decide(args) => policy::decide(args),
        Command::Authorize(args) => authorize::authorize(args),
        Command::Jwt(cmd) => creds::jwt(cmd),
        Command::Oauth(cmd) => creds::oauth(cmd),
        Command::Explain { load, request } => policy::explain(load, request.clone()).map(|_| true),
        Command::Routes {
            load,
            principal,
            in_store,
            all,
            json,
        } => policy::routes(load, principal, in_store.as_deref(), *all, *json).map(|_| true),
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
