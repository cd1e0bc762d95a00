#pragma once

// store_options: what the Redis stores (the three session stores of stores.hpp and the DPoP
// replay store) share: the key prefix, the durability requirement and how long a blocklist or
// replay entry outlives what it guards.

#include <chrono>
#include <string>

#include "jot/config.hpp"
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

// What the Redis stores share: their key prefix and their durability requirement.
struct store_options {
  // Put in front of every key, so that several applications (or tests) share one Redis.
  std::string key_prefix = "jot:";
  // Durability: how many replicas must acknowledge a revocation, a bump or a DPoP replay entry
  // before it succeeds (WAIT). 0: the master's acknowledgement is enough.
  int min_replicas = 0;
  // How long to WAIT for them.
  std::chrono::milliseconds replica_timeout{1000};
  // How long a blocklist entry outlives its token's exp: at least the clock skew any verifier of
  // the deployment allows, plus how far Redis's clock may run ahead of the verifiers' (Redis
  // expires keys by its own clock). A negative margin counts as zero.
  std::chrono::seconds revocation_margin = default_revocation_margin;
  // How long a DPoP replay entry (dpop_replay_store.hpp) outlives the end of its proof's
  // acceptance: how far Redis's clock may run ahead of the verifiers'. A negative margin counts
  // as zero.
  std::chrono::seconds replay_margin{60};
};

}  // namespace redis
JOT_END_NAMESPACE
