#pragma once

// basic_claims<Json>: the claim set of a token (RFC 7519 §4), read through typed accessors.
// A claims object exists only as the output of a claims builder (about to be signed) or of a
// verifier (signature and registered claim types already checked); nothing else constructs one.
//
// A registered date claim that is not a NumericDate (numeric_date.hpp) is errc::invalid_claim_type.
// Claims are made by a builder: jot::claims::builder{} (claims_builder.hpp).

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/claims_builder.hpp"
#include "jot/detail/claim_set.hpp"
#include "jot/json.hpp"
#include "jot/numeric_date.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

template <typename Json>
class basic_claims_builder;
template <typename Json>
class basic_verifier;
template <typename Json>
class basic_encoder;
namespace jwe {
class decrypter;  // makes the claims of a decrypted unsigned claim set (jot/jwe/decrypter.hpp)
}
template <typename Json>
class basic_claims;

namespace detail {

// The registered claims of a claim set (RFC 7519 §4.1), each empty when absent, read in place.
// `member(name)` gives a claim's member_ref (lazy_object.hpp).
template <typename Json>
struct claim_members {
  member_ref<Json> iss, sub, aud, exp, nbf, iat, jti;

  template <typename Lookup>
  explicit claim_members(const Lookup& member)
      : iss(member("iss")),
        sub(member("sub")),
        aud(member("aud")),
        exp(member("exp")),
        nbf(member("nbf")),
        iat(member("iat")),
        jti(member("jti")) {}
};

// Every registered claim that is present has its RFC 7519 §4.1 type. A claim of the wrong type is
// an error, never treated as absent (the CVE-2026-25537 class of bug).
// The error names the claim.
template <typename Json>
result<void> check_registered_claim_types(const claim_members<Json>& claims) {
  static constexpr std::string_view text_names[] = {"iss", "sub", "jti"};
  const member_ref<Json>* const texts[] = {&claims.iss, &claims.sub, &claims.jti};
  for (std::size_t i = 0; i < std::size(texts); ++i) {
    if (*texts[i] && !texts[i]->is_string()) {
      return error_info(errc::invalid_claim_type, text_names[i]);
    }
  }
  if (claims.aud && !claims.aud.is_string_or_string_array()) {
    return error_info(errc::invalid_claim_type, "aud");
  }
  static constexpr std::string_view date_names[] = {"exp", "nbf", "iat"};
  const member_ref<Json>* const dates[] = {&claims.exp, &claims.nbf, &claims.iat};
  for (std::size_t i = 0; i < std::size(dates); ++i) {
    if (*dates[i] && !dates[i]->date(rounding::down)) {
      return error_info(errc::invalid_claim_type, date_names[i]);
    }
  }
  return {};
}

template <typename T>
inline constexpr bool dependent_false_v = false;

// How the verifier, the validator and the session checks reach the claim set behind a claims
// object, which is not public.
struct claims_access {
  template <typename Json>
  static basic_claims<Json> make(std::shared_ptr<const claim_set<Json>> set) {
    return basic_claims<Json>(std::move(set));
  }
  template <typename Json>
  static const std::shared_ptr<const claim_set<Json>>& set(const basic_claims<Json>& claims) {
    return claims.set_;
  }
};

}  // namespace detail

// Thread-safety: immutable; concurrent reads are safe. Accessors returning views are
// lvalue-only, so a view into a temporary does not compile.
template <typename Json>
class basic_claims {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

 public:
  // jot::claims::builder{} makes claims (claims_builder.hpp); json_type is the JSON type they use.
  using builder = basic_claims_builder<Json>;
  using json_type = Json;

  // The registered text claims `iss`, `sub` and `jti`; nullopt when absent (their type was
  // checked when the claims were made). Views into this object, so deleted on a temporary.
  std::optional<std::string_view> issuer() const& { return string_claim("iss"); }
  std::optional<std::string_view> subject() const& { return string_claim("sub"); }
  std::optional<std::string_view> jwt_id() const& { return string_claim("jti"); }
  std::optional<std::string_view> issuer() const&& = delete;
  std::optional<std::string_view> subject() const&& = delete;
  std::optional<std::string_view> jwt_id() const&& = delete;

  // `aud` as a list; a single string is a list of one (RFC 7519 §4.1.3). Empty when absent.
  std::vector<std::string_view> audience() const& {
    std::vector<std::string_view> out;
    const auto aud = set_->member("aud");
    if (aud.is_string()) {
      out.push_back(aud.string());
    } else if (aud.is_array()) {
      aud.for_each_item([&out](const detail::member_ref<Json>& item) {
        if (item.is_string()) out.push_back(item.string());
      });
    }
    return out;
  }
  std::vector<std::string_view> audience() const&& = delete;

  // The registered dates `exp`, `nbf` and `iat` in whole seconds; nullopt when absent.
  std::optional<sys_seconds> expires_at() const { return date_claim("exp"); }
  std::optional<sys_seconds> not_before() const { return date_claim("nbf"); }
  std::optional<sys_seconds> issued_at() const { return date_claim("iat"); }

  // Whether the claim set has a claim of that name, registered or custom.
  bool contains(std::string_view name) const { return static_cast<bool>(set_->member(name)); }

  // Any claim, registered or custom; nullptr when absent. A verifier's claims make the claim's
  // Json value on the first call (std::bad_alloc may escape it once), not the whole set's.
  const Json* find(std::string_view name) const& { return set_->find_json(name); }
  const Json* find(std::string_view name) const&& = delete;

  // The claim set as an application's own type, through its nlohmann from_json (or
  // adl_serializer). A from_json that throws (a member missing or of another type) is
  // errc::invalid_claim_type, allocation failure errc::out_of_memory; nothing escapes.
  // Not available in a JOT_NO_EXCEPTIONS build: nlohmann reports a mismatch there by aborting,
  // which jot cannot turn into an error; read the members through find() and check their types.
  template <typename T>
  result<T> as() const {
#ifdef JOT_NO_EXCEPTIONS
    static_assert(detail::dependent_false_v<T>,
                  "claims::as<T>() needs exceptions: nlohmann's from_json aborts on a mismatch "
                  "without them; read members with find() instead");
    return errc::invalid_claim_type;
#else
    try {
      return json().template get<T>();
    } catch (const std::bad_alloc&) {
      return errc::out_of_memory;
    } catch (...) {
      return errc::invalid_claim_type;
    }
#endif
  }

  // The whole claim set as JSON. A builder's claims make this object on the first call (they are
  // kept without one until then, claim_set.hpp), so that std::bad_alloc may escape it once;
  // concurrent first calls are safe.
  const Json& json() const& { return set_->json(); }
  // A copy on a temporary too: copies of a claims object, and the builder that made it, share
  // one immutable claim set, which no one of them may take away from the others.
  Json json() && { return set_->json(); }

 private:
  friend class basic_claims_builder<Json>;
  friend class basic_encoder<Json>;
  friend class jwe::decrypter;
  friend struct detail::claims_access;
  explicit basic_claims(std::shared_ptr<const detail::claim_set<Json>> set)
      : set_(std::move(set)) {}

  std::optional<std::string_view> string_claim(std::string_view name) const {
    const auto claim = set_->member(name);
    if (!claim.is_string()) return std::nullopt;
    return claim.string();
  }

  std::optional<sys_seconds> date_claim(std::string_view name) const {
    const auto claim = set_->member(name);
    if (!claim) return std::nullopt;
    const auto seconds = claim.date(detail::rounding::down);
    if (!seconds) return std::nullopt;
    return sys_seconds(std::chrono::seconds(*seconds));
  }

  std::shared_ptr<const detail::claim_set<Json>> set_;  // never null
};

// The claims of nlohmann::json, jot's default JSON type.
using claims = basic_claims<nlohmann::json>;

JOT_END_NAMESPACE
