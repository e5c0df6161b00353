//! The integration side of Magento's token exchange (spec §7.5): the activation POST
//! Magento sends to the integration's endpoint, the request-token and access-token
//! calls, and their responses.

use serde::Serialize;

use super::encode::form_pairs;
use super::params::SignedRequest;
use super::sign::{sign, ClientCredentials, SignOptions, Signed};
use super::OAuthError;

/// `oauth/consumer/expiration_period`: the request-token call must come within this
/// many seconds of activation (Magento compares strictly).
pub const CONSUMER_KEY_WINDOW: i64 = 300;

/// What Magento POSTs to an integration's endpoint when an admin activates it.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Activation {
    /// `oauth_consumer_key`.
    pub consumer_key: String,
    /// `oauth_consumer_secret`.
    pub consumer_secret: String,
    /// `store_base_url`.
    pub store_base_url: String,
    /// `oauth_verifier`.
    pub verifier: String,
    /// When the request-token call must have happened by (received time + 300 s).
    pub request_token_deadline: i64,
}

impl std::fmt::Debug for Activation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Activation")
            .field("consumer_key", &self.consumer_key)
            .field("store_base_url", &self.store_base_url)
            .finish_non_exhaustive()
    }
}

impl Activation {
    /// Whether Magento would answer `Consumer key has expired` at `now`.
    pub fn expired(&self, now: i64) -> bool {
        now >= self.request_token_deadline
    }
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Result<&'a str, OAuthError> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| OAuthError::MissingField(name.to_string()))
}

/// Parse the form-encoded activation POST received at `received_at`.
pub fn parse_activation(body: &str, received_at: i64) -> Result<Activation, OAuthError> {
    let pairs = form_pairs(body);
    Ok(Activation {
        consumer_key: field(&pairs, "oauth_consumer_key")?.to_string(),
        consumer_secret: field(&pairs, "oauth_consumer_secret")?.to_string(),
        store_base_url: field(&pairs, "store_base_url")?.to_string(),
        verifier: field(&pairs, "oauth_verifier")?.to_string(),
        request_token_deadline: received_at + CONSUMER_KEY_WINDOW,
    })
}

/// `oauth_token` and `oauth_token_secret` from a token endpoint's response.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct TokenPair {
    /// `oauth_token`.
    pub token: String,
    /// `oauth_token_secret`.
    pub secret: String,
}

impl std::fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenPair")
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

/// Parse `oauth_token=…&oauth_token_secret=…`; an `oauth_problem=…` body becomes the
/// error it reports.
pub fn parse_token_response(body: &str) -> Result<TokenPair, OAuthError> {
    let pairs = form_pairs(body.trim());
    if let Some((_, problem)) = pairs.iter().find(|(k, _)| k == "oauth_problem") {
        return Err(OAuthError::OAuthProblem(problem.clone()));
    }
    let get = |n: &str| field(&pairs, n).map(str::to_string);
    Ok(TokenPair {
        token: get("oauth_token")?,
        secret: get("oauth_token_secret")?,
    })
}

fn endpoint(store_base_url: &str, path: &str) -> String {
    format!("{}/{path}", store_base_url.trim_end_matches('/'))
}

/// The signed `POST <base>/oauth/token/request` (key `consumer_secret&`).
/// Returns the URL to POST to and the signature.
pub fn request_token_request(
    store_base_url: &str,
    consumer_key: &str,
    consumer_secret: &str,
    opts: &SignOptions,
) -> Result<(String, Signed), OAuthError> {
    let url = endpoint(store_base_url, "oauth/token/request");
    let creds = ClientCredentials {
        consumer_key: consumer_key.into(),
        consumer_secret: consumer_secret.into(),
        token: None,
        token_secret: Some(String::new()),
    };
    let req = SignedRequest {
        method: "POST",
        url: &url,
        content_type: None,
        body: None,
    };
    let signed = sign(&req, &creds, opts)?;
    Ok((url, signed))
}

/// The signed `POST <base>/oauth/token/access` with the request token and the
/// verifier from the activation POST.
pub fn access_token_request(
    store_base_url: &str,
    consumer_key: &str,
    consumer_secret: &str,
    request_token: &TokenPair,
    verifier: &str,
    opts: &SignOptions,
) -> Result<(String, Signed), OAuthError> {
    let url = endpoint(store_base_url, "oauth/token/access");
    let creds = ClientCredentials {
        consumer_key: consumer_key.into(),
        consumer_secret: consumer_secret.into(),
        token: Some(request_token.token.clone()),
        token_secret: Some(request_token.secret.clone()),
    };
    let mut opts = opts.clone();
    opts.extra.retain(|(k, _)| k != "oauth_verifier");
    opts.extra.push(("oauth_verifier".into(), verifier.into()));
    let req = SignedRequest {
        method: "POST",
        url: &url,
        content_type: None,
        body: None,
    };
    let signed = sign(&req, &creds, &opts)?;
    Ok((url, signed))
}
