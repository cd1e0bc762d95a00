#!/usr/bin/env python3
"""jwcrypto (Debian's python3-jwcrypto) as the other side of jot's JWE interoperability tests
(tests/interop/jwcrypto_interop_test.cpp). One JSON request on stdin, one JSON reply on stdout,
as with pyjwt_peer.py.

Requests:
  {"op": "probe"} -> {"ok": true, "jwcrypto": "1.1.0"}
  {"op": "jwe_encrypt", "cases": [{"jwk", "alg", "enc", "kid", "plaintext", "apu"?, "apv"?}]}
    a compact JWE with the protected header {alg, enc, kid, cty: "JWT", apu, apv} per case
    -> {"ok": true, "tokens": [...]}
  {"op": "jwe_decrypt", "cases": [{"jwk", "alg", "enc", "token"}]}
    jwcrypto's JWE allowing exactly that alg and enc
    -> {"ok": true, "results": [{"ok": true, "plaintext", "header"} | {"ok": false, "code"}]}

Exit status: 0 when the request was carried out (a token jwcrypto rejects is a result), 2 for a
request this script does not understand, 3 when jwcrypto cannot be imported, 4 for any other
error.
"""

import json
import sys

try:
    import jwcrypto
    from jwcrypto import jwe, jwk
    from jwcrypto.common import JWException
except ImportError as error:
    sys.stderr.write(f"jwcrypto_peer: cannot import jwcrypto ({error}); "
                     "Debian: apt-get install python3-jwcrypto\n")
    sys.exit(3)


def key_of(case):
    return jwk.JWK(**case["jwk"])


def encrypt(request):
    tokens = []
    for case in request["cases"]:
        header = {"alg": case["alg"], "enc": case["enc"], "cty": "JWT"}
        if case.get("kid"):
            header["kid"] = case["kid"]
        for member in ("apu", "apv"):  # ECDH-ES party information, base64url
            if member in case:
                header[member] = case[member]
        token = jwe.JWE(case["plaintext"].encode("utf-8"), protected=json.dumps(header))
        token.add_recipient(key_of(case))
        tokens.append(token.serialize(compact=True))
    return {"ok": True, "tokens": tokens}


def decrypt(request):
    results = []
    for case in request["cases"]:
        token = jwe.JWE(algs=[case["alg"], case["enc"]])
        try:
            token.deserialize(case["token"], key=key_of(case))
            results.append({"ok": True, "plaintext": token.payload.decode("utf-8"),
                            "header": json.loads(token.objects["protected"])})
        except (JWException, ValueError) as error:
            results.append({"ok": False, "code": type(error).__name__})
    return {"ok": True, "results": results}


def main():
    try:
        request = json.load(sys.stdin)
        operation = {"probe": lambda r: {"ok": True, "jwcrypto": jwcrypto.__version__
                                          if hasattr(jwcrypto, "__version__") else "unknown"},
                     "jwe_encrypt": encrypt, "jwe_decrypt": decrypt}.get(request.get("op"))
    except (ValueError, AttributeError) as error:
        sys.stderr.write(f"jwcrypto_peer: bad request ({error})\n")
        return 2
    if operation is None:
        sys.stderr.write("jwcrypto_peer: unknown or missing op\n")
        return 2
    try:
        reply = operation(request)
    except Exception as error:  # pylint: disable=broad-except
        sys.stderr.write(f"jwcrypto_peer: internal error: {type(error).__name__}: {error}\n")
        return 4
    sys.stdout.write(json.dumps(reply) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
