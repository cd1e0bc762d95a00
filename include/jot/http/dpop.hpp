#pragma once

// The HTTP side of DPoP (RFC 9449 §7), which needs no HTTP library: the `WWW-Authenticate: DPoP`
// challenge. What a route accepts (Bearer, DPoP or both) is requirement.hpp's accept_dpop() and
// require_dpop(); the decision, access.hpp; docs/protect.md has the rules.

#include <string>
#include <string_view>
#include <system_error>

#include "jot/config.hpp"
#include "jot/dpop/proof.hpp"
#include "jot/error.hpp"
#include "jot/http/bearer.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

// What a DPoP challenge names besides the error.
struct dpop_challenge {
  std::string realm;  // optional; written once when not empty
  std::string algs;   // the proof algorithms accepted (dpop::verifier::algs()); written when set
  std::string scope;  // the scope the resource needs, written with insufficient_scope
};

// The WWW-Authenticate value of an RFC 9449 §7.1 challenge for `error`: "DPoP", the realm, and
// for an error the RFC 9449 code (dpop::oauth_error(): `invalid_dpop_proof`, `use_dpop_nonce`,
// `invalid_token` for a token not bound to the proof's key) or, for an error about the token,
// the RFC 6750 one, with `error_description` (the code's fixed message); then `algs`. A
// use_dpop_nonce answer also needs a DPoP-Nonce header (verifier::current_nonce()). The same
// rules as www_authenticate() for the realm and scope (invalid_argument); `algs` must be
// space-separated algorithm names.
inline result<std::string> dpop_www_authenticate(const std::error_code& error,
                                                 const dpop_challenge& challenge = {}) {
  const auto plain = [](const std::string& text) {
    return detail::is_printable_ascii(text) && text.find_first_of("\"\\") == std::string::npos;
  };
  if (!detail::is_printable_ascii(challenge.realm) || !plain(challenge.algs) ||
      !plain(challenge.scope)) {
    return errc::invalid_argument;
  }
  const char* code = dpop::oauth_error(error);
  if (code == nullptr) code = detail::bearer_error_code(error);
  JOT_TRY {
    return detail::challenge_of("DPoP", challenge.realm, code, error, challenge.scope,
                                challenge.algs);
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

JOT_END_NAMESPACE
