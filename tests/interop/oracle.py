"""Reference implementations for differential tests: oauthlib (OAuth 1.0a, RFC 5849)
and PyJWT. Reads JSON lines on stdin, answers one JSON line per case.

Cases:
  {"kind":"oauth-verify","method","url","authorization","contentType","body",
   "consumerSecret","tokenSecret"}          -> {"valid": bool, "baseString": str}
  {"kind":"oauth-sign","method","url","contentType","body","consumerKey","consumerSecret",
   "token","tokenSecret","signatureMethod","nonce","timestamp"} -> {"authorization": str}
  {"kind":"jwt-verify","token","key","alg"}  -> {"valid": bool, "claims": {...}}
  {"kind":"jwt-sign","claims","key","alg"}   -> {"token": str}
"""
import json
import sys

import jwt
from oauthlib.common import Request
from oauthlib.oauth1 import Client
from oauthlib.oauth1.rfc5849 import signature

FORM = "application/x-www-form-urlencoded"


def oauth_verify(c):
    headers = {"Authorization": c["authorization"]}
    body = None
    if c.get("contentType"):
        headers["Content-Type"] = c["contentType"]
        if c["contentType"].split(";")[0].strip().lower() == FORM:
            body = c.get("body")
    req = Request(c["url"], http_method=c["method"], body=body, headers=headers)
    # oauthlib's verifiers expect the parameters without oauth_signature, and the
    # signature separately.
    everything = signature.collect_parameters(
        uri_query=req.uri_query, body=body, headers=req.headers, exclude_oauth_signature=False
    )
    params = [(k, v) for k, v in everything if k != "oauth_signature"]
    req.params = params
    values = dict(everything)
    req.signature = values.get("oauth_signature")
    method = values.get("oauth_signature_method")
    base = signature.signature_base_string(
        req.http_method, signature.base_string_uri(req.uri), signature.normalize_parameters(params)
    )
    cs, ts = c["consumerSecret"], c.get("tokenSecret") or ""
    verify = {
        "HMAC-SHA1": signature.verify_hmac_sha1,
        "HMAC-SHA256": signature.verify_hmac_sha256,
        "HMAC-SHA512": signature.verify_hmac_sha512,
        "PLAINTEXT": signature.verify_plaintext,
    }[method]
    return {"valid": bool(verify(req, cs, ts)), "baseString": base}


def oauth_sign(c):
    client = Client(
        c["consumerKey"],
        client_secret=c["consumerSecret"],
        resource_owner_key=c.get("token"),
        resource_owner_secret=c.get("tokenSecret"),
        signature_method=c["signatureMethod"],
        nonce=c["nonce"],
        timestamp=str(c["timestamp"]),
    )
    headers = {"Content-Type": c["contentType"]} if c.get("contentType") else {}
    _, signed_headers, _ = client.sign(c["url"], http_method=c["method"], body=c.get("body"), headers=headers)
    return {"authorization": signed_headers["Authorization"]}


def jwt_verify(c):
    try:
        claims = jwt.decode(
            c["token"], c["key"].encode(), algorithms=[c["alg"]], options={"verify_exp": False, "verify_iat": False}
        )
        return {"valid": True, "claims": claims}
    except jwt.PyJWTError as e:
        return {"valid": False, "error": str(e)}


def jwt_sign(c):
    return {"token": jwt.encode(c["claims"], c["key"].encode(), algorithm=c["alg"], headers={"kid": "1"})}


HANDLERS = {"oauth-verify": oauth_verify, "oauth-sign": oauth_sign, "jwt-verify": jwt_verify, "jwt-sign": jwt_sign}

for line in sys.stdin:
    case = json.loads(line)
    try:
        out = HANDLERS[case["kind"]](case)
    except Exception as e:  # report, do not die: the Rust side asserts
        out = {"error": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
