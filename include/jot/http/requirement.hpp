#pragma once

// access_requirement: what a protected route asks of a request, stated once and read by every
// adapter (jot::httplib::protect, jot::beast::authorize, and authorize() in access.hpp, which
// they share):
//  - scopes, as an all-of set, an any-of set or both, each written as RFC 6749 §3.3 writes a
//    scope: scope tokens separated by single spaces ("orders:read orders:write");
//  - whether a request without credentials may come through anonymously (allow_anonymous);
//  - the schemes: Bearer (the default), DPoP as well (accept_dpop) or DPoP alone (require_dpop),
//    with the verifier of the proofs (RFC 9449; docs/protect.md);
//  - the realm its challenges name (RFC 9110 §11.5).
// A token's scopes are its `scope` claim, a space-separated string (RFC 8693 §4.2, RFC 9068
// §2.2.3), and its `scp` claim, an array of scope strings (the form Okta and Keycloak issue) or a
// space-separated string (Microsoft Entra ID); a claim of any other type grants nothing.
// A requirement given an invalid scope or realm remembers it (error()), and authorize() refuses
// every request with invalid_argument (500) rather than run without it.
// Thread-safety: immutable once built; concurrent reads are safe.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/config.hpp"
#include "jot/detail/text.hpp"
#include "jot/dpop/verifier.hpp"
#include "jot/error.hpp"
#include "jot/result.hpp"
#include "jot/verified_token.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), so no space, `"` or `\`.
inline bool is_scope_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

// Calls `visit(scope)` for each piece of a space-separated list until it returns true; whether
// one did. Empty pieces (two spaces in a row) are skipped.
template <typename Visit>
bool any_scope_in(std::string_view list, Visit&& visit) {
  while (!list.empty()) {
    const std::size_t end = list.find(' ');
    const std::string_view scope = list.substr(0, end);
    if (!scope.empty() && visit(scope)) return true;
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return false;
}

// Whether `claim` (a `scope` or `scp` claim, or null) names `scope`. `array_allowed`: the `scp`
// form; an array holding anything but strings grants nothing.
template <typename Json>
bool claim_grants(const Json* claim, std::string_view scope, bool array_allowed) {
  if (claim == nullptr) return false;
  using string_t = typename Json::string_t;
  if (claim->is_string()) {
    return any_scope_in(claim->template get_ref<const string_t&>(),
                        [scope](std::string_view granted) { return granted == scope; });
  }
  if (!array_allowed || !claim->is_array()) return false;
  bool found = false;
  for (const auto& item : *claim) {
    if (!item.is_string()) return false;
    found = found || item.template get_ref<const string_t&>() == scope;
  }
  return found;
}

}  // namespace detail

// Whether the token grants `scope`: its `scope` claim (a space-separated string) or its `scp`
// claim (an array of strings, or a space-separated string) names it exactly, case-sensitively.
// An empty `scope` is never granted.
template <typename Json>
bool has_scope(const basic_verified_token<Json>& token, std::string_view scope) {
  if (scope.empty()) return false;
  const auto& claims = token.claims();
  return detail::claim_grants(claims.find("scope"), scope, false) ||
         detail::claim_grants(claims.find("scp"), scope, true);
}

// What a protected route asks of a request; see the top of this file. Default-constructed: a
// verified token, any scope, no realm.
class access_requirement {
 public:
  // Every scope of `scopes` (space-separated) must be granted. Replaces an earlier all-of set.
  access_requirement& all_of_scopes(std::string_view scopes) & {
    return set_scopes(all_of_, scopes);
  }
  access_requirement all_of_scopes(std::string_view scopes) && {
    return std::move(all_of_scopes(scopes));
  }
  // At least one scope of `scopes` (space-separated) must be granted. Replaces an earlier
  // any-of set; with an all-of set as well, both must hold.
  access_requirement& any_of_scopes(std::string_view scopes) & {
    return set_scopes(any_of_, scopes);
  }
  access_requirement any_of_scopes(std::string_view scopes) && {
    return std::move(any_of_scopes(scopes));
  }
  // Relaxation: a request without credentials (no Authorization header, or an empty one) comes
  // through with no principal. Credentials that are there are checked as always: another
  // scheme, a malformed header, a rejected token or a missing scope is still refused.
  access_requirement& allow_anonymous() & {
    anonymous_ = true;
    return *this;
  }
  access_requirement allow_anonymous() && { return std::move(allow_anonymous()); }
  // The realm of the challenges (RFC 9110 §11.5), written when not empty. Printable ASCII only:
  // a control character could split the WWW-Authenticate header.
  access_requirement& realm(std::string_view name) & {
    if (!detail::is_printable_ascii(name)) invalid_ = true;
    realm_.assign(name.data(), name.size());
    return *this;
  }
  access_requirement realm(std::string_view name) && { return std::move(realm(name)); }
  // `Authorization: DPoP <token>` with a DPoP proof checked by `proofs` is accepted too, and
  // Bearer tokens still are, except those bound to a key (RFC 9449 §7.1; a bound token needs its
  // proof on every request). Challenges then offer both schemes (RFC 9449 §7.1, RFC 6750 §3).
  access_requirement& accept_dpop(dpop::verifier proofs) & {
    proofs_.emplace(std::move(proofs));
    bearer_ = true;
    return *this;
  }
  access_requirement accept_dpop(dpop::verifier proofs) && {
    return std::move(accept_dpop(std::move(proofs)));
  }
  // Only `Authorization: DPoP` with a proof checked by `proofs`: a Bearer token, bound or not, is
  // unsupported_auth_scheme, and challenges offer DPoP alone.
  access_requirement& require_dpop(dpop::verifier proofs) & {
    proofs_.emplace(std::move(proofs));
    bearer_ = false;
    return *this;
  }
  access_requirement require_dpop(dpop::verifier proofs) && {
    return std::move(require_dpop(std::move(proofs)));
  }

  // The realm, empty when none.
  const std::string& realm() const& noexcept { return realm_; }
  // Whether a request without credentials comes through (allow_anonymous).
  bool allows_anonymous() const noexcept { return anonymous_; }
  // The verifier of DPoP proofs; null when the route takes Bearer tokens only.
  const dpop::verifier* dpop_proofs() const noexcept { return proofs_ ? &*proofs_ : nullptr; }
  // Whether `Authorization: Bearer` is accepted (all but require_dpop()).
  bool accepts_bearer() const noexcept { return bearer_; }
  // invalid_argument when a scope list or the realm given was invalid (a scope list that is
  // empty or not scope tokens separated by single spaces); else success.
  result<void> error() const noexcept {
    if (invalid_) return errc::invalid_argument;
    return {};
  }

  // Whether the token grants what this requirement asks: every all-of scope and, when there
  // is an any-of set, one of its scopes (insufficient_scope otherwise; invalid_argument for an
  // invalid requirement).
  template <typename Json>
  result<void> check(const basic_verified_token<Json>& token) const {
    if (invalid_) return errc::invalid_argument;
    const auto granted = [&token](const std::string& scope) { return has_scope(token, scope); };
    if (!std::all_of(all_of_.begin(), all_of_.end(), granted) ||
        (!any_of_.empty() && std::none_of(any_of_.begin(), any_of_.end(), granted))) {
      return errc::insufficient_scope;
    }
    return {};
  }

  // The `scope` attribute of an insufficient_scope challenge (RFC 6750 §3): a scope set that
  // satisfies this requirement, the all-of scopes then every any-of scope (a challenge cannot
  // say "one of"). Empty when no scope is required.
  std::string challenge_scope() const {
    std::string out;
    for (const auto* set : {&all_of_, &any_of_}) {
      for (const std::string& scope : *set) out.append(out.empty() ? "" : " ").append(scope);
    }
    return out;
  }

 private:
  access_requirement& set_scopes(std::vector<std::string>& set, std::string_view scopes) {
    set.clear();
    // RFC 6749 §3.3: scope-token *( SP scope-token ), so nothing empty between the spaces.
    const bool valid = !scopes.empty() && scopes.front() != ' ' && scopes.back() != ' ' &&
                       scopes.find("  ") == std::string_view::npos &&
                       detail::all_of(scopes, [](char c) noexcept {
                         return c == ' ' || detail::is_scope_char(c);
                       });
    if (!valid) {
      invalid_ = true;
      return *this;
    }
    detail::any_scope_in(scopes, [&set](std::string_view scope) {
      set.emplace_back(scope);
      return false;
    });
    return *this;
  }

  std::vector<std::string> all_of_;
  std::vector<std::string> any_of_;
  std::string realm_;
  std::optional<dpop::verifier> proofs_;
  bool bearer_ = true;
  bool anonymous_ = false;
  bool invalid_ = false;
};

JOT_END_NAMESPACE
