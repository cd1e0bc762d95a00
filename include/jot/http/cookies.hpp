#pragma once

// Cookies for refresh tokens, with no HTTP library needed:
//  - set_cookie(), clear_cookie(): Set-Cookie values defaulting to `HttpOnly; Secure;
//    SameSite=Strict`, with the `__Host-` / `__Secure-` prefix rules enforced (RFC 6265 and its
//    successor draft);
//  - cookie_value(): one cookie of a Cookie header, read strictly, the others skipped;
//  - check_same_origin(): the CSRF defence for cookie-authenticated endpoints, beyond SameSite.
// Every function is pure and thread-safe; nothing here writes CR, LF or another control
// character into a header.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "jot/config.hpp"
#include "jot/detail/text.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

// RFC 6265 §4.1.1: cookie-octet, US-ASCII without CTLs, whitespace, DQUOTE, comma, semicolon
// and backslash.
inline bool is_cookie_octet(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x2B) || (u >= 0x2D && u <= 0x3A) ||
         (u >= 0x3C && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

}  // namespace detail

// The SameSite attribute. Strict (the default) keeps the cookie off every cross-site request;
// none needs Secure, and leaves CSRF to check_same_origin().
enum class same_site { strict, lax, none };

// Set-Cookie attributes (RFC 6265 §4.1.2, and the SameSite and prefix rules of RFC 6265bis).
// The defaults are those of a refresh-token cookie: HttpOnly (no script reads it), Secure (HTTPS
// only; browsers also accept it on http://localhost), SameSite=Strict, Path=/.
struct cookie_options {
  // Path, Domain (none: a host-only cookie, which `__Host-` requires), Max-Age (none: the cookie
  // ends with the browser session; 0 deletes it), HttpOnly, Secure and SameSite, as set_cookie()
  // writes them.
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

// The value of cookie `name` in a Cookie header value. That cookie is read strictly, as RFC 6265
// §4.2.1 writes it: at the start of the header or right after "; ", the name, "=", and
// cookie-octets (optionally in double quotes, which are removed), up to the next ";" or the end.
// The other cookies are only skipped, and need not keep to that grammar: browsers send values
// with spaces or commas and nameless cookies, and a sibling subdomain can plant one; failing
// the whole header over them would lock the user out of refresh and logout. Pairs are split at
// ";" alone (a comma never separates cookies). Not there: missing_credentials. The named cookie
// off the grammar (whitespace around its name or value, a missing or doubled separator space,
// a byte that is not a cookie-octet), or there twice (a cookie planted by a sibling domain or an
// insecure origin beside the real one, "cookie tossing", even with the same value):
// malformed_cookie. A `name` that is not a token: invalid_argument. The view points into
// `cookie_header`.
inline result<std::string_view> cookie_value(std::string_view cookie_header,
                                             std::string_view name) noexcept {
  if (name.empty() || !detail::all_of(name, detail::is_tchar)) return errc::invalid_argument;
  std::optional<std::string_view> found;
  const std::string_view header = detail::trim_whitespace(cookie_header);
  std::size_t start = 0;
  while (start <= header.size()) {
    const std::size_t semicolon = header.find(';', start);
    const std::size_t end = semicolon == std::string_view::npos ? header.size() : semicolon;
    const std::string_view pair = header.substr(start, end - start);
    const bool first = start == 0;
    start = end + 1;
    // Whose pair is it? Its name, without the whitespace around it; a pair without "=" is a
    // nameless cookie (RFC 6265bis §5.6), never the one asked for.
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    if (detail::trim_whitespace(pair.substr(0, equals)) != name) continue;
    // The named cookie: exactly "; " before it, nothing around its name, a strict value.
    std::string_view exact = pair;
    if (!first) {
      if (exact.empty() || exact.front() != ' ') return errc::malformed_cookie;
      exact.remove_prefix(1);
    }
    if (exact.substr(0, equals - (first ? 0 : 1)) != name) return errc::malformed_cookie;
    std::string_view value = exact.substr(name.size() + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!detail::all_of(value, detail::is_cookie_octet)) return errc::malformed_cookie;
    if (found) return errc::malformed_cookie;
    found = value;
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
