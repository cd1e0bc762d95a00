#pragma once

// The DPoP benchmarks (RFC 9449): jot::dpop::verifier checking a proof against its request, with
// the replay check in this process's memory and, with --redis, in Redis; against the floor of the
// same run, the bare ES256 verification of the same proof's signing input and signature (what no
// proof check can do without). Named verify_dpop/ES256/<impl>: floor, jot-memory, jot-redis.
// A proof is accepted once, so each run verifies proofs signed before it, one per iteration
// (dpop_proofs_per_run of them, the run's fixed iteration count), with a replay store of its own.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "revocation.hpp"  // redis_address

namespace jot_bench {

inline constexpr std::size_t dpop_proofs_per_run = 20'000;

struct dpop_implementation {
  std::string name;  // <impl> in verify_dpop/ES256/<impl>
  // What went wrong making or checking it; when not empty, `verify` may be empty.
  std::vector<std::string> failures;
  // Verifies the i-th proof of the run started by `start_run`.
  std::function<bool(std::size_t)> verify;
  // Called before each run, outside the timing: a fresh replay store for the pool's proofs.
  std::function<bool()> start_run;
};

struct dpop_setup {
  std::vector<dpop_implementation> implementations;
  std::size_t proof_bytes = 0;  // the size of one proof
};

// floor and jot-memory, and with `redis` jot-redis, each checked first (a proof accepted, the same
// proof again refused as a replay, a proof by another key for the same request accepted, a proof
// for another URI refused).
dpop_setup make_dpop_benchmarks(const std::optional<redis_address>& redis);

}  // namespace jot_bench
