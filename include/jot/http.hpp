#pragma once

// HTTP helpers that need no HTTP library: what a server does with tokens around verify().
//  - bearer_token(): the token of an `Authorization: Bearer ...` header, RFC 6750 §2.1 exactly;
//  - www_authenticate() and http_status(): the RFC 6750 §3 challenge and the status for any jot
//    error, so a handler answers in one line;
//  - set_cookie(), clear_cookie(), cookie_value(): refresh tokens in `HttpOnly; Secure;
//    SameSite=Strict` cookies (RFC 6265, with the `__Host-` / `__Secure-` prefix rules);
//  - check_same_origin(): the CSRF defence for cookie-authenticated endpoints, beyond SameSite;
//  - has_scope(): the RFC 8693 §4.2 `scope` check behind a 403.
// For a 500 or 503 answer no challenge is needed; www_authenticate() then names the scheme only.
// Every function is pure and thread-safe. Nothing here puts token bytes, claim values or
// request data into a challenge: an error description is the error code's fixed message.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "jot/config.hpp"
#include "jot/detail/text.hpp"
#include "jot/error.hpp"
#include "jot/result.hpp"
#include "jot/verified_token.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

inline bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
inline bool is_b64token_char(char c) noexcept {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
         c == '/';
}

// RFC 9110 §5.6.2: tchar, the characters of a token (a cookie name, an auth scheme).
inline bool is_tchar(char c) noexcept {
  return is_alpha(c) || is_digit(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 6265 §4.1.1: cookie-octet, US-ASCII without CTLs, whitespace, DQUOTE, comma, semicolon
// and backslash.
inline bool is_cookie_octet(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x2B) || (u >= 0x2D && u <= 0x3A) ||
         (u >= 0x3C && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

// Visible ASCII and space: what may stand in a quoted-string or an attribute value that this
// file writes. CR, LF and every other control character are refused, so no value can end a
// header line or start another (response splitting).
inline bool is_printable_ascii(std::string_view text) noexcept {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7E) return false;
  }
  return true;
}

inline bool all_of(std::string_view text, bool (*accepts)(char) noexcept) noexcept {
  for (const char c : text) {
    if (!accepts(c)) return false;
  }
  return true;
}

// RFC 9110 §5.6.3: a field value has no leading or trailing whitespace (SP / HTAB).
inline std::string_view trim_whitespace(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
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

// Whether the token's `scope` claim (a space-separated string, RFC 8693 §4.2, RFC 9068 §2.2.3)
// names `scope` exactly. A missing or non-string claim has no scope.
template <typename Json>
bool has_scope(const basic_verified_token<Json>& token, std::string_view scope) {
  const Json* claim = token.claims().find("scope");
  if (scope.empty() || claim == nullptr || !claim->is_string()) return false;
  std::string_view list = claim->template get_ref<const typename Json::string_t&>();
  while (!list.empty()) {
    const std::size_t end = list.find(' ');
    if (list.substr(0, end) == scope) return true;
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return false;
}

enum class same_site { strict, lax, none };

// Set-Cookie attributes (RFC 6265 §4.1.2, and the SameSite and prefix rules of RFC 6265bis).
// The defaults are those of a refresh-token cookie: HttpOnly (no script reads it), Secure (HTTPS
// only; browsers also accept it on http://localhost), SameSite=Strict, Path=/.
struct cookie_options {
  std::string path = "/";
  std::optional<std::string> domain;
  std::optional<std::chrono::seconds> max_age;
  bool http_only = true;
  bool secure = true;
  jot::same_site same_site = jot::same_site::strict;
};

// A Set-Cookie header value. invalid_argument for: a name that is not a token or a value not
// cookie-octets (no CR, LF, `;`, space...); a path or domain with a control character or `;`; a
// negative Max-Age; and the combinations browsers refuse: `__Host-` without Secure, with a
// Domain, or with a Path other than "/"; `__Secure-` without Secure; SameSite=None without
// Secure.
inline result<std::string> set_cookie(std::string_view name, std::string_view value,
                                      const cookie_options& options = {}) {
  const auto attribute_ok = [](std::string_view text) {
    return detail::is_printable_ascii(text) && text.find(';') == std::string_view::npos;
  };
  const bool host_prefix = detail::starts_with(name, "__Host-");
  if (name.empty() || !detail::all_of(name, detail::is_tchar) ||
      !detail::all_of(value, detail::is_cookie_octet) || !attribute_ok(options.path) ||
      (options.path.empty() || options.path.front() != '/') ||
      (options.domain && (options.domain->empty() || !attribute_ok(*options.domain))) ||
      (options.max_age && options.max_age->count() < 0) ||
      (host_prefix && (!options.secure || options.domain || options.path != "/")) ||
      (detail::starts_with(name, "__Secure-") && !options.secure) ||
      (options.same_site == same_site::none && !options.secure)) {
    return errc::invalid_argument;
  }
  JOT_TRY {
    std::string out;
    out.append(name).append("=").append(value);
    out.append("; Path=").append(options.path);
    if (options.domain) out.append("; Domain=").append(*options.domain);
    if (options.max_age) out.append("; Max-Age=").append(std::to_string(options.max_age->count()));
    if (options.secure) out.append("; Secure");
    if (options.http_only) out.append("; HttpOnly");
    static constexpr const char* same_site_names[] = {"Strict", "Lax", "None"};
    out.append("; SameSite=").append(same_site_names[static_cast<int>(options.same_site)]);
    return out;
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

// The Set-Cookie value that deletes the cookie: empty, Max-Age=0 (RFC 6265 §5.2.2), with the
// same name, path and domain it was set with (else the browser keeps it).
inline result<std::string> clear_cookie(std::string_view name, cookie_options options = {}) {
  options.max_age = std::chrono::seconds(0);
  return set_cookie(name, "", options);
}

// The value of cookie `name` in a Cookie header value, parsed strictly as RFC 6265 §4.2.1 writes
// it: cookie-pair *( "; " cookie-pair ), a pair being a token, "=", and cookie-octets
// (optionally in double quotes, which are removed). Not there: missing_credentials. Anything
// off the grammar, or the name twice (a cookie planted by a sibling domain or an insecure
// origin beside the real one, "cookie tossing"): malformed_cookie. The view points into
// `cookie_header`.
inline result<std::string_view> cookie_value(std::string_view cookie_header,
                                             std::string_view name) noexcept {
  std::optional<std::string_view> found;
  std::string_view rest = detail::trim_whitespace(cookie_header);
  if (rest.empty()) return errc::missing_credentials;
  while (true) {
    const std::size_t end = rest.find(';');
    const std::string_view pair = rest.substr(0, end);
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos || equals == 0) return errc::malformed_cookie;
    const std::string_view pair_name = pair.substr(0, equals);
    std::string_view value = pair.substr(equals + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!detail::all_of(pair_name, detail::is_tchar) ||
        !detail::all_of(value, detail::is_cookie_octet)) {
      return errc::malformed_cookie;
    }
    if (pair_name == name) {
      if (found) return errc::malformed_cookie;
      found = value;
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end);
    if (rest.size() < 3 || rest[1] != ' ') return errc::malformed_cookie;  // "; " then a pair
    rest.remove_prefix(2);
  }
  if (!found) return errc::missing_credentials;
  return *found;
}

// The CSRF check for endpoints a cookie authenticates (/refresh, /logout): SameSite=Strict
// already keeps the cookie off cross-site requests in current browsers; this also refuses them
// where SameSite is not enforced. The request's `Origin` (RFC 6454 §7) must equal the server's
// own `expected_origin` ("https://app.example.com", scheme and host compared case-insensitively,
// port exactly); without an Origin header, the browser's `Sec-Fetch-Site` must say
// "same-origin". Neither header, or a mismatch: cross_site_request (403). Pass empty views for
// absent headers.
inline result<void> check_same_origin(std::string_view origin, std::string_view sec_fetch_site,
                                      std::string_view expected_origin) noexcept {
  origin = detail::trim_whitespace(origin);
  if (!origin.empty()) {
    if (expected_origin.empty() || origin == "null") return errc::cross_site_request;
    // Scheme and host are case-insensitive; the port digits compare equal either way.
    if (!detail::equals_ignoring_case(origin, expected_origin)) return errc::cross_site_request;
    return {};
  }
  if (detail::trim_whitespace(sec_fetch_site) == "same-origin") return {};
  return errc::cross_site_request;
}

JOT_END_NAMESPACE
