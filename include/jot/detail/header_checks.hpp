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

// The members of a header that verification reads, each null when absent, found in one pass.
template <typename Json>
struct header_members {
  const Json* alg = nullptr;
  const Json* kid = nullptr;
  const Json* typ = nullptr;
  const Json* cty = nullptr;
  const Json* crit = nullptr;
  const Json* enc = nullptr;
  const Json* zip = nullptr;
  const Json* b64 = nullptr;

  // `header` must be an object.
  explicit header_members(const Json& header) {
    static constexpr std::pair<std::string_view, const Json * header_members::*> slots[] = {
        {"alg", &header_members::alg},   {"kid", &header_members::kid},
        {"typ", &header_members::typ},   {"cty", &header_members::cty},
        {"crit", &header_members::crit}, {"enc", &header_members::enc},
        {"zip", &header_members::zip},   {"b64", &header_members::b64}};
    find_members(header, *this, slots);
  }
};

// The text of a member that must be a string when present; `bad` is set when it is not.
template <typename Json>
std::optional<std::string_view> string_member(const Json* member, bool& bad) {
  if (!member) return std::nullopt;
  if (!member->is_string()) {
    bad = true;
    return std::nullopt;
  }
  return std::string_view(member->template get_ref<const typename Json::string_t&>());
}

// `crit` (RFC 7515 §4.1.11): a non-empty array of distinct extension names, none of them
// registered, each present in the header. A name the application has not declared it
// understands is errc::unsupported_critical_header. `b64` (RFC 7797) is never understood: jot
// does not process unencoded payloads.
template <typename Json>
result<void> check_critical(const Json& header, const Json& crit,
                            const std::vector<std::string>& understood) {
  if (!crit.is_array() || crit.empty()) return errc::invalid_header;
  std::vector<std::string_view> seen;
  for (const auto& item : crit) {
    if (!item.is_string()) return errc::invalid_header;
    const std::string_view name = item.template get_ref<const typename Json::string_t&>();
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) return errc::invalid_header;
    seen.push_back(name);
  }
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

template <typename Json>
result<header_fields> read_header(const Json& header, const std::vector<std::string>& understood) {
  const header_members<Json> members(header);
  if (members.crit) {
    if (auto critical = check_critical(header, *members.crit, understood); !critical) {
      return critical.error();
    }
  }
  bool bad = false;
  const auto alg = string_member(members.alg, bad);
  const auto kid = string_member(members.kid, bad);
  const auto cty = string_member(members.cty, bad);
  const auto typ = string_member(members.typ, bad);
  if (bad || !alg) return errc::invalid_header;
  // A JWE header (RFC 7516 §4.1.2 `enc`, §4.1.3 `zip`) is not a JWS header.
  if (members.enc || members.zip) return errc::invalid_header;
  // b64:false without crit is malformed (RFC 7797 §6); b64:true changes nothing.
  if (members.b64 && (!members.b64->is_boolean() || !members.b64->template get<bool>())) {
    return errc::invalid_header;
  }
  // A payload that is itself a JWT (RFC 7519 §5.2) would need its own verification; jot never
  // processes one implicitly.
  if (cty && (equals_ignoring_case(*cty, "JWT") || equals_ignoring_case(*cty, "application/jwt"))) {
    return errc::nested_token;
  }
  return header_fields{*alg, kid, typ};
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
