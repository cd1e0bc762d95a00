#pragma once

// Server-provided DPoP nonces (RFC 9449 §8, §9): a server that requires them refuses a proof
// without its current nonce (use_dpop_nonce) and sends the nonce in a DPoP-Nonce header, which
// limits how far ahead a client, or an attacker holding its key for a while, can make proofs
// (§11.2). A nonce_source says which nonce is current and which nonces it still accepts;
// hmac_nonce_source derives them from a secret and the time, so every process that shares the
// secret agrees without shared state.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "jot/base64url.hpp"
#include "jot/keys.hpp"
#include "jot/numeric_date.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace dpop {

// What a nonce_source says of a proof's nonce.
enum class nonce_state {
  current,   // the nonce to use now
  previous,  // still accepted, but the client should switch: send it the current one
  unknown,   // never issued, or too old: refuse (dpop_nonce_invalid) and send the current one
};

// The nonces of a server; implementations must be safe to call from many threads at once. An
// error result (a store behind the source that cannot answer) refuses the proof with that error.
class nonce_source {
 public:
  virtual ~nonce_source() = default;
  // The nonce a response sends in DPoP-Nonce at `now`: 1*NQCHAR (RFC 9449 §8.1), unpredictable.
  virtual result<std::string> current(sys_seconds now) const = 0;
  // What `nonce` is at `now`.
  virtual result<nonce_state> check(std::string_view nonce, sys_seconds now) const = 0;
};

// Nonces that rotate every `period`: the nonce of a period is base64url(HMAC-SHA-256(secret,
// "jot dpop nonce " || the period's number since 1970)), unpredictable without the secret. The
// current period's nonce and the previous one's are accepted, so a nonce lives between one and
// two periods. Processes that share the secret share the nonces; a new secret invalidates every
// nonce at once (clients then get a use_dpop_nonce answer and retry with the new one).
class hmac_nonce_source final : public nonce_source {
 public:
  // The default period: a proof's nonce is at most ten minutes old.
  static constexpr std::chrono::seconds default_period{300};

  // errc::weak_key for a secret shorter than 32 bytes (RFC 7518 §3.2 for HMAC-SHA-256),
  // invalid_argument for a period shorter than one second.
  static result<std::shared_ptr<hmac_nonce_source>> create(
      secret_bytes secret, std::chrono::seconds period = default_period) {
    // One guarded block: without exceptions, GCC would see the end of the function reachable
    // after a guarded block that follows local objects.
    JOT_TRY {
      if (period < std::chrono::seconds(1)) return errc::invalid_argument;
      auto key = signing_key::hs256(std::move(secret));
      if (!key) return key.error();
      auto verification = key->verification_key();
      if (!verification) return verification.error();
      return std::shared_ptr<hmac_nonce_source>(
          new hmac_nonce_source(std::move(*key), std::move(*verification), period));
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

  result<std::string> current(sys_seconds now) const override {
    JOT_TRY {
      auto mac = key_.implementation().sign(input_of(period_of(now)));
      if (!mac) return mac.error();
      return base64url_encode(*mac);
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

  result<nonce_state> check(std::string_view nonce, sys_seconds now) const override {
    JOT_TRY {
      std::string mac;
      if (!jot::detail::base64url_decode_append(nonce, mac)) return nonce_state::unknown;
      const std::int64_t period = period_of(now);
      // The MAC comparison is the key's, in constant time.
      for (const std::int64_t candidate : {period, period - 1}) {
        const auto verified = verifier_.implementation().verify(input_of(candidate), mac);
        if (verified) return candidate == period ? nonce_state::current : nonce_state::previous;
        if (verified.error() != errc::invalid_signature) return verified.error();
      }
      return nonce_state::unknown;
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

 private:
  hmac_nonce_source(signing_key key, verification_key verifier, std::chrono::seconds period)
      : key_(std::move(key)), verifier_(std::move(verifier)), period_(period) {}

  std::int64_t period_of(sys_seconds now) const noexcept {
    const std::int64_t seconds = now.time_since_epoch().count();
    const std::int64_t length = period_.count();
    return seconds >= 0 ? seconds / length : (seconds - length + 1) / length;
  }
  static std::string input_of(std::int64_t period) {
    return "jot dpop nonce " + std::to_string(period);
  }

  signing_key key_;
  verification_key verifier_;
  std::chrono::seconds period_;
};

}  // namespace dpop
JOT_END_NAMESPACE
