#pragma once

// The definitions of what key_set.hpp declares with JOT_INLINE (config.hpp).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/json.hpp"
#include "jot/jwk.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {
JOT_INLINE bool usable_for_verification(const nlohmann::json& jwk,
                                        std::optional<algorithm> default_algorithm) {
  if (!jwk.is_object()) return true;  // let the import report it
  if (const auto use = jwk.find("use"); use != jwk.end() && !is_json_string(*use, "sig")) {
    return false;
  }
  if (const auto ops = jwk.find("key_ops"); ops != jwk.end() && ops->is_array()) {
    bool verify = false;
    for (const auto& op : *ops) verify = verify || is_json_string(op, "verify");
    if (!verify) return false;
  }
  const auto kty_member = jwk.find("kty");
  if (kty_member == jwk.end() || !kty_member->is_string()) return true;
  const std::string& kty = kty_member->get_ref<const std::string&>();
  if (kty != "oct" && kty != "RSA" && kty != "EC" && kty != "OKP") return false;
  if (const auto crv = jwk.find("crv");
      kty == "OKP" && crv != jwk.end() &&
      (is_json_string(*crv, "X25519") || is_json_string(*crv, "X448"))) {
    return false;
  }
  const auto alg = jwk.find("alg");
  if (alg != jwk.end()) {
    return alg->is_string() && detail::algorithms_named(alg->get_ref<const std::string&>()) != 0;
  }
  if (!default_algorithm) return true;  // the import says errc::missing_algorithm
  const algorithm a = *default_algorithm;
  return (kty == "oct" && is_hmac(a)) || (kty == "RSA" && is_rsa(a)) ||
         (kty == "EC" && is_ecdsa(a)) || (kty == "OKP" && is_eddsa(a));
}
}  // namespace detail

JOT_INLINE result<key_set> key_set::from_jwks(std::string_view text, const jwks_options& options) {
  auto parsed = parse_json_object(text);
  if (!parsed) return parsed.error();
  return from_jwks(*parsed, options);
}

JOT_INLINE result<nlohmann::json> key_set::to_jwks() const {
  JOT_TRY {
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& key : data_->keys) {
      auto jwk = to_public_jwk(key);
      if (!jwk) return jwk.error();
      keys.push_back(std::move(*jwk));
    }
    return nlohmann::json{{"keys", std::move(keys)}};
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

JOT_INLINE result<key_set> key_set::from_jwks_object(const nlohmann::json& jwks,
                                                     const jwks_options& options) {
  const std::optional<algorithm>& default_algorithm = options.default_algorithm;
  const auto entries_member = jwks.is_object() ? jwks.find("keys") : jwks.end();
  if (!jwks.is_object() || entries_member == jwks.end() || !entries_member->is_array()) {
    return errc::invalid_key;
  }
  const auto& entries = *entries_member;
  if (entries.size() > max_keys) return errc::invalid_argument;
  std::vector<verification_key> keys;
  std::size_t skipped = 0;
  for (const auto& jwk : entries) {
    if (!detail::usable_for_verification(jwk, default_algorithm)) {
      ++skipped;
      continue;
    }
    const bool has_alg = jwk.is_object() && jwk.contains("alg");
    auto key = verification_key::from_jwk(jwk, has_alg ? std::nullopt : default_algorithm);
    if (!key) return key.error();
    // Decided on the key made, so no spelling of the JWK (an `alg` of HS256 without `kty`, a
    // default HMAC algorithm) can slip a secret past it.
    if (is_hmac(key->alg()) && !options.allow_symmetric_keys) {
      return errc::symmetric_key_in_jwks;
    }
    keys.push_back(std::move(*key));
  }
  if (keys.empty()) return errc::no_keys;
  return make(std::move(keys), skipped);
}

JOT_INLINE result<key_set> key_set::make_unguarded(std::vector<verification_key> keys,
                                                   std::size_t skipped) {
  auto out = std::make_shared<data>();
  out->keys = std::move(keys);
  out->skipped = skipped;
  for (std::size_t i = 0; i < out->keys.size(); ++i) {
    const auto& key = out->keys[i];
    out->algorithms |= detail::algorithm_bit(key.alg());
    if (!key.key_id()) continue;
    // Two keys under one kid must differ in the `alg` they answer to, or the kid would pick
    // one of them at random (Ed25519 and Ed448 both answer to "EdDSA").
    if (out->find(*key.key_id(), detail::algorithms_named(algorithm_name(key.alg()))) != nullptr) {
      return errc::duplicate_key_id;
    }
    out->by_id.emplace(*key.key_id(), i);
  }
  return key_set(std::move(out));
}

JOT_END_NAMESPACE
