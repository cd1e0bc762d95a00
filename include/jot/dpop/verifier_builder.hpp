#pragma once

// jot::dpop::verifier::builder: what a DPoP verifier accepts, stated once at start-up:
//
//   auto proofs = jot::dpop::verifier::builder{}
//                     .allow_algorithm(jot::algorithm::ed25519)
//                     .replay_store(std::make_shared<jot::redis::dpop_replay_store>(client))
//                     .build();
//
// The defaults: ES256 alone (RFC 9449's examples, WebCrypto's and every JOSE library's common
// ground), proofs at most 60 s old and at most 5 s in the future (client clocks differ; server
// nonces bound a proof's life without trusting them, RFC 9449 §11.1), a memory replay store of
// memory_replay_store::default_capacity entries, no server nonces. As elsewhere in jot, a call
// that adds a requirement is expect_*, one that relaxes a default allow_*.

#include <chrono>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "jot/algorithm.hpp"
#include "jot/dpop/nonce.hpp"
#include "jot/dpop/replay_store.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace dpop {

class verifier;

// Reached as jot::dpop::verifier::builder; include <jot/dpop/verifier.hpp>.
class verifier_builder {
 public:
  // The default maximum proof age and future tolerance, and the most allow_proof_age() and
  // allow_clock_skew() accept.
  static constexpr std::chrono::seconds default_max_proof_age{60};
  static constexpr std::chrono::seconds default_clock_skew{5};
  static constexpr std::chrono::seconds max_proof_age_limit{600};
  static constexpr std::chrono::seconds max_clock_skew{600};

  // Requirements.
  // A proof must carry a nonce of `source` (RFC 9449 §8, §9): a current or the previous one.
  // Without it a proof is dpop_nonce_required, with another dpop_nonce_invalid; both are answered
  // with use_dpop_nonce and the verifier's current_nonce() in a DPoP-Nonce header.
  verifier_builder& expect_nonce(std::shared_ptr<const nonce_source> source) {
    if (!source) invalid_ = true;
    nonces_ = std::move(source);
    return *this;
  }
  // A shorter maximum proof age than the default: 1 s up to 60 s.
  verifier_builder& expect_max_proof_age(std::chrono::seconds age) {
    if (age < std::chrono::seconds(1) || age > default_max_proof_age) invalid_ = true;
    max_age_ = age;
    return *this;
  }
  // Where accepted proofs are recorded (replay_store.hpp): a shared store (jot::redis) when
  // several processes verify proofs for one URI, since a memory store stops replays within its
  // own process only.
  verifier_builder& replay_store(std::shared_ptr<dpop::replay_store> store) {
    if (!store) invalid_ = true;
    replays_ = std::move(store);
    return *this;
  }

  // Relaxations.
  // Accepts proofs signed with `alg` besides ES256: ES384, ES512, ES256K, Ed25519, Ed448 (both
  // written "EdDSA"), RS256/384/512 or PS256/384/512 (an RSA key of at least 2048 bits). An HMAC
  // algorithm makes build() fail with invalid_argument: a proof's key is public (RFC 9449 §11.6).
  verifier_builder& allow_algorithm(algorithm alg) {
    if (is_hmac(alg)) invalid_ = true;
    algorithms_.push_back(alg);
    return *this;
  }
  // A longer maximum proof age than the default: 60 s up to 600 s. A longer window makes a stolen
  // proof usable for longer at the same URI and costs replay store entries.
  verifier_builder& allow_proof_age(std::chrono::seconds age) {
    if (age < default_max_proof_age || age > max_proof_age_limit) invalid_ = true;
    max_age_ = age;
    return *this;
  }
  // How far in the future a proof's iat may lie: 0 up to 600 s (default 5 s).
  verifier_builder& allow_clock_skew(std::chrono::seconds skew) {
    if (skew < std::chrono::seconds::zero() || skew > max_clock_skew) invalid_ = true;
    clock_skew_ = skew;
    return *this;
  }
  // The time source instead of system_clock (tests, replaying an incident); also the clock of
  // the memory replay store the builder makes when given none. Must be safe to call from many
  // threads.
  verifier_builder& allow_custom_clock(std::function<std::chrono::system_clock::time_point()> now) {
    if (!now) invalid_ = true;
    clock_ = std::move(now);
    return *this;
  }

  // The verifier, or invalid_argument for a setting out of range, an HMAC algorithm or an empty
  // store, source or clock; out_of_memory.
  result<verifier> build() const;

 private:
  std::vector<algorithm> algorithms_{algorithm::es256};
  std::chrono::seconds max_age_ = default_max_proof_age;
  std::chrono::seconds clock_skew_ = default_clock_skew;
  std::shared_ptr<dpop::replay_store> replays_;
  std::shared_ptr<const nonce_source> nonces_;
  std::function<std::chrono::system_clock::time_point()> clock_;
  bool invalid_ = false;
};

}  // namespace dpop
JOT_END_NAMESPACE
