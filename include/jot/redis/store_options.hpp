#pragma once

// store_options: what the three Redis session stores (stores.hpp) share: the key prefix, the
// durability requirement and how long a blocklist entry outlives its token.

#include <chrono>
#include <string>

#include "jot/config.hpp"
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

// What the three Redis stores share: their key prefix and their durability requirement.
struct store_options {
  // Put in front of every key, so that several applications (or tests) share one Redis.
  std::string key_prefix = "jot:";
  // Durability: how many replicas must acknowledge a revocation or a bump before it succeeds
  // (WAIT). 0: the master's acknowledgement is enough.
  int min_replicas = 0;
  // How long to WAIT for them.
  std::chrono::milliseconds replica_timeout{1000};
  // How long a blocklist entry outlives its token's exp: at least the clock skew any verifier of
  // the deployment allows, plus how far Redis's clock may run ahead of the verifiers' (Redis
  // expires keys by its own clock). A negative margin counts as zero.
  std::chrono::seconds revocation_margin = default_revocation_margin;
};

}  // namespace redis
JOT_END_NAMESPACE
