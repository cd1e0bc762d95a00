#!/usr/bin/python3
"""PyJWT as the other side of jot's interoperability tests.

The C++ test writes one JSON request to this script's stdin and reads one JSON reply from its
stdout. The request travels on stdin (a pipe) because it can carry an HMAC secret: a pipe leaves
no copy on disk, in the process list or in a CTest log. Nothing this script prints contains a
secret or a private key.

Requests (HMAC secrets are base64url, because a secret is arbitrary bytes):
  {"op": "probe"}
      -> {"ok": true, "pyjwt": "2.6.0", "cryptography": "38.0.4", "python": "3.11.2", ...}
  {"op": "decode", "token": "...", "algorithms": ["RS256"],
   "audience": "api" | null, "issuer": "https://..." | null,
   exactly one key source:
     "secret": "<b64url>"    an HMAC secret
     "pem": "-----BEGIN..."  a public key PEM, handed to jwt.decode() as is
     "jwk": {...}            a public JWK, through jwt.PyJWK(jwk).key
     "jwks": "<name>"        a set loaded earlier by "load_jwks"; the key is the one whose kid
                             the token's header names (PyJWKSet[kid])}
      -> {"ok": true, "header": {...}, "claims": {...}}
       | {"ok": false, "error": "<exception class name>", "message": "..."}
  {"op": "encode", "algorithm": "RS256" | "HS256" | "none", "headers": {...}, "payload": {...},
   "secret": "<b64url>" | null  or  "key": "<name of a generated key>"}
      -> {"ok": true, "token": "..."} | {"ok": false, "error": "<PyJWT exception class name>"}
  {"op": "generate", "name": "k1", "algorithm": "ES256" | ... | "EdDSA", "curve": "Ed448" (EdDSA
   only), "kid": "..." | null, "coordinates": "full" (default) | "short" (EC only)}
      A fresh key pair made with `cryptography`, kept under `name` for the rest of the batch.
      -> {"ok": true, "public_pem": "...", "public_jwk": {...}, "attempts": 1}
      public_jwk is PyJWT's Algorithm.to_jwk() of the public key plus "alg" (and "kid").
      PyJWT 2.6 writes EC coordinates as minimal integers, not at the full width RFC 7518
      6.2.1.2 requires, so about 1 key in 128 (1 in 2 on P-521) gets a short x or y: with
      "full" the key is drawn again until both are full width, with "short" until one is not.
  {"op": "import_jwk", "jwk": {...}  or  "key": "<name of a generated key>"}
      jwt.PyJWK(jwk) (for "key": of that key's public_jwk), as an application imports a key.
      -> {"ok": true, "key_type": "EC"} | {"ok": false, "error": "InvalidKeyError", ...}
  {"op": "jwks", "names": ["k1", "k2"]}
      -> {"ok": true, "jwks": {"keys": [public_jwk of k1, public_jwk of k2]}}
  {"op": "load_jwks", "name": "set1", "jwks": {...}}
      jwt.PyJWKSet.from_dict(jwks), kept under `name`.
      -> {"ok": true, "kids": [...], "key_types": [...]} (per key PyJWT kept, in order)
  {"op": "sign_raw", "header": {...}, "payload": {...},
   "hmac_sha256_key": "<text>"  or  "key": "<name of a generated Ed25519/Ed448 key>"}
      A compact JWS assembled here, for tokens PyJWT refuses to make: an HS256 MAC keyed with
      a public key's PEM (the key-confusion attack), or an `alg` PyJWT 2.6 does not know
      (RFC 9864's "Ed25519"/"Ed448").
      -> {"ok": true, "token": "..."}
  {"op": "batch", "requests": [...]}
      -> {"ok": true, "replies": [...]}, one reply per request, in order; generated keys and
      loaded sets are shared by the requests of one batch.

Exit status: 0 when the request was carried out (a token PyJWT rejects is a result, not a
failure), 2 for a request this script does not understand, 3 when PyJWT or cryptography is
missing or PyJWT is older than 2.0, 4 for any other error. The C++ side checks the status before
it trusts the reply.

Standard library, PyJWT and cryptography only, so that CI needs nothing beyond Debian's
python3-jwt and python3-cryptography.
"""

import base64
import hashlib
import hmac
import json
import sys
import traceback

EXIT_BAD_REQUEST = 2
EXIT_NO_PYJWT = 3
EXIT_INTERNAL = 4

try:
    import jwt
    import jwt.algorithms
    import jwt.exceptions
    import cryptography
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
except ImportError as missing:
    sys.stderr.write(
        "pyjwt_peer: %s is not importable by %s (Python %s).\n"
        "pyjwt_peer: install PyJWT and cryptography (Debian/Ubuntu: apt-get install python3-jwt "
        "python3-cryptography) or point CMake's JOT_PYTHON3 at an interpreter that has them.\n"
        % (missing.name, sys.executable, sys.version.split()[0])
    )
    sys.exit(EXIT_NO_PYJWT)


class BadRequest(Exception):
    pass


# State shared by the requests of one batch (one process): generated keys and loaded key sets.
KEYS = {}  # name -> {"private": key object, "public_jwk": dict, "public_pem": str}
KEY_SETS = {}  # name -> jwt.PyJWKSet

# The curve each ECDSA algorithm signs on (RFC 7518 3.4, RFC 8812 3.2), and its coordinate size.
EC_CURVES = {
    "ES256": (ec.SECP256R1, 32),
    "ES384": (ec.SECP384R1, 48),
    "ES512": (ec.SECP521R1, 66),
    "ES256K": (ec.SECP256K1, 32),
}
RSA_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
EDWARDS_CURVES = {"Ed25519": ed25519.Ed25519PrivateKey, "Ed448": ed448.Ed448PrivateKey}
# Bounds the redraws for "coordinates": the rarest case (a short coordinate on a 256-bit curve)
# needs about 128 draws on average; at 5000 a failure is a bug, not bad luck.
MAX_DRAWS = 5000


def b64url_decode(text):
    # urlsafe_b64decode wants the padding that JOSE strips.
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def string_field(request, name):
    value = request.get(name)
    if not isinstance(value, str) or not value:
        raise BadRequest("%s must be a non-empty string" % name)
    return value


def object_field(request, name):
    value = request.get(name)
    if not isinstance(value, dict):
        raise BadRequest("%s must be an object" % name)
    return value


def named_key(request):
    name = string_field(request, "key")
    if name not in KEYS:
        raise BadRequest("no generated key by that name")
    return KEYS[name]


def secret_from(request):
    """The raw secret bytes, or None when the request carries none (alg "none")."""
    text = request.get("secret")
    if text is None:
        return None
    if not isinstance(text, str):
        raise BadRequest("secret must be a base64url string or null")
    return b64url_decode(text)


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
        "cryptography": cryptography.__version__,
        "python": sys.version.split()[0],
        "pyjwt_path": jwt.__file__,
        "algorithms": sorted(jwt.algorithms.get_default_algorithms()),
    }


def rejection(error):
    # The class name is the assertion; PyJWT's messages are fixed texts without key bytes.
    return {"ok": False, "error": type(error).__name__, "message": str(error)}


def decode_key(request, token):
    """The key jwt.decode() gets, from whichever single key source the request names."""
    sources = [name for name in ("secret", "pem", "jwk", "jwks") if name in request]
    if len(sources) > 1:
        raise BadRequest("a decode request names one key source")
    if not sources or sources[0] == "secret":
        return secret_from(request)
    if sources[0] == "pem":
        return string_field(request, "pem")
    if sources[0] == "jwk":
        return jwt.PyJWK(object_field(request, "jwk")).key
    key_set = KEY_SETS.get(string_field(request, "jwks"))
    if key_set is None:
        raise BadRequest("no loaded key set by that name")
    # As an application does: the unverified kid only picks the key; decode() then checks it.
    kid = jwt.get_unverified_header(token).get("kid")
    return key_set[kid].key


def decode(request):
    token = request["token"]
    algorithms = request["algorithms"]
    if not isinstance(token, str) or not isinstance(algorithms, list) or not algorithms:
        raise BadRequest("decode needs a token string and a non-empty algorithm list")
    try:
        key = decode_key(request, token)
        # The header is read only to report what jot wrote into it; trust comes from decode().
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=request.get("audience"),
            issuer=request.get("issuer"),
        )
    except jwt.exceptions.PyJWTError as error:
        return rejection(error)
    except KeyError:
        # PyJWKSet[kid] for a kid the set does not hold. A KeyError about the request itself
        # cannot reach here: decode_key() reads the request with .get() and string_field().
        return {"ok": False, "error": "KeyError", "message": "the key set has no such kid"}
    return {"ok": True, "header": header, "claims": claims}


def encode(request):
    payload = request["payload"]
    headers = request.get("headers") or {}
    algorithm = request["algorithm"]
    if not isinstance(payload, dict) or not isinstance(headers, dict):
        raise BadRequest("encode needs a payload object and a headers object")
    key = named_key(request)["private"] if "key" in request else secret_from(request)
    try:
        token = jwt.encode(payload, key, algorithm=algorithm, headers=headers)
    except jwt.exceptions.PyJWTError as error:
        # PyJWT refusing to sign (say, a PEM as an HMAC secret) is a result the test asserts.
        return rejection(error)
    if isinstance(token, bytes):  # never with PyJWT 2.x, which probe() insists on
        token = token.decode("ascii")
    return {"ok": True, "token": token}


def new_private_key(algorithm, curve):
    if algorithm in RSA_ALGORITHMS:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if algorithm in EC_CURVES:
        return ec.generate_private_key(EC_CURVES[algorithm][0]())
    if algorithm == "EdDSA" and curve in EDWARDS_CURVES:
        return EDWARDS_CURVES[curve].generate()
    raise BadRequest("generate knows RS*, PS*, ES256/384/512, ES256K and EdDSA on Ed25519/Ed448")


def full_width(algorithm, jwk):
    width = EC_CURVES[algorithm][1]
    return len(b64url_decode(jwk["x"])) == width and len(b64url_decode(jwk["y"])) == width


def generate(request):
    name = string_field(request, "name")
    algorithm = string_field(request, "algorithm")
    coordinates = request.get("coordinates", "full")
    if coordinates not in ("full", "short"):
        raise BadRequest("coordinates is full or short")
    if coordinates == "short" and algorithm not in EC_CURVES:
        raise BadRequest("only EC keys have coordinates")
    implementation = jwt.algorithms.get_default_algorithms()[algorithm]
    for attempt in range(1, MAX_DRAWS + 1):
        private_key = new_private_key(algorithm, request.get("curve"))
        public_key = private_key.public_key()
        # to_jwk() returns JSON text in PyJWT 2.6; later versions can return a dict.
        jwk = implementation.to_jwk(public_key)
        jwk = json.loads(jwk) if isinstance(jwk, str) else dict(jwk)
        if algorithm not in EC_CURVES or full_width(algorithm, jwk) == (coordinates == "full"):
            break
    else:
        raise RuntimeError("no key with the requested coordinate widths in %d draws" % MAX_DRAWS)
    jwk["alg"] = algorithm
    if request.get("kid") is not None:
        jwk["kid"] = string_field(request, "kid")
    pem = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    KEYS[name] = {"private": private_key, "public_jwk": jwk, "public_pem": pem}
    return {"ok": True, "public_pem": pem, "public_jwk": jwk, "attempts": attempt}


def import_jwk(request):
    jwk = named_key(request)["public_jwk"] if "key" in request else object_field(request, "jwk")
    try:
        key = jwt.PyJWK(jwk)
    except jwt.exceptions.PyJWTError as error:
        return rejection(error)
    return {"ok": True, "key_type": key.key_type}


def jwks(request):
    names = request.get("names")
    if not isinstance(names, list):
        raise BadRequest("jwks needs a list of key names")
    keys = []
    for name in names:
        if name not in KEYS:
            raise BadRequest("no generated key by that name")
        keys.append(KEYS[name]["public_jwk"])
    return {"ok": True, "jwks": {"keys": keys}}


def load_jwks(request):
    name = string_field(request, "name")
    try:
        key_set = jwt.PyJWKSet.from_dict(object_field(request, "jwks"))
    except jwt.exceptions.PyJWTError as error:
        return rejection(error)
    KEY_SETS[name] = key_set
    return {
        "ok": True,
        "kids": [key.key_id for key in key_set.keys],
        "key_types": [key.key_type for key in key_set.keys],
    }


def sign_raw(request):
    header = object_field(request, "header")
    payload = object_field(request, "payload")
    signing_input = (
        b64url_encode(json.dumps(header, separators=(",", ":")).encode("utf-8"))
        + "."
        + b64url_encode(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
    ).encode("ascii")
    if "hmac_sha256_key" in request:
        key_bytes = string_field(request, "hmac_sha256_key").encode("utf-8")
        signature = hmac.new(key_bytes, signing_input, hashlib.sha256).digest()
    else:
        private_key = named_key(request)["private"]
        if not isinstance(private_key, tuple(EDWARDS_CURVES.values())):
            raise BadRequest("sign_raw signs with Ed25519 or Ed448 keys only")
        signature = private_key.sign(signing_input)
    return {"ok": True, "token": signing_input.decode("ascii") + "." + b64url_encode(signature)}


def batch(request):
    requests = request.get("requests")
    if not isinstance(requests, list) or not requests:
        raise BadRequest("batch needs a non-empty list of requests")
    return {"ok": True, "replies": [dispatch(one) for one in requests]}


OPERATIONS = {
    "probe": probe,
    "decode": decode,
    "encode": encode,
    "generate": generate,
    "import_jwk": import_jwk,
    "jwks": jwks,
    "load_jwks": load_jwks,
    "sign_raw": sign_raw,
    "batch": batch,
}


def dispatch(request):
    operation = OPERATIONS.get(request.get("op")) if isinstance(request, dict) else None
    if operation is None:
        raise BadRequest("unknown or missing op")
    return operation(request)


def main():
    try:
        reply = dispatch(json.loads(sys.stdin.buffer.read()))
    except (BadRequest, KeyError, ValueError, TypeError) as problem:
        # Name the kind of problem only: the message of a KeyError or ValueError could quote
        # part of the request, and the request may hold a secret.
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
