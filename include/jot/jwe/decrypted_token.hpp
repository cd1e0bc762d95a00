#pragma once

// jwe::decrypted_token: what decrypter::decrypt_unsigned_claims returns for a bare encrypted
// claim set (no inner signature) that decrypted and whose claims passed the decrypter's validator.
// It proves that the token was made by someone able to encrypt to the key: with a `dir` or A*KW
// secret, a holder of that secret; with RSA-OAEP, anyone holding the public key. A nested token
// (decrypter::decrypt_and_verify) returns a verified_token instead, whose signature says who
// vouches for the claims.

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/claims.hpp"
#include "jot/jwe/algorithms.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {

class decrypter;

// A decrypted, validated, unsigned claim set.
class decrypted_token {
 public:
  // The key management and content encryption algorithms of the token (its `alg` and `enc`).
  key_management alg() const noexcept { return alg_; }
  content_encryption enc() const noexcept { return enc_; }
  // The kid of the key that decrypted it.
  const std::optional<std::string>& key_id() const& noexcept { return key_id_; }
  const std::optional<std::string>& key_id() const&& = delete;
  // The protected header, already checked.
  const nlohmann::json& header() const& noexcept { return header_; }
  const nlohmann::json& header() const&& = delete;
  // The claims, which passed the decrypter's validator.
  const jot::claims& claims() const& noexcept { return claims_; }
  jot::claims claims() && noexcept { return std::move(claims_); }

 private:
  friend class decrypter;
  decrypted_token(key_management alg, content_encryption enc, std::optional<std::string> key_id,
                  nlohmann::json header, jot::claims claims)
      : alg_(alg),
        enc_(enc),
        key_id_(std::move(key_id)),
        header_(std::move(header)),
        claims_(std::move(claims)) {}

  key_management alg_;
  content_encryption enc_;
  std::optional<std::string> key_id_;
  nlohmann::json header_;
  jot::claims claims_;
};

}  // namespace jwe
JOT_END_NAMESPACE
