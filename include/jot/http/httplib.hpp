#pragma once

// The cpp-httplib adapter (optional: CMake target jot::httplib, which needs cpp-httplib found by
// pkg-config). One line protects a route:
//
//   server.Get("/me", jot::httplib::protect(verifier, [](const auto& req, auto& res,
//                                                        const jot::verified_token& token) {...}));
//
// What authenticates the token: a verifier or a jwks_cache (their verify()), a session manager
// (its authenticate()), or anything callable with a std::string_view that returns
// result<basic_verified_token<Json>>. protect() keeps a copy: verifiers and session managers share
// their state between copies; a jwks_cache is held by reference through std::ref(cache), since it
// refreshes itself. The handler runs only for a request whose Bearer token verified (and, when
// required, carries the scope); every other request, one with several Authorization headers
// included (400 malformed_credentials), gets the RFC 6750 §3 answer: status from
// http_status(), a WWW-Authenticate challenge, and a JSON body {"error": "<errc name>"} that never
// echoes the token. cpp-httplib 0.11 matches routes before it calls a handler and has no
// per-route middleware, hence a handler wrapper.
// Thread-safety: the returned handler is as thread-safe as `verify` and `handler`; cpp-httplib
// calls handlers from its thread pool.

#include <httplib.h>

#include <functional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "jot/config.hpp"
#include "jot/error.hpp"
#include "jot/http/bearer.hpp"
#include "jot/json.hpp"

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
                  "protect() takes a verifier, a jwks_cache, a session manager, or a callable "
                  "taking the token as std::string_view");
    return target.verify(token);
  }
}

}  // namespace detail

namespace httplib {

// What protect() and write_error() put in their answers, besides the error.
struct protect_options {
  std::string realm;           // the challenge's realm, when not empty
  std::string required_scope;  // when not empty, a token without it is 403 insufficient_scope
};

// Answers `error` as RFC 6750 §3 says: the status, a challenge for 400/401/403 (a 500 or 503 is
// not the client's fault and gets none), and {"error": "<errc name>"}. For handlers that reject
// a request themselves, such as a cookie endpoint refusing a cross-site request.
inline void write_error(::httplib::Response& response, const std::error_code& error,
                        const protect_options& options = {}) {
  response.status = http_status(error);
  if (response.status == 400 || response.status == 401 || response.status == 403) {
    bearer_challenge challenge{options.realm, {}};
    if (error == errc::insufficient_scope) challenge.scope = options.required_scope;
    // Only an invalid realm or scope (a CR/LF in the configuration) fails: then the challenge
    // names the scheme alone rather than nothing.
    auto value = www_authenticate(error, challenge);
    response.set_header("WWW-Authenticate", value ? *value : std::string("Bearer"));
  }
  // RFC 6750 §3: the error is in the challenge; the body repeats it for scripts. No caching of an
  // answer about credentials (RFC 6749 §5.1 asks the same of token responses).
  response.set_header("Cache-Control", "no-store");
  response.set_content(nlohmann::json{{"error", errc_name(error)}}.dump(), "application/json");
}

// A cpp-httplib handler that authenticates the request with `source` before it calls
// `handler(request, response, verified_token)`; see the top of this file.
template <typename Source, typename Handler>
::httplib::Server::Handler protect(Source source, Handler handler, protect_options options = {}) {
  return [source = std::move(source), handler = std::move(handler), options = std::move(options)](
             const ::httplib::Request& request, ::httplib::Response& response) mutable {
    // One set of credentials per request (RFC 6750 §3.1, RFC 9110 §11.6.2): with several
    // Authorization headers the request is malformed, whichever of them would verify. Reading
    // only the first would let the answer depend on which header a proxy or client puts first.
    if (request.get_header_value_count("Authorization") > 1) {
      return write_error(response, errc::malformed_credentials, options);
    }
    // get_header_value returns "" for a missing header: bearer_token's missing_credentials.
    const std::string authorization = request.get_header_value("Authorization");
    const auto token = bearer_token(authorization);
    if (!token) return write_error(response, token.error(), options);
    const auto verified = detail::authenticate_with(source, *token);
    if (!verified) return write_error(response, verified.error(), options);
    if (!options.required_scope.empty() && !has_scope(*verified, options.required_scope)) {
      return write_error(response, errc::insufficient_scope, options);
    }
    handler(request, response, *verified);
  };
}

}  // namespace httplib

JOT_END_NAMESPACE
