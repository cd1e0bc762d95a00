#pragma once

// HTTP helpers that need no HTTP library: what a server does with Bearer tokens around verify()
// (cookies.hpp does the same for cookies).
//  - bearer_token(): the token of an `Authorization: Bearer ...` header, RFC 6750 §2.1 exactly;
//  - www_authenticate() and http_status(): the RFC 6750 §3 challenge and the status for any jot
//    error, so a handler answers in one line.
// What a route requires (scopes, anonymous access) is requirement.hpp; the whole decision, from
// the Authorization header to a principal or a refusal, access.hpp.
// For a 500 or 503 answer no challenge is needed; www_authenticate() then names the scheme only.
// Every function is pure and thread-safe. Nothing here puts token bytes, claim values or
// request data into a challenge: an error description is the error code's fixed message.

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include "jot/config.hpp"
#include "jot/detail/text.hpp"
#include "jot/error.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
inline bool is_b64token_char(char c) noexcept {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
         c == '/';
}

// RFC 9110 §5.6.4 quoted-string, with `"` and `\` escaped.
inline void append_quoted(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

// RFC 6750 §3.1 tells a malformed request (invalid_request, 400) from a malformed token
// (invalid_token, 401, like any token that is not accepted): only the request headers' own
// grammar errors are the former.
inline bool is_malformed_request(errc code) noexcept {
  return code == errc::malformed_credentials || code == errc::malformed_cookie;
}

}  // namespace detail

// The token of an Authorization header value (RFC 6750 §2.1: "Bearer" 1*SP b64token, the scheme
// compared case-insensitively, RFC 9110 §11.1). An empty value, as for a missing header, is
// missing_credentials; another scheme ("Basic ...") unsupported_auth_scheme; anything else that
// is not exactly the grammar (no token, a tab, two tokens, a character outside b64token)
// malformed_credentials. The view points into `authorization`.
inline result<std::string_view> bearer_token(std::string_view authorization) noexcept {
  const std::string_view value = detail::trim_whitespace(authorization);
  if (value.empty()) return errc::missing_credentials;
  const std::size_t scheme_end = value.find(' ');
  const std::string_view scheme = value.substr(0, scheme_end);
  if (!detail::equals_ignoring_case(scheme, "Bearer")) {
    return detail::all_of(scheme, detail::is_tchar) ? errc::unsupported_auth_scheme
                                                    : errc::malformed_credentials;
  }
  if (scheme_end == std::string_view::npos) return errc::malformed_credentials;
  std::string_view token = value.substr(scheme_end);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  std::size_t padding = token.size();
  while (padding > 0 && token[padding - 1] == '=') --padding;
  if (padding == 0 || !detail::all_of(token.substr(0, padding), detail::is_b64token_char)) {
    return errc::malformed_credentials;
  }
  return token;
}

// The HTTP status a server answers for `error`: 400 for a malformed request (an Authorization or
// Cookie header off its grammar), 401 when it is not authenticated (no credentials; a malformed,
// forged or rejected token: RFC 6750 §3.1), 403 when it is but may not do this,
// 500 for a server misconfiguration, 503 when a store or another dependency is unavailable
// (retrying may help). Success is 200; an error of another category 500.
inline int http_status(const std::error_code& error) noexcept {
  if (!error) return 200;
  if (error.category() != error_category()) return 500;
  const auto code = static_cast<errc>(error.value());
  switch (failure_of(code)) {
    case failure::malformed:
      return detail::is_malformed_request(code) ? 400 : 401;
    case failure::unauthenticated:
    case failure::claims_rejected:
      return 401;
    case failure::forbidden:
      return 403;
    case failure::misconfigured:
      return 500;
    case failure::unavailable:
      return 503;
  }
  return 500;
}

// What a challenge names besides the error.
struct bearer_challenge {
  std::string realm;  // optional; written once when not empty
  std::string scope;  // the scope the resource needs, written with insufficient_scope
};

// The WWW-Authenticate value of an RFC 6750 §3 challenge for `error`:
//  - no error code when the request carried no Bearer credentials (missing_credentials,
//    unsupported_auth_scheme: §3.1 "SHOULD NOT include an error code");
//  - `invalid_request` for a malformed request (400), `invalid_token` for a token that is
//    malformed, not authentic or whose claims were rejected (401), `insufficient_scope` with
//    `scope` (403);
//  - `error_description`: the code's fixed message, never request data.
// A realm or scope with a control character or non-ASCII byte (a CR/LF would split the header)
// is invalid_argument, as is a scope that is not space-separated scope tokens (§3).
inline result<std::string> www_authenticate(const std::error_code& error,
                                            const bearer_challenge& challenge = {}) {
  if (!detail::is_printable_ascii(challenge.realm) ||
      !detail::is_printable_ascii(challenge.scope) ||
      challenge.scope.find_first_of("\"\\") != std::string::npos) {
    return errc::invalid_argument;
  }
  const char* code = nullptr;
  if (error && error.category() == error_category()) {
    const auto jot_code = static_cast<errc>(error.value());
    const failure group = failure_of(jot_code);
    if (jot_code == errc::missing_credentials || jot_code == errc::unsupported_auth_scheme) {
      code = nullptr;
    } else if (jot_code == errc::insufficient_scope) {
      code = "insufficient_scope";
    } else if (detail::is_malformed_request(jot_code)) {
      code = "invalid_request";
    } else if (group == failure::malformed || group == failure::unauthenticated ||
               group == failure::claims_rejected) {
      code = "invalid_token";
    }
  }
  JOT_TRY {
    std::string out = "Bearer";
    const char* separator = " ";
    const auto attribute = [&](const char* name, std::string_view value) {
      out += separator;
      out += name;
      out += '=';
      detail::append_quoted(out, value);
      separator = ", ";
    };
    if (!challenge.realm.empty()) attribute("realm", challenge.realm);
    if (code) {
      attribute("error", code);
      attribute("error_description", errc_message(static_cast<errc>(error.value())));
      if (error == errc::insufficient_scope && !challenge.scope.empty()) {
        attribute("scope", challenge.scope);
      }
    }
    return out;
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

JOT_END_NAMESPACE
