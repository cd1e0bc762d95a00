#!/usr/bin/python3
"""PyJWT on the other side of the `jot` CLI interop test.

Reads one JSON request on stdin (a pipe: it carries HMAC secrets and private keys, which must not
land on disk, in argv or in a test log) and writes one JSON reply on stdout:

  {"verify": [{"alg": "RS256", "token": "...", "public_pem": "..."}
              | {"alg": "HS256", "token": "...", "secret": "<base64url>"}, ...],
   "sign":   [{"alg": "RS256", "private_pem": "...", "payload": {...}}
              | {"alg": "HS256", "secret": "<base64url>", "payload": {...}}, ...]}
  -> {"verified": [{"ok": true, "header": {...}, "claims": {...}}
                   | {"ok": false, "error": "<exception class>"}, ...],
      "signed": [{"ok": true, "token": "..."} | {"ok": false, "error": "..."}, ...]}

Exit status: 0 when every request was carried out (a token PyJWT rejects is a result), 3 when
PyJWT or cryptography cannot be imported, 4 for anything else.
"""

import base64
import json
import sys
import time
import traceback

try:
    import jwt
    import cryptography  # noqa: F401  (PyJWT needs it for everything but HS*)
except ImportError as missing:
    sys.stderr.write(
        "pyjwt_cli_peer: %s is not importable by %s. Install PyJWT and cryptography for this "
        "interpreter (Debian: apt-get install python3-jwt python3-cryptography) or configure "
        "with -DJOT_PYTHON3=/path/to/python3.\n" % (missing.name, sys.executable))
    sys.exit(3)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_of(request, private):
    if "secret" in request:
        return b64url_decode(request["secret"])
    return request["private_pem" if private else "public_pem"]


def verify(request):
    try:
        claims = jwt.decode(request["token"], key_of(request, False),
                            algorithms=[request["alg"]], options={"require": ["exp", "iat"]})
        return {"ok": True, "header": jwt.get_unverified_header(request["token"]),
                "claims": claims}
    except jwt.exceptions.PyJWTError as error:
        return {"ok": False, "error": type(error).__name__}


def sign(request):
    payload = dict(request["payload"])
    now = int(time.time())
    payload.setdefault("iat", now)
    payload.setdefault("exp", now + 600)
    try:
        return {"ok": True,
                "token": jwt.encode(payload, key_of(request, True), algorithm=request["alg"])}
    except jwt.exceptions.PyJWTError as error:
        return {"ok": False, "error": type(error).__name__}


def main():
    request = json.load(sys.stdin)
    reply = {"verified": [verify(r) for r in request.get("verify", [])],
             "signed": [sign(r) for r in request.get("sign", [])],
             "pyjwt": jwt.__version__}
    json.dump(reply, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    except Exception:  # a broken request or peer: the C++ side shows this trace
        traceback.print_exc()
        sys.exit(4)
