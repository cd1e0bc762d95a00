#pragma once

// basic_verified_token<Json>: what a verifier returns for a token whose signature holds and whose
// claims passed every check. Only basic_verifier can construct one, so holding a verified_token
// is proof that verification happened (there is no decode-then-trust path).

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/claims.hpp"

JOT_BEGIN_NAMESPACE

// A token that passed verification: its algorithm, key id, header and claims. Most code uses
// jot::verified_token.
template <typename Json>
class basic_verified_token {
 public:
  // The algorithm of the key that verified the token, which its `alg` header named.
  algorithm alg() const noexcept { return alg_; }
  // The kid of the key that verified the token (the key's, which equals the token's when set).
  // Lvalue-only, like header(): a reference into a temporary token would dangle.
  const std::optional<std::string>& key_id() const& noexcept { return key_id_; }
  const std::optional<std::string>& key_id() const&& = delete;
  // The protected header, already checked (alg, crit, b64, typ...), as a Json object made on
  // the first call (the verifier reads the header in place, detail/lazy_object.hpp), so that
  // std::bad_alloc may escape it once; concurrent first calls are safe.
  const Json& header() const& { return set_->header().json(); }
  const Json& header() const&& = delete;
  // On a temporary token, claims() moves the claims out instead of returning a reference.
  const basic_claims<Json>& claims() const& noexcept { return claims_; }
  basic_claims<Json> claims() && noexcept { return std::move(claims_); }

 private:
  friend class basic_verifier<Json>;
  basic_verified_token(algorithm alg, std::optional<std::string> key_id, basic_claims<Json> claims)
      : alg_(alg),
        key_id_(std::move(key_id)),
        set_(detail::claims_access::set(claims)),
        claims_(std::move(claims)) {}

  algorithm alg_;
  std::optional<std::string> key_id_;
  // The claim set, which holds the header too: kept here as well, so that header() still works
  // after claims() moved the claims out.
  std::shared_ptr<const detail::claim_set<Json>> set_;
  basic_claims<Json> claims_;
};

// A verified token of nlohmann::json claims.
using verified_token = basic_verified_token<nlohmann::json>;

JOT_END_NAMESPACE
