#pragma once

// What the DPoP tests share: a clock the test moves, the fixed keys, and proofs made by hand with
// any header and claims (the attacks need headers and claims no honest client writes), signed by
// any key.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include <jot/dpop.hpp>
#include <jot/jot.hpp>

#include "fixed_keys.hpp"

namespace jot_dpop_test {

// An arbitrary present for the tests: 2023-11-14T22:13:20Z.
inline constexpr std::int64_t start_time = 1'700'000'000;

// A clock the test sets and moves; copies share the time.
class dpop_clock {
 public:
  explicit dpop_clock(std::int64_t seconds = start_time)
      : now_(std::make_shared<std::atomic<std::int64_t>>(seconds)) {}
  std::chrono::system_clock::time_point operator()() const {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now_->load()));
  }
  std::int64_t seconds() const { return now_->load(); }
  void set(std::int64_t seconds) { now_->store(seconds); }
  void advance(std::int64_t seconds) { now_->fetch_add(seconds); }

 private:
  std::shared_ptr<std::atomic<std::int64_t>> now_;
};

inline const jot::signing_key& key_for(jot::algorithm alg) {
  return jot_test::fixed_keys().signer(alg);
}

// A second P-256 key, generated once per process.
inline const jot::signing_key& other_p256_key() {
  static const jot::signing_key key = jot::signing_key::generate(jot::algorithm::es256).value();
  return key;
}

// The public JWK a proof carries for `key`: the members its thumbprint covers.
inline nlohmann::json proof_jwk(const jot::signing_key& key) {
  nlohmann::json jwk = jot::to_public_jwk(key).value();
  jwk.erase("kid");
  jwk.erase("alg");
  jwk.erase("use");
  return jwk;
}

// The header an honest client writes for `key`.
inline nlohmann::json proof_header(const jot::signing_key& key) {
  return {{"typ", "dpop+jwt"},
          {"alg", std::string(jot::algorithm_name(key.alg()))},
          {"jwk", proof_jwk(key)}};
}

// The claims an honest client writes, with a fresh jti.
inline nlohmann::json proof_claims(std::string_view method, std::string_view uri,
                                   std::int64_t iat) {
  static std::atomic<int> counter{0};
  return {{"jti", "jti-" + std::to_string(++counter)},
          {"htm", std::string(method)},
          {"htu", std::string(uri)},
          {"iat", iat}};
}

// `header` and `claims` as a compact JWS signed by `key` (whatever the header says).
inline std::string forge(const nlohmann::json& header, const nlohmann::json& claims,
                         const jot::signing_key& key) {
  std::string proof =
      jot::base64url_encode(header.dump()) + "." + jot::base64url_encode(claims.dump());
  const std::string signature = key.implementation().sign(proof).value();
  return proof + "." + jot::base64url_encode(signature);
}

// An honest proof by `key` for `method` `uri` at `iat`.
inline std::string honest_proof(const jot::signing_key& key, std::string_view method,
                                std::string_view uri, std::int64_t iat) {
  return forge(proof_header(key), proof_claims(method, uri, iat), key);
}

inline jot::dpop::request request_for(std::string_view method, std::string_view uri,
                                      std::string_view proof,
                                      std::optional<std::string_view> token = std::nullopt) {
  return {method, uri, {proof}, token};
}

// A verifier with `clock`, ES256 and Ed25519, and the defaults otherwise.
inline jot::dpop::verifier verifier_on(const dpop_clock& clock) {
  return jot::dpop::verifier::builder{}
      .allow_algorithm(jot::algorithm::ed25519)
      .allow_custom_clock(clock)
      .build()
      .value();
}

}  // namespace jot_dpop_test
