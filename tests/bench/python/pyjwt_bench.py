#!/usr/bin/python3
"""PyJWT (Debian's python3-jwt) as a cross-language row of the benchmark report.

Usage: pyjwt_bench.py --fixture FIXTURE.json [--min-time SECONDS] [--check-only]

Reads the fixture file jot_bench wrote (tests/bench/fixture.hpp describes it), checks PyJWT on it
as jot_bench checks every C++ implementation, then times sign and verify of every algorithm PyJWT
has, and prints one JSON object on stdout (tools/bench-report.py reads it):

  {"failures": ["<ALG>: <what went wrong>", ...],
   "unsupported": {"<ALG>": "<why>"},
   "signed": {"<ALG>": "<a token this library signed>"},
   "timings": [{"op": "sign" | "verify", "alg": "<ALG>", "iterations": N,
                "cpu_ns": <process CPU time of the N operations>, "real_ns": <wall clock>}]}

A failed check leaves "timings" empty (exit status 1): no number comes from a library that
accepts what it must reject. --check-only stops after the checks. Used as PyJWT's documentation
shows: each key prepared once by PyJWT (its Algorithm.prepare_key), then per token jwt.encode() of
a claims dict, or jwt.decode() with the one expected algorithm and the `sub` and `roles` read.
"""

import argparse
import json
import sys
import time

import jwt
from jwt.algorithms import get_default_algorithms


class Implementation:
    def __init__(self, alg, entry, claims):
        algorithm = get_default_algorithms()[alg]
        self.alg = alg
        if "secret" in entry:
            self.signing_key = self.verification_key = algorithm.prepare_key(entry["secret"])
        else:
            self.signing_key = algorithm.prepare_key(entry["private_pem"])
            self.verification_key = algorithm.prepare_key(entry["public_pem"])
        self.claims = claims

    def sign(self):
        claims = self.claims
        payload = {"sub": claims["sub"], "iat": claims["iat"], "exp": claims["exp"],
                   "type": "access", "roles": list(claims["roles"])}
        return jwt.encode(payload, self.signing_key, algorithm=self.alg)

    def verify(self, token):
        try:
            decoded = jwt.decode(token, self.verification_key, algorithms=[self.alg])
        except jwt.InvalidTokenError:
            return False
        return decoded.get("sub") == self.claims["sub"] and \
            decoded.get("roles") == self.claims["roles"]


def check(implementation, tokens):
    """What went wrong, as jot_bench's check_implementation says it; the token it signed."""
    failures = []
    if not implementation.verify(tokens["valid"]):
        failures.append("rejects the canonical token (or reads other claims from it)")
    for variant, failure in (("flipped_signature", "accepts a flipped signature"),
                             ("swapped_payload", "accepts a swapped payload"),
                             ("expired", "accepts an expired token"),
                             ("other_alg", "accepts a token of another alg")):
        if implementation.verify(tokens[variant]):
            failures.append(failure)
    own = implementation.sign()
    if not own:
        failures.append("fails to sign")
    elif not implementation.verify(own):
        failures.append("rejects the token it signed")
    return failures, own


def measure(operation, min_time):
    """Runs `operation` in batches, each larger, until one takes at least `min_time` seconds of
    CPU time (the batches before it warm up); returns that batch's count and times."""
    iterations = 1
    while True:
        cpu_start, wall_start = time.process_time_ns(), time.perf_counter_ns()
        for _ in range(iterations):
            if not operation():
                raise SystemExit("an operation that passed its check failed while timed")
        cpu, wall = time.process_time_ns() - cpu_start, time.perf_counter_ns() - wall_start
        if cpu >= min_time * 1e9:
            return iterations, cpu, wall
        grow = 10 if cpu <= 0 else min(10, 1.4 * min_time * 1e9 / cpu)
        iterations = max(iterations + 1, int(iterations * grow))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--min-time", type=float, default=0.1)
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args()
    with open(args.fixture) as file:
        fixture = json.load(file)

    out = {"failures": [], "unsupported": {}, "signed": {}, "timings": []}
    implementations = []
    for alg, entry in fixture["algorithms"].items():
        if alg not in get_default_algorithms():
            out["unsupported"][alg] = f"not among PyJWT {jwt.__version__}'s algorithms here"
            continue
        implementation = Implementation(alg, entry, fixture["claims"])
        failures, out["signed"][alg] = check(implementation, entry["tokens"])
        out["failures"] += [f"{alg}: {failure}" for failure in failures]
        implementations.append((implementation, entry["tokens"]["valid"]))

    if not out["failures"] and not args.check_only:
        for implementation, token in implementations:
            for op, operation in (("sign", lambda: implementation.sign()),
                                  ("verify", lambda: implementation.verify(token))):
                iterations, cpu, wall = measure(operation, args.min_time)
                out["timings"].append({"op": op, "alg": implementation.alg,
                                       "iterations": iterations, "cpu_ns": cpu,
                                       "real_ns": wall})
    json.dump(out, sys.stdout)
    print()
    return 1 if out["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
