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

// The two schemes an access token comes with: `Bearer` (RFC 6750) and `DPoP` (RFC 9449 §7.1, a
// token bound to a key, with a DPoP proof header).
enum class token_scheme { bearer, dpop };

// An access token and the scheme it came with.
struct token_credentials {
  // The scheme, and the token (a view into the header value).
  token_scheme scheme = token_scheme::bearer;
  std::string_view token;
};

// The credentials of an Authorization header value: "Bearer" or "DPoP", 1*SP, then a token68
// (RFC 6750 §2.1 b64token; RFC 9449 §7.1 uses the same syntax), the scheme compared
// case-insensitively (RFC 9110 §11.1). An empty value, as for a missing header, is
// missing_credentials; another scheme ("Basic ...") unsupported_auth_scheme; anything else that
// is not exactly the grammar (no token, a tab, two tokens, a character outside b64token)
// malformed_credentials.
inline result<token_credentials> access_token_credentials(std::string_view authorization) noexcept {
  const std::string_view value = detail::trim_whitespace(authorization);
  if (value.empty()) return errc::missing_credentials;
  const std::size_t scheme_end = value.find(' ');
  const std::string_view scheme = value.substr(0, scheme_end);
  token_credentials out;
  if (detail::equals_ignoring_case(scheme, "DPoP")) {
    out.scheme = token_scheme::dpop;
  } else if (!detail::equals_ignoring_case(scheme, "Bearer")) {
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
  out.token = token;
  return out;
}

// The token of an `Authorization: Bearer` header value: access_token_credentials() for the
// Bearer scheme alone (a DPoP one is unsupported_auth_scheme). The view points into
// `authorization`.
inline result<std::string_view> bearer_token(std::string_view authorization) noexcept {
  auto credentials = access_token_credentials(authorization);
  if (!credentials) return credentials.error();
  if (credentials->scheme != token_scheme::bearer) return errc::unsupported_auth_scheme;
  return credentials->token;
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

namespace detail {

// The RFC 6750 §3.1 error code of a Bearer challenge for `error`, or null for none: none when
// the request carried no credentials of the scheme (missing_credentials,
// unsupported_auth_scheme: "SHOULD NOT include an error code"), `invalid_request` for a
// malformed request (400), `invalid_token` for a token that is malformed, not authentic or whose
// claims were rejected (401), `insufficient_scope` (403); none for a 500 or 503.
inline const char* bearer_error_code(const std::error_code& error) noexcept {
  if (!error || error.category() != error_category()) return nullptr;
  const auto code = static_cast<errc>(error.value());
  const failure group = failure_of(code);
  if (code == errc::missing_credentials || code == errc::unsupported_auth_scheme) return nullptr;
  if (code == errc::insufficient_scope) return "insufficient_scope";
  if (is_malformed_request(code)) return "invalid_request";
  if (group == failure::malformed || group == failure::unauthenticated ||
      group == failure::claims_rejected) {
    return "invalid_token";
  }
  return nullptr;
}

// `scheme`, then each attribute as name="value" (RFC 9110 §11.6.1), comma-separated. `code`: the
// error code (null: no error attributes); its description is `error`'s fixed message.
inline std::string challenge_of(const char* scheme, std::string_view realm, const char* code,
                                const std::error_code& error, std::string_view scope,
                                std::string_view algs) {
  std::string out = scheme;
  const char* separator = " ";
  const auto attribute = [&](const char* name, std::string_view value) {
    out += separator;
    out += name;
    out += '=';
    append_quoted(out, value);
    separator = ", ";
  };
  if (!realm.empty()) attribute("realm", realm);
  if (code) {
    attribute("error", code);
    attribute("error_description", errc_message(static_cast<errc>(error.value())));
    if (error == errc::insufficient_scope && !scope.empty()) attribute("scope", scope);
  }
  if (!algs.empty()) attribute("algs", algs);
  return out;
}

}  // namespace detail

// The WWW-Authenticate value of an RFC 6750 §3 challenge for `error`: "Bearer", the realm, and
// for an error the error code (detail::bearer_error_code), `error_description` (the code's fixed
// message, never request data) and, with insufficient_scope, `scope`.
// A realm or scope with a control character or non-ASCII byte (a CR/LF would split the header)
// is invalid_argument, as is a scope that is not space-separated scope tokens (§3).
inline result<std::string> www_authenticate(const std::error_code& error,
                                            const bearer_challenge& challenge = {}) {
  if (!detail::is_printable_ascii(challenge.realm) ||
      !detail::is_printable_ascii(challenge.scope) ||
      challenge.scope.find_first_of("\"\\") != std::string::npos) {
    return errc::invalid_argument;
  }
  JOT_TRY {
    return detail::challenge_of("Bearer", challenge.realm, detail::bearer_error_code(error), error,
                                challenge.scope, {});
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

JOT_END_NAMESPACE
