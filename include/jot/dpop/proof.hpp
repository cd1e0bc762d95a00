#pragma once

// What a DPoP proof (RFC 9449 §4) is checked against and what its verification yields: the
// request (method, URI, every DPoP header, the access token presented with it), the verified
// proof (its proven key, whose thumbprint is the `cnf.jkt` a token is bound to, and the nonce to
// send back), the `ath` of an access token, and the RFC 9449 error a response names for each DPoP
// error code. check_binding() is in <jot/session/dpop_binding.hpp>.

#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/claims.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/error.hpp"
#include "jot/numeric_date.hpp"
#include "jot/result.hpp"
#include "jot/session/dpop_binding.hpp"

JOT_BEGIN_NAMESPACE
namespace dpop {

// The request a proof came with, as the HTTP layer saw it. Views: they must outlive verify().
struct request {
  // The HTTP method, compared with the proof's `htm` exactly (methods are case-sensitive,
  // RFC 9110 §9.1).
  std::string_view method;
  // The absolute URI the client asked for, "https://api.example.com/orders?id=3": behind a proxy
  // the external one. Its query and fragment are ignored; normalize_htu() says the comparison.
  std::string_view uri;
  // The value of every DPoP header field of the request, in order: exactly one is accepted
  // (RFC 9449 §4.3 step 1); none is missing_dpop_proof, several (or a value that a proxy made a
  // comma-separated list of) multiple_dpop_proofs.
  std::vector<std::string_view> dpop_headers;
  // The access token of `Authorization: DPoP <token>`, at a resource server: the proof's `ath`
  // must be its hash (§7). Without one (a token request) a proof carrying `ath` is refused.
  std::optional<std::string_view> access_token{};
};

// A proof that passed every check of the verifier (only the verifier makes one: its key is a
// proven_key).
struct verified_proof {
  // The proof's key, proven: its thumbprint is what a token bound to it carries as `cnf.jkt`
  // (RFC 9449 §6.1), what check_binding() compares and what the session manager binds to.
  proven_key key;
  // The algorithm the proof was signed with.
  algorithm alg = algorithm::es256;
  // The public key as the proof's `jwk` header carried it.
  nlohmann::json jwk;
  // The proof's claims: jti, htm, htu, iat, and ath, nonce or extensions when present.
  nlohmann::json claims;
  // Its `iat`.
  sys_seconds issued_at{};
  // With server nonces: the nonce to send in a DPoP-Nonce header of the response, when the proof's
  // nonce is no longer the current one (RFC 9449 §8.2); nullopt when there is nothing to send.
  std::optional<std::string> next_nonce;
};

namespace detail {
// base64url(SHA-256(bytes)).
inline result<std::string> sha256_base64url(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_MD* const sha256 = jot::detail::digest_of(algorithm::hs256);
  if (sha256 == nullptr ||
      EVP_Digest(bytes.data(), bytes.size(), digest, &size, sha256, nullptr) != 1) {
    jot::detail::clear_openssl_errors();
    return errc::crypto_failure;
  }
  JOT_TRY { return base64url_encode(std::string_view(reinterpret_cast<char*>(digest), size)); }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}
}  // namespace detail

// The `ath` of an access token (RFC 9449 §4.2): base64url(SHA-256(the token's ASCII)).
inline result<std::string> access_token_hash(std::string_view access_token) {
  return detail::sha256_base64url(access_token);
}

// The RFC 9449 error code a response carries for `error` (§5, §7.1, §12.2): "use_dpop_nonce"
// for dpop_nonce_required and dpop_nonce_invalid (send the current nonce in DPoP-Nonce with it);
// "invalid_token" for dpop_key_mismatch and dpop_proof_required, a token not bound to the proof's
// key or presented without a proof (§7.1, Figure 16); "invalid_grant" (RFC 6749 §5.2) for
// dpop_session_key_mismatch, a refresh token refused at the token endpoint;
// "invalid_dpop_proof" for every other DPoP code; nullptr for an error that is not about DPoP
// (the access token's own, or a store or crypto failure: answer those as for a Bearer token).
inline const char* oauth_error(const std::error_code& error) noexcept {
  if (!error || error.category() != error_category()) return nullptr;
  switch (static_cast<errc>(error.value())) {
    case errc::dpop_nonce_required:
    case errc::dpop_nonce_invalid:
      return "use_dpop_nonce";
    case errc::dpop_key_mismatch:
    case errc::dpop_proof_required:
      return "invalid_token";
    case errc::dpop_session_key_mismatch:
      return "invalid_grant";
    case errc::malformed_dpop_proof:
    case errc::dpop_proof_too_large:
    case errc::multiple_dpop_proofs:
    case errc::dpop_type_mismatch:
    case errc::invalid_dpop_claim:
    case errc::missing_dpop_proof:
    case errc::dpop_algorithm_not_allowed:
    case errc::invalid_dpop_key:
    case errc::dpop_private_key:
    case errc::invalid_dpop_signature:
    case errc::dpop_proof_replayed:
    case errc::dpop_ath_mismatch:
    case errc::dpop_method_mismatch:
    case errc::dpop_uri_mismatch:
    case errc::dpop_proof_too_old:
    case errc::dpop_proof_in_future:
      return "invalid_dpop_proof";
    default:
      return nullptr;
  }
}

}  // namespace dpop
JOT_END_NAMESPACE
