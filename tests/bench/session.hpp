#pragma once

// The session benchmarks: jot::session_manager's three per-request operations, issue_pair (a
// login), refresh (a rotation) and authenticate (an access token with every session check: not
// revoked, current token version, active session), with the three stores in this process's memory,
// in Redis, and in Redis with the blocklist behind a revocation_cache. Measured for HS256 alone,
// like the revocation benchmarks (revocation.hpp), where the stores' share of the cost shows most.
// Two yardsticks from the same run: a plain verify of the same access token (signature, exp, iss,
// aud, typ; no store; then the subject read, as the authenticate row reads it) for authenticate,
// and signing the two tokens of a pair with jot::encoder (the same claims, built per token) for
// refresh. Named session_<op>/HS256/<stores> and session_baseline_<verify|sign_pair>/HS256/jot.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench.hpp"
#include "revocation.hpp"

namespace jot_bench {

// One timed operation; false when it failed. Not for two threads at once: refresh spends the
// refresh token its previous call received.
using session_operation = std::function<bool()>;

struct session_stores_setup {
  std::string name;  // <stores> in session_<op>/<ALG>/<stores>: memory, redis, redis-cached
  // What went wrong making or checking it; when not empty, the operations are empty.
  std::vector<std::string> failures;
  session_operation issue_pair, refresh, authenticate;
};

struct session_setup {
  std::vector<session_stores_setup> stores;
  session_operation plain_verify, sign_pair;  // the yardsticks; empty when they cannot be made
  std::vector<std::string> failures;          // the yardsticks' own
};

// Every stores setup checked before it is returned: a login authenticates, a refresh rotates (the
// spent token then replays within the reuse interval), a revoked access token is token_revoked,
// an ended session's access token is token_revoked. The Redis keys carry a prefix of this process's
// own and expire with the session lifetime (an hour).
session_setup make_session_benchmarks(const jws_algorithm& alg, const key_material& key,
                                      const std::optional<redis_address>& redis);

}  // namespace jot_bench
