#pragma once

// The session facts a session manager writes into its tokens besides the registered claims, stated
// once: their names, the two token kinds, how a returning token's facts are checked, and how they
// are read back. session_tokens.hpp writes them, session_manager_builder.hpp checks them through
// check_session_facts, and session_checks.hpp reads `sid` and `ver` for the store checks. The core
// knows none of these names: to the validator they are application claims.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "jot/claims.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// A token kind: its `typ` header (RFC 8725 §3.11: access tokens are RFC 9068's `at+jwt`) and the
// value of its `type` claim, for readers that look for one.
struct session_token_kind {
  std::string_view type_header;
  std::string_view type_claim;
};
inline constexpr session_token_kind access_token_kind{"at+jwt", "access"};
inline constexpr session_token_kind refresh_token_kind{"refresh+jwt", "refresh"};

inline constexpr std::string_view kind_claim = "type";
inline constexpr std::string_view session_id_claim = "sid";       // the refresh family's id
inline constexpr std::string_view token_version_claim = "ver";    // the subject's token version
inline constexpr std::string_view auth_time_claim = "auth_time";  // the login, RFC 9068 §2.2.1
// The OAuth client (RFC 9068 §2.2), in access tokens only; not a fact of check_session_facts: the
// access validator requires it equal to the configured client_id (session_manager_builder.hpp).
inline constexpr std::string_view client_id_claim = "client_id";
// The DPoP key an access token is bound to, `cnf: {"jkt": thumbprint}` (RFC 9449 §6.1), in the
// access tokens of a bound session only.
inline constexpr std::string_view confirmation_claim = "cnf";

// The names the manager writes itself: an application claim may not take them.
inline constexpr std::string_view session_claim_names[] = {kind_claim,          session_id_claim,
                                                           token_version_claim, auth_time_claim,
                                                           client_id_claim,     confirmation_claim};

inline bool is_session_claim_name(std::string_view name) {
  return std::find(std::begin(session_claim_names), std::end(session_claim_names), name) !=
         std::end(session_claim_names);
}

// A token version: an integer >= 0.
template <typename Json>
bool is_token_version(const Json& value) {
  return value.is_number_unsigned() ||
         (value.is_number_integer() && value.template get<std::int64_t>() >= 0);
}

// A claim read in place: of a JSON object, or of a token's claims (no Json value made).
template <typename Json>
member_ref<Json> claim_member(const Json& claims, std::string_view name) {
  const auto it = claims.find(name);
  return it == claims.end() ? member_ref<Json>() : member_ref<Json>(&*it);
}
template <typename Json>
member_ref<Json> claim_member(const basic_claims<Json>& claims, std::string_view name) {
  return claims_access::set(claims)->member(name);
}

// Whether a claim read in place is a token version (is_token_version). scalar() only for a
// number: it copies a Json value, which allocates for a string.
template <typename Json>
bool is_token_version_claim(const member_ref<Json>& claim) {
  const auto type = claim.type();
  return (type == Json::value_t::number_integer || type == Json::value_t::number_unsigned) &&
         is_token_version(claim.scalar());
}

// A claim the store checks need: missing_claim when absent, invalid_claim_type when of another
// type, either naming the claim (`name` is jot's own, never the token's). `claims` is a JSON
// object or a token's claims.
template <typename Claims>
result<std::string_view> string_claim(const Claims& claims, std::string_view name) {
  const auto claim = claim_member(claims, name);
  if (!claim) return error_info(errc::missing_claim, name);
  if (!claim.is_string()) return error_info(errc::invalid_claim_type, name);
  return claim.string();
}

template <typename Claims>
result<std::uint64_t> token_version_of(const Claims& claims) {
  const auto claim = claim_member(claims, token_version_claim);
  if (!claim) return error_info(errc::missing_claim, token_version_claim);
  if (!is_token_version_claim(claim)) {
    return error_info(errc::invalid_claim_type, token_version_claim);
  }
  return claim.scalar().template get<std::uint64_t>();
}

// The facts every token of a session manager carries, checked in place when one comes back (the
// manager's validators run this first of their expect_that checks): `sid` a string, `ver` an
// integer >= 0, `auth_time` a NumericDate (RFC 9068 §2.2.1). missing_claim when one is absent,
// claim_mismatch when it is not of its kind, naming it. No Json value is made: as
// expect_claim_that rules on Json values, these took an eighth of authenticate's time.
template <typename Json>
result<void> check_session_facts(const basic_claims<Json>& claims) {
  const auto session = claim_member(claims, session_id_claim);
  if (!session) return error_info(errc::missing_claim, session_id_claim);
  if (!session.is_string()) return error_info(errc::claim_mismatch, session_id_claim);
  const auto version = claim_member(claims, token_version_claim);
  if (!version) return error_info(errc::missing_claim, token_version_claim);
  if (!is_token_version_claim(version))
    return error_info(errc::claim_mismatch, token_version_claim);
  const auto auth_time = claim_member(claims, auth_time_claim);
  if (!auth_time) return error_info(errc::missing_claim, auth_time_claim);
  if (!auth_time.date(rounding::down)) return error_info(errc::claim_mismatch, auth_time_claim);
  return {};
}

}  // namespace detail
JOT_END_NAMESPACE
