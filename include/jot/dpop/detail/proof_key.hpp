#pragma once

// How the DPoP verifier (verifier.hpp) reads the key of a proof and words the errors of its
// form: the one place in jot where a verification key is made from a token's `jwk` header.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/error.hpp"
#include "jot/key_set.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace dpop {
namespace detail {

// JWK members that hold private key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2).
inline constexpr std::string_view private_jwk_members[] = {"d",  "p",  "q",   "dp",
                                                           "dq", "qi", "oth", "k"};

// An error of the JWK import as the proof's error: a verdict on the key is invalid_dpop_key;
// a failure of jot or OpenSSL stays what it is.
inline error_info key_error(const error_info& error) noexcept {
  if (error == errc::crypto_failure || error == errc::out_of_memory) return error;
  return errc::invalid_dpop_key;
}

// A structural error of the header or the claims as the proof's: malformed_dpop_proof, unless
// jot itself failed (out of memory).
inline error_info malformed(const error_info& error) noexcept {
  if (error == errc::out_of_memory) return error;
  return errc::malformed_dpop_proof;
}

// The keys a verifier imported lately, by algorithm and the `jwk` as its JSON text: importing a
// JWK (the curve, the point, OpenSSL's key object) costs several times the signature check
// (docs/dpop.md, "Cost per request"), and a client sends the same key with every proof. The same
// text imports as the same key, so a hit changes no verdict; only keys that imported are kept.
// At most `capacity` entries: a full cache starts over, so a client that sends a new key with
// every proof costs an import each, as without a cache, and no more memory. Thread-safe.
class proof_key_cache {
 public:
  static constexpr std::size_t capacity = 1024;

  std::shared_ptr<const verification_key> find(const std::string& id) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto found = keys_.find(id);
    return found == keys_.end() ? nullptr : found->second;
  }
  void insert(std::string id, std::shared_ptr<const verification_key> key) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (keys_.size() >= capacity) keys_.clear();
    keys_.emplace(std::move(id), std::move(key));
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const verification_key>> keys_;
};

// The proof's key: its `jwk` header (an object), public members only (dpop_private_key
// otherwise), imported for the one of `algorithms` that the header's `alg` names (`named`, a
// mask of them), or found in `cache`. "EdDSA" names both Edwards curves (RFC 8037 §3.1): then
// the key's `crv` picks one, and another curve fails the import.
inline result<std::shared_ptr<const verification_key>> proof_key(
    const nlohmann::json& jwk, std::uint32_t named, const std::vector<algorithm>& algorithms,
    proof_key_cache& cache) {
  for (const std::string_view member : private_jwk_members) {
    if (jwk.contains(member)) return errc::dpop_private_key;
  }
  const auto crv = jwk.find("crv");
  const std::string_view curve = crv != jwk.end() && crv->is_string()
                                     ? std::string_view(crv->get_ref<const std::string&>())
                                     : std::string_view();
  std::optional<algorithm> alg;
  for (const algorithm candidate : algorithms) {
    if ((named & jot::detail::algorithm_bit(candidate)) == 0) continue;
    if (!alg || curve == fully_specified_name(candidate)) alg = candidate;
  }
  std::string id = std::string(alg ? algorithm_name(*alg) : "") + "\n" + jwk.dump();
  if (auto cached = cache.find(id)) return cached;
  auto key = verification_key::from_jwk(jwk, alg);
  if (!key) return key_error(key.error());
  auto imported = std::make_shared<const verification_key>(std::move(*key));
  cache.insert(std::move(id), imported);
  return imported;
}

}  // namespace detail
}  // namespace dpop
JOT_END_NAMESPACE
