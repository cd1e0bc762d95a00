#pragma once

// The part of protecting a route that no HTTP library changes, written once for every adapter
// (jot::httplib, jot::beast, jot::grpc): authorize() takes what a request's Authorization header
// fields hold (and for DPoP its method, URI and DPoP header fields), authenticates the Bearer or
// DPoP-bound token, checks it against an access_requirement (requirement.hpp) and returns the
// handler's principal, or an access_refusal that says what to answer: the status, the RFC 6750
// §3 and RFC 9449 §7.1 challenges, a DPoP-Nonce when one is due, and a JSON body that never
// echoes the token. An adapter only reads the fields out of its request type and writes the
// refusal into its response type.
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
#include <vector>

#include "jot/config.hpp"
#include "jot/error.hpp"
#include "jot/http/bearer.hpp"
#include "jot/http/refusal.hpp"
#include "jot/http/requirement.hpp"
#include "jot/result.hpp"
#include "jot/session/dpop_binding.hpp"
#include "jot/verified_token.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

template <typename Source, typename = void>
struct has_authenticate : std::false_type {};
template <typename Source>
struct has_authenticate<Source, std::void_t<decltype(std::declval<Source&>().authenticate(
                                    std::declval<std::string_view>()))>> : std::true_type {};
template <typename Source, typename = void>
struct has_bound_authenticate : std::false_type {};
template <typename Source>
struct has_bound_authenticate<
    Source, std::void_t<decltype(std::declval<Source&>().authenticate(
                std::declval<std::string_view>(), std::declval<const dpop::proven_key&>()))>>
    : std::true_type {};
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

// The token authenticated by `source` and bound to `key`: a source that checks the binding itself
// (a session manager's authenticate(token, key)) does; for any other, check_binding() after it.
template <typename Source>
auto authenticate_bound(Source& source, std::string_view token, const dpop::proven_key& key) {
  auto& target = unwrap(source);
  using plain = std::remove_cv_t<std::remove_reference_t<decltype(target)>>;
  if constexpr (has_bound_authenticate<plain>::value) {
    return target.authenticate(token, key);
  } else {
    auto verified = authenticate_with(source, token);
    if (verified) {
      if (auto bound = dpop::check_binding(verified->claims(), key); !bound) {
        return decltype(verified)(bound.error());
      }
    }
    return verified;
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

  // The DPoP-Nonce header an admitted request's response carries: the verifier's current nonce
  // when the proof used the previous one (RFC 9449 §8.2); empty when there is none to send.
  const std::string& dpop_nonce() const noexcept { return dpop_nonce_; }
  // Sets it (authorize() does).
  void set_dpop_nonce(std::string nonce) noexcept { dpop_nonce_ = std::move(nonce); }

  // The same decision with the refusal made into `make(Refusal&&)`: how an adapter turns an
  // access_refusal into its own response.
  template <typename Make>
  auto map_refusal(Make&& make) && {
    using mapped = access_result<Principal, std::invoke_result_t<Make, Refusal&&>>;
    if (auto* refused = refusal()) return mapped(std::invoke(make, std::move(*refused)));
    auto out = principal() ? mapped(std::move(*principal())) : mapped::anonymous();
    out.set_dpop_nonce(std::move(dpop_nonce_));
    return out;
  }

 private:
  access_result() = default;
  std::variant<std::monostate, Principal, Refusal> state_;
  std::string dpop_nonce_;
};

// What authorize() reads from a request. The Authorization fields always; the rest only for
// a route that accepts DPoP (access_requirement::accept_dpop).
struct request_credentials {
  // How many Authorization fields the request has, and the value of the first (empty: none).
  std::size_t authorization_fields = 0;
  std::string_view authorization;
  // The method and the absolute URI the client asked for (behind a proxy, the external one),
  // which a DPoP proof's htm and htu must name (dpop::request).
  std::string_view method;
  std::string_view uri;
  // The value of every DPoP header field, in order.
  std::vector<std::string_view> dpop_headers;
};

// Decides a request from its credentials. In order:
//  - an invalid requirement: invalid_argument (500);
//  - more than one Authorization field: malformed_credentials (400), whichever of them would
//    verify (one set of credentials per request, RFC 6750 §3.1 and RFC 9110 §11.6.2; reading the
//    first alone would let the answer depend on which field a proxy or client puts first);
//  - no credentials: anonymous under allow_anonymous(), else missing_credentials (401);
//  - access_token_credentials()'s errors; a scheme the route does not accept (DPoP without
//    accept_dpop(), Bearer under require_dpop()): unsupported_auth_scheme (401);
//  - DPoP: the proof (dpop::verifier::verify() with the token: its errors, 401 or 503), then
//    the token bound to the proof's key (the source's errors, then dpop_key_mismatch);
//    Bearer: the source's errors, then a token bound to a key (any `cnf`, RFC 9449 §7.1):
//    dpop_proof_required (401);
//  - for authorize<T>(): claims that do not convert to T (invalid_claim_type, 401);
//  - a scope the requirement asks for and the token lacks: insufficient_scope (403).
// Principal void (the default) hands over the verified token.
template <typename Principal = void, typename Source>
access_result<detail::principal_of<Principal, Source>> authorize(
    Source& source, const access_requirement& requirement, const request_credentials& request) {
  using principal = detail::principal_of<Principal, Source>;
  using token_type = detail::token_of<Source>;
  if (const auto valid = requirement.error(); !valid)
    return refusal_for(valid.error(), requirement);
  if (request.authorization_fields > 1) {
    return refusal_for(errc::malformed_credentials, requirement);
  }
  const auto credentials = access_token_credentials(
      request.authorization_fields == 0 ? std::string_view() : request.authorization);
  if (!credentials) {
    if (credentials.error() == errc::missing_credentials && requirement.allows_anonymous()) {
      return access_result<principal>::anonymous();
    }
    return refusal_for(credentials.error(), requirement);
  }
  const token_scheme scheme = credentials->scheme;
  const dpop::verifier* proofs = requirement.dpop_proofs();
  if (scheme == token_scheme::dpop ? proofs == nullptr : !requirement.accepts_bearer()) {
    return refusal_for(errc::unsupported_auth_scheme, requirement);
  }
  const auto refuse = [&](const error_info& error) {
    return refusal_for(error, requirement, scheme);
  };
  std::string next_nonce;
  auto verified = [&]() -> result<token_type> {
    if (scheme == token_scheme::bearer) {
      auto token = detail::authenticate_with(source, credentials->token);
      if (token && dpop::is_key_bound(token->claims())) return errc::dpop_proof_required;
      return token;
    }
    auto proof =
        proofs->verify({request.method, request.uri, request.dpop_headers, credentials->token});
    if (!proof) return proof.error();
    if (proof->next_nonce) next_nonce = std::move(*proof->next_nonce);
    return detail::authenticate_bound(source, credentials->token, proof->key);
  }();
  if (!verified) return refuse(verified.error());
  const auto admitted = [&](principal&& who) {
    access_result<principal> out(std::move(who));
    out.set_dpop_nonce(std::move(next_nonce));
    return out;
  };
  if constexpr (std::is_same_v<principal, token_type>) {
    if (const auto granted = requirement.check(*verified); !granted) return refuse(granted.error());
    return admitted(std::move(*verified));
  } else {
    // Converted before the scope check: a token the service cannot read is a 401 whatever its
    // scopes, so that a client is not sent to ask for a scope that would not help.
    auto converted = verified->claims().template as<principal>();
    if (!converted) return refuse(converted.error());
    if (const auto granted = requirement.check(*verified); !granted) return refuse(granted.error());
    return admitted(std::move(*converted));
  }
}

// authorize() of a Bearer-only request, from its Authorization fields: `authorization_fields`
// is how many the request has and `authorization` the value of the first (empty when none).
template <typename Principal = void, typename Source>
access_result<detail::principal_of<Principal, Source>> authorize(
    Source& source, const access_requirement& requirement, std::size_t authorization_fields,
    std::string_view authorization) {
  request_credentials request;
  request.authorization_fields = authorization_fields;
  request.authorization = authorization;
  return authorize<Principal>(source, requirement, request);
}

JOT_END_NAMESPACE
