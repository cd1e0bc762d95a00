#pragma once

// The part of protecting a route that no HTTP library changes, written once for every adapter
// (jot::httplib, jot::beast): authorize() takes what a request's Authorization header fields
// hold, authenticates the Bearer token, checks it against an access_requirement
// (requirement.hpp) and returns the handler's principal, or an access_refusal that says what to
// answer: the status, the RFC 6750 §3 challenge and a JSON body that never echoes the token.
// An adapter only reads the fields out of its request type and writes the refusal into its
// response type.
//
// What authenticates the token (a "source"): a verifier or a jwks_cache (their verify()), a
// session manager (its authenticate()), anything callable with a std::string_view that returns
// result<basic_verified_token<Json>>, or a std::reference_wrapper to one of them (a jwks_cache
// is not copyable; an adapter that keeps its source takes it as std::ref(cache)).
//
// The principal is the verified token itself, or, for authorize<T>(), the application's own type
// made from the claims by claims().as<T>() (nlohmann's from_json; claims.hpp): claims that do not
// fit T are invalid_claim_type, a 401 invalid_token like any token the service cannot use.
// as<T>() needs exceptions (nlohmann reports a mismatch by throwing), so authorize<T>() does not
// compile in a JOT_NO_EXCEPTIONS build; authorize() there hands over the token.
//
// Nothing here blocks on its own: the time taken is the source's. A verifier, and a session
// manager on memory stores, only compute (microseconds). A jwks_cache calls its fetch function
// when its set is stale or a token names an unknown kid (at most once per cooldown), and a
// session manager on Redis stores waits for Redis: an async server runs those off its I/O
// threads.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "jot/config.hpp"
#include "jot/error.hpp"
#include "jot/http/bearer.hpp"
#include "jot/http/requirement.hpp"
#include "jot/result.hpp"
#include "jot/verified_token.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

template <typename Source, typename = void>
struct has_authenticate : std::false_type {};
template <typename Source>
struct has_authenticate<Source, std::void_t<decltype(std::declval<Source&>().authenticate(
                                    std::declval<std::string_view>()))>> : std::true_type {};
template <typename Source, typename = void>
struct has_verify : std::false_type {};
template <typename Source>
struct has_verify<
    Source, std::void_t<decltype(std::declval<Source&>().verify(std::declval<std::string_view>()))>>
    : std::true_type {};

template <typename Source>
Source& unwrap(Source& source) {
  return source;
}
template <typename Source>
Source& unwrap(std::reference_wrapper<Source> source) {
  return source.get();
}

// The token authenticated by `source`: see the top of this file.
template <typename Source>
auto authenticate_with(Source& source, std::string_view token) {
  auto& target = unwrap(source);
  using plain = std::remove_cv_t<std::remove_reference_t<decltype(target)>>;
  if constexpr (std::is_invocable_v<plain&, std::string_view>) {
    return std::invoke(target, token);
  } else if constexpr (has_authenticate<plain>::value) {
    return target.authenticate(token);
  } else {
    static_assert(has_verify<plain>::value,
                  "a source is a verifier, a jwks_cache, a session manager, or a callable taking "
                  "the token as std::string_view");
    return target.verify(token);
  }
}

// The verified token type a source returns.
template <typename Source>
using token_of =
    typename decltype(authenticate_with(std::declval<Source&>(), std::string_view()))::value_type;

// What the handler receives: `Principal`, or the verified token when it is void.
template <typename Principal, typename Source>
using principal_of = std::conditional_t<std::is_void_v<Principal>, token_of<Source>, Principal>;

}  // namespace detail

// What to answer a request that is refused: see the top of this file. Adapters also send
// `Cache-Control: no-store`: no answer about credentials may be cached (RFC 6749 §5.1 asks the
// same of token responses).
struct access_refusal {
  // Why: a jot error code, with the claim it names when it names one (safe to log).
  error_info error;
  // http_status(error): 400, 401, 403, 500 or 503.
  int status = 500;
  // The WWW-Authenticate value for a 400, 401 or 403 (RFC 6750 §3); empty for a 500 or 503,
  // which are not the client's to fix.
  std::string www_authenticate;
  // {"error":"<errc name>"}, for scripts; the challenge carries the same error.
  std::string body;
};

// The refusal of a request for `error`, its challenge naming the requirement's realm and, for
// insufficient_scope, its challenge_scope(). For handlers that refuse a request themselves too
// (a cookie endpoint refusing a cross-site request).
inline access_refusal refusal_for(const error_info& error,
                                  const access_requirement& requirement = {}) {
  access_refusal out;
  out.error = error;
  out.status = http_status(error);
  JOT_TRY {
    if (out.status == 400 || out.status == 401 || out.status == 403) {
      bearer_challenge challenge{requirement.realm(), {}};
      if (error == errc::insufficient_scope) challenge.scope = requirement.challenge_scope();
      // access_requirement refuses a realm www_authenticate() would refuse, so only memory can
      // fail here; the challenge then names the scheme alone rather than nothing.
      auto value = www_authenticate(error, challenge);
      out.www_authenticate = value ? std::move(*value) : std::string("Bearer");
    }
    // errc names are identifiers: nothing to escape.
    out.body.append(R"({"error":")").append(errc_name(error)).append(R"("})");
  }
  JOT_CATCH_ALL {
    out.error = errc::out_of_memory;
    out.status = http_status(out.error);
    out.www_authenticate.clear();
    out.body.clear();
  }
  return out;
}

// What authorize() decides: a principal, an anonymous admission (allow_anonymous, no
// credentials), or a refusal; adapters put their own response type in `Refusal`
// (map_refusal).
template <typename Principal, typename Refusal = access_refusal>
class access_result {
 public:
  // The principal's type, and the refusal's.
  using principal_type = Principal;
  using refusal_type = Refusal;

  // A request admitted as `principal`.
  access_result(Principal principal) : state_(std::in_place_index<1>, std::move(principal)) {}
  // A refused request.
  access_result(Refusal refusal) : state_(std::in_place_index<2>, std::move(refusal)) {}
  // A request admitted without credentials.
  static access_result anonymous() { return access_result(); }

  // Whether the request may go on, with a principal or anonymously.
  explicit operator bool() const noexcept { return state_.index() != 2; }
  // Whether it goes on without a principal.
  bool is_anonymous() const noexcept { return state_.index() == 0; }
  // The principal; null when the request is anonymous or refused.
  const Principal* principal() const& noexcept { return std::get_if<1>(&state_); }
  Principal* principal() & noexcept { return std::get_if<1>(&state_); }
  const Principal* principal() const&& = delete;
  // The refusal; null unless the request is refused.
  const Refusal* refusal() const& noexcept { return std::get_if<2>(&state_); }
  Refusal* refusal() & noexcept { return std::get_if<2>(&state_); }
  const Refusal* refusal() const&& = delete;

  // The same decision with the refusal made into `make(Refusal&&)`: how an adapter turns an
  // access_refusal into its own response.
  template <typename Make>
  auto map_refusal(Make&& make) && {
    using mapped = access_result<Principal, std::invoke_result_t<Make, Refusal&&>>;
    if (auto* refused = refusal()) return mapped(std::invoke(make, std::move(*refused)));
    if (auto* admitted = principal()) return mapped(std::move(*admitted));
    return mapped::anonymous();
  }

 private:
  access_result() = default;
  std::variant<std::monostate, Principal, Refusal> state_;
};

// Decides a request from its Authorization header fields: `authorization_fields` is how many the
// request has and `authorization` the value of the first (empty when none). In order:
//  - an invalid requirement: invalid_argument (500);
//  - more than one field: malformed_credentials (400), whichever of them would verify (one set
//    of credentials per request, RFC 6750 §3.1 and RFC 9110 §11.6.2; reading the first alone
//    would let the answer depend on which field a proxy or client puts first);
//  - no credentials: anonymous under allow_anonymous(), else missing_credentials (401);
//  - bearer_token()'s errors, then the source's;
//  - for authorize<T>(): claims that do not convert to T (invalid_claim_type, 401);
//  - a scope the requirement asks for and the token lacks: insufficient_scope (403).
// Principal void (the default) hands over the verified token.
template <typename Principal = void, typename Source>
access_result<detail::principal_of<Principal, Source>> authorize(
    Source& source, const access_requirement& requirement, std::size_t authorization_fields,
    std::string_view authorization) {
  using principal = detail::principal_of<Principal, Source>;
  using token_type = detail::token_of<Source>;
  if (const auto valid = requirement.error(); !valid)
    return refusal_for(valid.error(), requirement);
  if (authorization_fields > 1) return refusal_for(errc::malformed_credentials, requirement);
  const auto token = bearer_token(authorization_fields == 0 ? std::string_view() : authorization);
  if (!token) {
    if (token.error() == errc::missing_credentials && requirement.allows_anonymous()) {
      return access_result<principal>::anonymous();
    }
    return refusal_for(token.error(), requirement);
  }
  auto verified = detail::authenticate_with(source, *token);
  if (!verified) return refusal_for(verified.error(), requirement);
  if constexpr (std::is_same_v<principal, token_type>) {
    if (const auto granted = requirement.check(*verified); !granted) {
      return refusal_for(granted.error(), requirement);
    }
    return std::move(*verified);
  } else {
    // Converted before the scope check: a token the service cannot read is a 401 whatever its
    // scopes, so that a client is not sent to ask for a scope that would not help.
    auto converted = verified->claims().template as<principal>();
    if (!converted) return refusal_for(converted.error(), requirement);
    if (const auto granted = requirement.check(*verified); !granted) {
      return refusal_for(granted.error(), requirement);
    }
    return std::move(*converted);
  }
}

JOT_END_NAMESPACE
