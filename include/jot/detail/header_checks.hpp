#pragma once

// Reading a JOSE header (RFC 7515 §4) for verification: the members that decide how the token
// must be processed are checked here, before any key is chosen. Members that would make a
// verifier fetch or trust a key from the token (jwk, jku, x5u, x5c, RFC 8725 §3.10) are never
// read at all.

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/detail/lazy_object.hpp"
#include "jot/detail/text.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// Header parameters registered by RFC 7515 §4.1, RFC 7516 §4.1 and RFC 7797 §3.
inline constexpr std::string_view header_parameter_names[] = {
    "alg",      "jku", "jwk", "kid",  "x5u", "x5c", "x5t",
    "x5t#S256", "typ", "cty", "crit", "enc", "zip", "b64"};

struct header_fields {
  std::string_view alg;
  std::optional<std::string_view> kid;
  std::optional<std::string_view> typ;
};

// The text of a member that must be a string when present; `bad` is set when it is not.
template <typename Json>
std::optional<std::string_view> string_member(const member_ref<Json>& member, bool& bad) {
  if (!member) return std::nullopt;
  if (!member.is_string()) {
    bad = true;
    return std::nullopt;
  }
  return member.string();
}
template <typename Json>
std::optional<std::string_view> string_member(const Json* member, bool& bad) {
  return string_member(member ? member_ref<Json>(member) : member_ref<Json>(), bad);
}

// `crit` (RFC 7515 §4.1.11): a non-empty array of distinct extension names, none of them
// registered, each present in the header. A name the application has not declared it
// understands is errc::unsupported_critical_header. `b64` (RFC 7797) is never understood: jot
// does not process unencoded payloads.
template <typename Object, typename Json = typename Object::json_type>
result<void> check_critical(const Object& header, const member_ref<Json>& crit,
                            const std::vector<std::string>& understood) {
  if (!crit.is_array()) return errc::invalid_header;
  std::vector<std::string_view> seen;
  bool valid = true;
  crit.for_each_item([&](const member_ref<Json>& item) {
    if (!valid || !item.is_string()) {
      valid = false;
      return;
    }
    const std::string_view name = item.string();
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) valid = false;
    seen.push_back(name);
  });
  if (!valid || seen.empty()) return errc::invalid_header;
  for (const std::string_view name : seen) {
    if (name == "b64") return errc::unsupported_critical_header;
    if (std::find(std::begin(header_parameter_names), std::end(header_parameter_names), name) !=
        std::end(header_parameter_names)) {
      return errc::invalid_header;
    }
    if (std::find(understood.begin(), understood.end(), name) == understood.end()) {
      return errc::unsupported_critical_header;
    }
    if (!header.contains(name)) return errc::invalid_header;
  }
  return {};
}

// `header`: a lazy_object, or a json_object_ref (lazy_object.hpp).
template <typename Object, typename Json = typename Object::json_type>
result<header_fields> read_header(const Object& header,
                                  const std::vector<std::string>& understood) {
  if (const auto crit = header.member("crit")) {
    if (auto critical = check_critical(header, crit, understood); !critical) {
      return critical.error();
    }
  }
  bool bad = false;
  const auto alg = string_member(header.member("alg"), bad);
  const auto kid = string_member(header.member("kid"), bad);
  const auto cty = string_member(header.member("cty"), bad);
  const auto typ = string_member(header.member("typ"), bad);
  if (bad || !alg) return errc::invalid_header;
  // A JWE header (RFC 7516 §4.1.2 `enc`, §4.1.3 `zip`) is not a JWS header.
  if (header.contains("enc") || header.contains("zip")) return errc::invalid_header;
  // b64:false without crit is malformed (RFC 7797 §6); b64:true changes nothing.
  if (const auto b64 = header.member("b64"); b64 && (!b64.is_boolean() || !b64.boolean())) {
    return errc::invalid_header;
  }
  // A payload that is itself a JWT (RFC 7519 §5.2) would need its own verification; jot never
  // processes one implicitly.
  if (cty && (equals_ignoring_case(*cty, "JWT") || equals_ignoring_case(*cty, "application/jwt"))) {
    return errc::nested_token;
  }
  return header_fields{*alg, kid, typ};
}

// The header's `typ`, or none (also when it is not a string). `header`: a Json object, or a
// verifier's lazy_object.
template <typename Json>
std::optional<std::string_view> header_type(const lazy_object<Json>& header) {
  bool bad = false;
  return string_member(header.member("typ"), bad);
}
template <typename Json>
std::optional<std::string_view> header_type(const Json& header) {
  bool bad = false;
  const auto typ = header.find("typ");
  return string_member(typ == header.end() ? nullptr : &*typ, bad);
}

// Media type comparison for `typ` (RFC 7515 §4.1.9): case-insensitive, with the "application/"
// prefix optional.
inline std::string_view strip_application_prefix(std::string_view type) noexcept {
  constexpr std::string_view prefix = "application/";
  if (type.size() > prefix.size() && equals_ignoring_case(type.substr(0, prefix.size()), prefix)) {
    return type.substr(prefix.size());
  }
  return type;
}

// With an expected type, the token's must match it. Without one, only a missing `typ` or "JWT"
// passes, so an at+jwt or refresh+jwt token cannot be replayed where a plain JWT is expected
// (RFC 8725 §3.11), unless the application ignores the type.
inline bool type_accepted(std::optional<std::string_view> actual,
                          const std::optional<std::string>& expected, bool ignore) noexcept {
  if (expected) {
    return actual && equals_ignoring_case(strip_application_prefix(*actual),
                                          strip_application_prefix(*expected));
  }
  if (ignore || !actual) return true;
  return equals_ignoring_case(strip_application_prefix(*actual), "JWT");
}

}  // namespace detail
JOT_END_NAMESPACE
