#pragma once

// Reading a JWE protected header (RFC 7516 §4, RFC 7518 §4.1) before any key is chosen. Members
// that change how a token must be processed are refused unless jot implements them: `zip`
// (RFC 7516 §4.1.3: compression oracles and decompression bombs) is errc::compressed_token;
// `p2c`/`p2s` (PBES2, whose iteration count the token would choose) are errc::invalid_header
// whatever the `alg`; a `crit` naming anything is refused as for a JWS (no extension is
// understood). Members that would make a recipient trust a key from the token (jwk, jku, x5u,
// x5c) are never read.

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/detail/header_checks.hpp"
#include "jot/detail/text.hpp"
#include "jot/json.hpp"
#include "jot/jwe/algorithms.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {
namespace detail {

// The members that decide how the token is processed, as read from its protected header.
struct jwe_header_fields {
  std::string_view alg;
  std::string_view enc;
  std::optional<std::string_view> kid;
  bool nested = false;  // `cty` is JWT (RFC 7519 §5.2): the plaintext is a JWS
};

struct jwe_header_members {
  const nlohmann::json* alg = nullptr;
  const nlohmann::json* enc = nullptr;
  const nlohmann::json* kid = nullptr;
  const nlohmann::json* cty = nullptr;
  const nlohmann::json* crit = nullptr;
  const nlohmann::json* zip = nullptr;
  const nlohmann::json* p2c = nullptr;
  const nlohmann::json* p2s = nullptr;
};

inline result<jwe_header_fields> read_jwe_header(const nlohmann::json& header) {
  using slot = const nlohmann::json* jwe_header_members::*;
  static constexpr std::pair<std::string_view, slot> slots[] = {
      {"alg", &jwe_header_members::alg},   {"enc", &jwe_header_members::enc},
      {"kid", &jwe_header_members::kid},   {"cty", &jwe_header_members::cty},
      {"crit", &jwe_header_members::crit}, {"zip", &jwe_header_members::zip},
      {"p2c", &jwe_header_members::p2c},   {"p2s", &jwe_header_members::p2s}};
  jwe_header_members members;
  jot::detail::find_members(header, members, slots);
  if (members.crit) {
    static const std::vector<std::string> understood;  // none
    if (auto critical =
            jot::detail::check_critical(jot::detail::json_object_ref(header),
                                        jot::detail::member_ref(members.crit), understood);
        !critical) {
      return critical.error();
    }
  }
  if (members.zip) return errc::compressed_token;
  if (members.p2c || members.p2s) return errc::invalid_header;
  bool bad = false;
  const auto alg = jot::detail::string_member(members.alg, bad);
  const auto enc = jot::detail::string_member(members.enc, bad);
  const auto kid = jot::detail::string_member(members.kid, bad);
  const auto cty = jot::detail::string_member(members.cty, bad);
  if (bad || !alg || !enc) return errc::invalid_header;
  const bool nested = cty && (jot::detail::equals_ignoring_case(*cty, "JWT") ||
                              jot::detail::equals_ignoring_case(*cty, "application/jwt"));
  return jwe_header_fields{*alg, *enc, kid, nested};
}

}  // namespace detail
}  // namespace jwe
JOT_END_NAMESPACE
