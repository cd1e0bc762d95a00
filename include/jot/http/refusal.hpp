#pragma once

// What a refused request is answered, for every adapter: access_refusal (the status, the
// RFC 6750 §3 and RFC 9449 §7.1 challenges, a DPoP-Nonce when one is due, a JSON body that never
// echoes the token) and refusal_for(), which makes one from a jot error and the route's
// access_requirement. authorize() (access.hpp) returns one for every request it refuses.

#include <string>
#include <system_error>
#include <utility>

#include "jot/config.hpp"
#include "jot/error.hpp"
#include "jot/http/bearer.hpp"
#include "jot/http/dpop.hpp"
#include "jot/http/requirement.hpp"

JOT_BEGIN_NAMESPACE

// What to answer a request that is refused: the status, the challenges, the body. Adapters also
// send `Cache-Control: no-store`: no answer about credentials may be cached (RFC 6749 §5.1 asks the
// same of token responses).
struct access_refusal {
  // Why: a jot error code, with the claim it names when it names one (safe to log).
  error_info error;
  // http_status(error): 400, 401, 403, 500 or 503.
  int status = 500;
  // The WWW-Authenticate value for a 400, 401 or 403 (RFC 6750 §3); empty for a 500 or 503,
  // which are not the client's to fix.
  std::string www_authenticate;
  // {"error":"<errc name>"}, for scripts; the challenge carries the same error.
  std::string body;
  // The DPoP-Nonce header to send, with a use_dpop_nonce refusal (RFC 9449 §9); empty otherwise.
  std::string dpop_nonce;
};

// The refusal of a request for `error`, its challenges naming the requirement's realm and, for
// insufficient_scope, its challenge_scope(). A challenge for each scheme the requirement
// accepts, Bearer first (RFC 9449 §7.1 and RFC 6750 §3: one header value, comma-separated); the
// error goes into the challenge of `scheme`, the one the request used (DPoP when the route takes
// DPoP alone), and the DPoP challenge names the verifier's algs. A use_dpop_nonce refusal
// carries the current nonce. For handlers that refuse a request themselves too (a cookie
// endpoint refusing a cross-site request).
inline access_refusal refusal_for(const error_info& error,
                                  const access_requirement& requirement = {},
                                  token_scheme scheme = token_scheme::bearer) {
  access_refusal out;
  out.error = error;
  out.status = http_status(error);
  JOT_TRY {
    const dpop::verifier* proofs = requirement.dpop_proofs();
    const bool error_in_dpop =
        proofs && (scheme == token_scheme::dpop || !requirement.accepts_bearer());
    const std::string scope =
        error == errc::insufficient_scope ? requirement.challenge_scope() : std::string();
    if (out.status == 400 || out.status == 401 || out.status == 403) {
      // access_requirement refuses a realm the challenges would refuse, so only memory can fail
      // here; a challenge then names its scheme alone rather than nothing.
      if (requirement.accepts_bearer()) {
        auto value = www_authenticate(error_in_dpop ? std::error_code() : std::error_code(error),
                                      bearer_challenge{requirement.realm(), scope});
        out.www_authenticate = value ? std::move(*value) : std::string("Bearer");
      }
      if (proofs) {
        auto value =
            dpop_www_authenticate(error_in_dpop ? std::error_code(error) : std::error_code(),
                                  dpop_challenge{requirement.realm(), proofs->algs(), scope});
        if (!out.www_authenticate.empty()) out.www_authenticate += ", ";
        out.www_authenticate += value ? std::move(*value) : std::string("DPoP");
      }
      if (proofs && (error == errc::dpop_nonce_required || error == errc::dpop_nonce_invalid)) {
        out.dpop_nonce = proofs->current_nonce().value_or(std::string());
      }
    }
    // errc names are identifiers: nothing to escape.
    out.body.append(R"({"error":")").append(errc_name(error)).append(R"("})");
  }
  JOT_CATCH_ALL {
    out.error = errc::out_of_memory;
    out.status = http_status(out.error);
    out.www_authenticate.clear();
    out.body.clear();
    out.dpop_nonce.clear();
  }
  return out;
}

JOT_END_NAMESPACE
