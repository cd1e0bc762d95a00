#pragma once

// The cpp-httplib adapter (optional: CMake target jot::httplib, which needs cpp-httplib found by
// pkg-config). One line protects a route:
//
//   server.Get("/me", jot::httplib::protect(verifier, [](const auto& req, auto& res,
//                                                        const jot::verified_token& token) {...}));
//
// protect() decides each request with authorize() (access.hpp, shared by every adapter; what the
// source may be is said there) against an access_requirement (requirement.hpp: all-of and any-of
// scope sets, anonymous access, the realm), then calls the handler with the principal:
//  - the verified token, or with protect<T>() the application's own type, made by
//    claims().as<T>() (claims that do not fit are a 401 invalid_token, invalid_claim_type);
//  - as `const T&` when the handler takes that, or as `const T*`, null for a request admitted
//    anonymously: a route under allow_anonymous() needs the pointer form, and one whose handler
//    takes a reference answers every request 500 invalid_argument, a misconfiguration.
// Every refused request gets the RFC 6750 §3 answer and never reaches the handler: the status,
// the WWW-Authenticate challenge, Cache-Control: no-store and {"error": "<errc name>"}, which
// never echoes the token. A route that accepts DPoP (access_requirement::accept_dpop) also reads
// the DPoP header fields, the method and the request URI, which is `origin` (the scheme and
// authority clients reach the server at; cpp-httplib knows neither behind a proxy or TLS
// terminator) followed by the request's path as cpp-httplib decoded it (percent-encoding
// undone, the query left out); a use_dpop_nonce refusal, and a response whose
// proof used the previous nonce, carry a DPoP-Nonce header. protect() keeps a copy of the source
// (verifiers and session managers share their state between copies; a jwks_cache goes in as
// std::ref(cache)). cpp-httplib 0.11 matches routes before it calls a handler and has no per-route
// middleware, hence a handler wrapper. Thread-safety: the returned handler is as thread-safe as the
// source and the handler; cpp-httplib calls handlers from its thread pool.

#include <httplib.h>

#include <string>
#include <type_traits>
#include <utility>

#include "jot/config.hpp"
#include "jot/error.hpp"
#include "jot/http/access.hpp"
#include "jot/http/requirement.hpp"

JOT_BEGIN_NAMESPACE

namespace httplib {

// Writes `refusal` (access.hpp) into `response`: its status, challenge and body, and
// Cache-Control: no-store.
inline void write_refusal(::httplib::Response& response, const access_refusal& refusal) {
  response.status = refusal.status;
  if (!refusal.www_authenticate.empty()) {
    response.set_header("WWW-Authenticate", refusal.www_authenticate);
  }
  if (!refusal.dpop_nonce.empty()) response.set_header("DPoP-Nonce", refusal.dpop_nonce);
  response.set_header("Cache-Control", "no-store");
  response.set_content(refusal.body, "application/json");
}

// What authorize() reads from `request` (access.hpp): its Authorization fields and, for DPoP,
// its method, `uri` and its DPoP fields. The views point into `request` and `uri`.
inline request_credentials credentials_of(const ::httplib::Request& request,
                                          const std::string& uri) {
  request_credentials out;
  out.authorization_fields = request.get_header_value_count("Authorization");
  const auto authorization = request.headers.find("Authorization");
  if (authorization != request.headers.end()) out.authorization = authorization->second;
  out.method = request.method;
  out.uri = uri;
  const auto [first, last] = request.headers.equal_range("DPoP");
  for (auto it = first; it != last; ++it) out.dpop_headers.emplace_back(it->second);
  return out;
}

// Answers `error` as protect() answers a refused request (refusal_for(), access.hpp), the
// challenge naming the requirement's realm. For handlers that refuse a request themselves, such
// as a cookie endpoint refusing a cross-site request.
inline void write_error(::httplib::Response& response, const error_info& error,
                        const access_requirement& requirement = {}) {
  write_refusal(response, refusal_for(error, requirement));
}

// A cpp-httplib handler that decides each request with authorize<Principal>() before it calls
// `handler(request, response, principal)`; see the top of this file. `origin`
// ("https://api.example.com") is needed only by a route that accepts DPoP.
template <typename Principal = void, typename Source, typename Handler>
::httplib::Server::Handler protect(Source source, Handler handler,
                                   access_requirement requirement = {}, std::string origin = {}) {
  return [source = std::move(source), handler = std::move(handler),
          requirement = std::move(requirement), origin = std::move(origin)](
             const ::httplib::Request& request, ::httplib::Response& response) mutable {
    using principal = detail::principal_of<Principal, Source>;
    // A generic handler (`const auto&`) takes the reference form. The pointer form is tried
    // only for a handler that does not take a reference: asking a generic lambda would
    // instantiate its body with a pointer, a hard error (hence disjunction, which stops early).
    constexpr bool by_reference = std::is_invocable_v<Handler&, const ::httplib::Request&,
                                                      ::httplib::Response&, const principal&>;
    static_assert(
        std::disjunction_v<std::bool_constant<by_reference>,
                           std::is_invocable<Handler&, const ::httplib::Request&,
                                             ::httplib::Response&, const principal*>>,
        "protect()'s handler takes (request, response, const Principal&) or, for a route that "
        "admits anonymous requests, (request, response, const Principal*)");
    if (by_reference && requirement.allows_anonymous()) {
      return write_error(response, errc::invalid_argument, requirement);
    }
    const std::string uri = requirement.dpop_proofs() ? origin + request.path : std::string();
    auto access = authorize<Principal>(source, requirement, credentials_of(request, uri));
    if (!access) return write_refusal(response, *access.refusal());
    if (!access.dpop_nonce().empty()) response.set_header("DPoP-Nonce", access.dpop_nonce());
    if constexpr (by_reference) {
      handler(request, response, *access.principal());
    } else {
      handler(request, response, static_cast<const principal*>(access.principal()));
    }
  };
}

}  // namespace httplib

JOT_END_NAMESPACE
