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

// What a check sees: the token's header and claims, both strict JSON objects whose signature
// holds and whose registered claims have their RFC 7519 types, and the validator's clock (its
// allow_custom_clock, or the system clock) read once for this token.
template <typename Json>
struct basic_check_context {
  // Views into the token being verified, valid only during the call: copy what must outlive it.
  const Json& header;
  const Json& claims;
  sys_seconds now;
};

// A check: success lets the token through, an error code rejects it.
template <typename Json>
using basic_token_check = std::function<result<void>(const basic_check_context<Json>&)>;

JOT_END_NAMESPACE
