#!/usr/bin/python3
"""PyJWT as the other side of jot's interoperability tests.

The C++ test writes one JSON request to this script's stdin and reads one JSON reply from its
stdout. The request travels on stdin (a pipe) because it carries the HMAC secret: a pipe leaves
no copy on disk, in the process list or in a CTest log. Nothing this script prints contains the
secret or the token.

Requests (secrets are base64url, because an HMAC secret is arbitrary bytes):
  {"op": "probe"}
      -> {"ok": true, "pyjwt": "2.6.0", "python": "3.11.2", "pyjwt_path": "..."}
  {"op": "decode", "token": "...", "secret": "<b64url>", "algorithms": ["HS256"],
   "audience": "api" | null, "issuer": "https://..." | null}
      -> {"ok": true, "header": {...}, "claims": {...}}
       | {"ok": false, "error": "<PyJWT exception class name>", "message": "..."}
  {"op": "encode", "secret": "<b64url>" | null, "algorithm": "HS256" | "none",
   "headers": {...}, "payload": {...}}
      -> {"ok": true, "token": "..."}

Exit status: 0 when the request was carried out (a token PyJWT rejects is a result, not a
failure), 2 for a request this script does not understand, 3 when PyJWT is missing or older
than 2.0, 4 for any other error. The C++ side checks the status before it trusts the reply.

Standard library and PyJWT only, so that CI needs nothing beyond Debian's python3-jwt.
"""

import base64
import json
import sys
import traceback

EXIT_BAD_REQUEST = 2
EXIT_NO_PYJWT = 3
EXIT_INTERNAL = 4

try:
    import jwt
    import jwt.exceptions
except ImportError:
    sys.stderr.write(
        "pyjwt_peer: PyJWT is not importable by %s (Python %s).\n"
        "pyjwt_peer: install it (Debian/Ubuntu: apt-get install python3-jwt) or point CMake's "
        "JOT_PYTHON3 at an interpreter that has it.\n" % (sys.executable, sys.version.split()[0])
    )
    sys.exit(EXIT_NO_PYJWT)


class BadRequest(Exception):
    pass


def secret_from(request):
    """The raw secret bytes, or None when the request carries none (alg "none")."""
    text = request.get("secret")
    if text is None:
        return None
    if not isinstance(text, str):
        raise BadRequest("secret must be a base64url string or null")
    # urlsafe_b64decode wants the padding that JOSE strips.
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def probe(_request):
    major = int(jwt.__version__.split(".")[0])
    if major < 2:
        # PyJWT 1.x returns bytes from encode() and decodes without an algorithm list: the
        # requests below would not mean the same thing.
        sys.stderr.write("pyjwt_peer: PyJWT %s is too old; 2.x is required\n" % jwt.__version__)
        sys.exit(EXIT_NO_PYJWT)
    return {
        "ok": True,
        "pyjwt": jwt.__version__,
        "python": sys.version.split()[0],
        "pyjwt_path": jwt.__file__,
    }


def decode(request):
    token = request["token"]
    algorithms = request["algorithms"]
    if not isinstance(token, str) or not isinstance(algorithms, list) or not algorithms:
        raise BadRequest("decode needs a token string and a non-empty algorithm list")
    try:
        # The header is read only to report what jot wrote into it; trust comes from decode().
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(
            token,
            secret_from(request),
            algorithms=algorithms,
            audience=request.get("audience"),
            issuer=request.get("issuer"),
        )
    except jwt.exceptions.PyJWTError as rejection:
        # The class name is the assertion; PyJWT's messages are fixed texts without key bytes.
        return {"ok": False, "error": type(rejection).__name__, "message": str(rejection)}
    return {"ok": True, "header": header, "claims": claims}


def encode(request):
    payload = request["payload"]
    headers = request.get("headers") or {}
    algorithm = request["algorithm"]
    if not isinstance(payload, dict) or not isinstance(headers, dict):
        raise BadRequest("encode needs a payload object and a headers object")
    token = jwt.encode(payload, secret_from(request), algorithm=algorithm, headers=headers)
    if isinstance(token, bytes):  # never with PyJWT 2.x, which probe() insists on
        token = token.decode("ascii")
    return {"ok": True, "token": token}


OPERATIONS = {"probe": probe, "decode": decode, "encode": encode}


def main():
    try:
        request = json.loads(sys.stdin.buffer.read())
        operation = OPERATIONS.get(request.get("op")) if isinstance(request, dict) else None
        if operation is None:
            raise BadRequest("unknown or missing op")
        reply = operation(request)
    except (BadRequest, KeyError, ValueError, TypeError) as problem:
        # Name the kind of problem only: the message of a KeyError or ValueError could quote
        # part of the request, and the request holds the secret.
        sys.stderr.write("pyjwt_peer: bad request (%s)\n" % type(problem).__name__)
        return EXIT_BAD_REQUEST
    except Exception as problem:  # noqa: BLE001 - reported, never swallowed
        # Frames only (file, line, code), no exception text or locals, for the same reason.
        sys.stderr.write("pyjwt_peer: internal error (%s)\n" % type(problem).__name__)
        sys.stderr.write("".join(traceback.format_tb(problem.__traceback__)))
        return EXIT_INTERNAL
    # ensure_ascii keeps the reply independent of the locale's stdout encoding; allow_nan=False
    # because NaN is not JSON and jot's strict parser would (rightly) refuse it.
    sys.stdout.write(json.dumps(reply, ensure_ascii=True, allow_nan=False))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
