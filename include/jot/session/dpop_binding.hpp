#pragma once

// The key a DPoP proof proved possession of, and whether a token is bound to it (RFC 9449 §6.1,
// §7.1). jot::dpop::verifier (<jot/dpop.hpp>) is the only maker of a proven_key; the session
// manager binds the tokens it issues to one and checks them against one. It lives in the session
// layer because the session manager, which the DPoP layer builds on, takes it.

#include <string>
#include <string_view>
#include <utility>

#include "jot/claims.hpp"
#include "jot/config.hpp"
#include "jot/error.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace dpop {

class verifier;

// The RFC 7638 SHA-256 thumbprint of a key that signed a DPoP proof the verifier accepted: what a
// token bound to it carries as `cnf.jkt`. Only jot::dpop::verifier::verify() makes one, so a
// function that takes a proven_key cannot be handed a thumbprint read from a request, a token
// or a store; it can be copied and kept.
class proven_key {
 public:
  // The thumbprint, base64url without padding (43 characters).
  const std::string& thumbprint() const noexcept { return thumbprint_; }

 private:
  friend class verifier;
  explicit proven_key(std::string thumbprint) : thumbprint_(std::move(thumbprint)) {}

  std::string thumbprint_;
};

// Whether the access token whose claims these are is bound to `key` (RFC 9449 §6.1, §7.1): its
// `cnf.jkt` must be the key's thumbprint. dpop_key_mismatch for a token bound to another key or
// to none (no `cnf`, or a `cnf` without `jkt`); invalid_claim_type naming "cnf" when `cnf` is
// not an object or its `jkt` not a string. Call it after the token was verified, with the key of
// the proof of the same request.
template <typename Json>
result<void> check_binding(const basic_claims<Json>& token_claims, const proven_key& key) noexcept {
  const Json* cnf = token_claims.find("cnf");
  if (cnf == nullptr) return errc::dpop_key_mismatch;
  if (!cnf->is_object()) return error_info(errc::invalid_claim_type, "cnf");
  const auto jkt = cnf->find("jkt");
  if (jkt == cnf->end()) return errc::dpop_key_mismatch;
  if (!jkt->is_string()) return error_info(errc::invalid_claim_type, "cnf");
  if (jkt->template get_ref<const typename Json::string_t&>() != key.thumbprint()) {
    return errc::dpop_key_mismatch;
  }
  return {};
}

// Whether a token's claims bind it to a key (RFC 7800 §3.1: any `cnf`): such a token needs a
// proof of possession with every use, and presented without one (as a Bearer token) is
// dpop_proof_required (RFC 9449 §7.1).
template <typename Json>
bool is_key_bound(const basic_claims<Json>& token_claims) noexcept {
  return token_claims.find("cnf") != nullptr;
}

}  // namespace dpop
JOT_END_NAMESPACE
