#pragma once

// basic_token_check<Json>: the validator's one extension point (basic_validator_builder::
// expect_that). A check runs last, after the signature and every claim check of the verifier's
// check order (verifier.hpp) has passed, and can only reject: it returns success to let the token
// through or the errc that rejects it. The session layer's revocation, token-version and
// active-session checks are checks of this kind (jot/session/session_checks.hpp); an application
// adds its own the same way (a tenant that must still exist, a scope table...).
//
// A check must be safe to call from many threads at once: one validator serves every request.
// It fails closed: a store it cannot reach is store_unavailable, never a pass; a check that throws
// rejects the token (validator.hpp says with which errc).

#include <functional>

#include "jot/claims.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

// What a check sees: the token's claims and header, whose signature holds and whose registered
// claims have their RFC 7519 types, and the validator's clock (its allow_custom_clock, or the
// system clock) read once for this token. Made by the validator for the duration of the call.
template <typename Json>
class basic_check_context {
 public:
  // The claims, read through their typed accessors (subject(), jwt_id()...) without making any
  // Json value; find() makes one claim's value, json() the whole set's, each once. Copying the
  // claims object keeps them alive past the call.
  const basic_claims<Json>& claims() const noexcept { return claims_; }
  // The header as a Json object, made on the first call of any check (std::bad_alloc may escape
  // it, which rejects the token as out_of_memory). Valid only during the call: copy what must
  // outlive it.
  const Json& header() const { return detail::claims_access::set(claims_)->header().json(); }
  // The validator's clock for this token.
  sys_seconds now() const noexcept { return now_; }

  // Made by the validator (validation_policy.hpp): `claims` must outlive the context.
  basic_check_context(const basic_claims<Json>& claims, sys_seconds now) noexcept
      : claims_(claims), now_(now) {}

 private:
  const basic_claims<Json>& claims_;
  sys_seconds now_;
};

// A check: success lets the token through, an error code rejects it.
template <typename Json>
using basic_token_check = std::function<result<void>(const basic_check_context<Json>&)>;

JOT_END_NAMESPACE
