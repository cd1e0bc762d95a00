#pragma once

// The definitions of what jwk.hpp declares with JOT_INLINE (config.hpp).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/detail/jwk_export.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/detail/text.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {
JOT_INLINE nlohmann::json with_metadata(nlohmann::json jwk, algorithm alg,
                                        const std::optional<std::string>& kid) {
  jwk["alg"] = std::string(algorithm_name(alg));
  jwk["use"] = "sig";
  if (kid) jwk["kid"] = *kid;
  return jwk;
}

JOT_INLINE result<std::string> jwk_thumbprint_of(const nlohmann::json& jwk) {
  const auto kty_member = jwk.is_object() ? jwk.find("kty") : jwk.end();
  if (!jwk.is_object() || kty_member == jwk.end() || !kty_member->is_string()) {
    return errc::invalid_key;
  }
  const std::string& kty = kty_member->get_ref<const std::string&>();
  std::vector<const char*> required;
  if (kty == "RSA") {
    required = {"e", "kty", "n"};  // §3.2
  } else if (kty == "EC") {
    required = {"crv", "kty", "x", "y"};
  } else if (kty == "OKP") {
    required = {"crv", "kty", "x"};  // RFC 8037 §2
  } else if (kty == "oct") {
    required = {"k", "kty"};
  } else {
    return errc::invalid_key;
  }
  nlohmann::json members = nlohmann::json::object();  // std::map: lexicographic member order
  for (const char* name : required) {
    const auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string() || !is_valid_utf8(it->get_ref<const std::string&>())) {
      return errc::invalid_key;
    }
    members[name] = *it;
  }
  const std::string text = members.dump();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // RFC 7638 §3.1 hashes with SHA-256: the digest of HS256, fetched once (a failed fetch is
  // tried again next time).
  EVP_MD* const sha256 = detail::digest_of(algorithm::hs256);
  if (sha256 == nullptr ||
      EVP_Digest(text.data(), text.size(), digest, &size, sha256, nullptr) != 1) {
    detail::clear_openssl_errors();
    return errc::crypto_failure;
  }
  return base64url_encode(std::string(reinterpret_cast<char*>(digest), size));
}
}  // namespace detail

JOT_INLINE result<nlohmann::json> to_public_jwk(const verification_key& key) {
  const auto* impl = dynamic_cast<const detail::evp_signature_key*>(&key.implementation());
  if (impl == nullptr) return errc::invalid_key;  // HMAC or an application-defined verifier
  JOT_TRY {
    auto members = detail::pkey_members(*impl, false);
    if (!members) return members.error();
    return detail::with_metadata(std::move(*members), key.alg(), key.key_id());
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }  // building the JSON allocates
}

JOT_INLINE result<nlohmann::json> unsafe_to_private_jwk(const signing_key& key) {
  JOT_TRY {
    if (const auto* hmac = dynamic_cast<const detail::hmac_key*>(&key.implementation())) {
      return detail::with_metadata(detail::oct_members(*hmac), key.alg(), key.key_id());
    }
    const auto* impl = dynamic_cast<const detail::evp_signature_key*>(&key.implementation());
    if (impl == nullptr || !impl->can_sign()) return errc::invalid_key;
    auto members = detail::pkey_members(*impl, true);
    if (!members) return members.error();
    return detail::with_metadata(std::move(*members), key.alg(), key.key_id());
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }  // building the JSON allocates
}

JOT_END_NAMESPACE
