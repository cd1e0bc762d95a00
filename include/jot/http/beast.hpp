#pragma once

// The Boost.Beast adapter (optional: CMake target jot::beast, which needs Boost 1.74 or later;
// Beast is headers only). Given a request, authorize() returns the principal, or the complete
// response to send instead:
//
//   auto caller = jot::beast::authorize<account>(request, verifier, orders_read);
//   if (!caller) return send(std::move(*caller.refusal()));  // a ready http::response
//   const account& who = *caller.principal();                // null only under allow_anonymous()
//
// The decision is authorize() of access.hpp, shared by every adapter (what the source may be,
// typed principals, the order of the checks); the requirement is an access_requirement
// (requirement.hpp). This header only reads the Authorization fields out of the Beast request and
// writes a refusal into a Beast response: the status, the RFC 6750 §3 WWW-Authenticate
// challenge, Cache-Control: no-store and {"error": "<errc name>"}, which never echoes the token.
// The response has the request's HTTP version and keep-alive, and its payload prepared.
// A route that accepts DPoP (access_requirement::accept_dpop) also reads the DPoP fields, the
// method and the request URI: `origin` (the scheme and authority clients reach the server at)
// followed by the request target. A use_dpop_nonce refusal carries a DPoP-Nonce header; so must
// the handler's response when caller.dpop_nonce() is not empty (the proof used the previous
// nonce, RFC 9449 §8.2).
//
// Sync and async servers alike: nothing here does I/O or waits, and the source is called in
// place (not copied). Whether the source waits is access.hpp's note: a verifier, or a session
// manager on memory stores, computes for microseconds and can run on an I/O thread, as can a
// jwks_cache whose fetches are off the request path (jwks_cache_options::fetch_on_verify, and a
// jwks_refresher); a jwks_cache that fetches on verify, or a session manager on Redis stores,
// belongs on a worker pool. Building a
// response allocates, and Beast reports allocation failure by throwing std::bad_alloc.
// Thread-safety: as thread-safe as the source.

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "jot/config.hpp"
#include "jot/error.hpp"
#include "jot/http/access.hpp"
#include "jot/http/requirement.hpp"

JOT_BEGIN_NAMESPACE

namespace beast {

// The response a refused request gets.
using response = boost::beast::http::response<boost::beast::http::string_body>;

// The answer to `request` for `refusal` (access.hpp): see the top of this file.
template <typename Body, typename Fields>
response refusal_response(const boost::beast::http::request<Body, Fields>& request,
                          access_refusal refusal) {
  namespace http = boost::beast::http;
  response out{static_cast<http::status>(refusal.status), request.version()};
  if (!refusal.www_authenticate.empty()) {
    out.set(http::field::www_authenticate, refusal.www_authenticate);
  }
  if (!refusal.dpop_nonce.empty()) out.set("DPoP-Nonce", refusal.dpop_nonce);
  out.set(http::field::cache_control, "no-store");
  out.set(http::field::content_type, "application/json");
  out.keep_alive(request.keep_alive());
  out.body() = std::move(refusal.body);
  out.prepare_payload();
  return out;
}

// The answer to `request` for `error` (refusal_for(), access.hpp), the challenge naming the
// requirement's realm. For handlers that refuse a request themselves, such as a cookie endpoint
// refusing a cross-site request.
template <typename Body, typename Fields>
response error_response(const boost::beast::http::request<Body, Fields>& request,
                        const error_info& error, const access_requirement& requirement = {}) {
  return refusal_response(request, refusal_for(error, requirement));
}

// The principal of `request`, or the response to send instead; see the top of this file.
// Principal void (the default) is the verified token. `origin` ("https://api.example.com") is
// needed only by a route that accepts DPoP.
template <typename Principal = void, typename Source, typename Body, typename Fields>
access_result<detail::principal_of<Principal, Source>, response> authorize(
    const boost::beast::http::request<Body, Fields>& request, Source&& source,
    const access_requirement& requirement = {}, std::string_view origin = {}) {
  const auto view = [](const auto& text) { return std::string_view(text.data(), text.size()); };
  // Beast compares field names case-insensitively, as RFC 9110 §5.1 says.
  const auto fields = request.equal_range(boost::beast::http::field::authorization);
  request_credentials credentials;
  credentials.authorization_fields =
      static_cast<std::size_t>(std::distance(fields.first, fields.second));
  if (credentials.authorization_fields > 0) credentials.authorization = view(fields.first->value());
  std::string uri;
  if (requirement.dpop_proofs()) {
    uri.append(origin).append(view(request.target()));
    credentials.method = view(request.method_string());
    credentials.uri = uri;
    const auto proofs = request.equal_range("DPoP");
    for (auto it = proofs.first; it != proofs.second; ++it) {
      credentials.dpop_headers.push_back(view(it->value()));
    }
  }
  return jot::authorize<Principal>(source, requirement, credentials)
      .map_refusal([&request](access_refusal&& refusal) {
        return refusal_response(request, std::move(refusal));
      });
}

}  // namespace beast

JOT_END_NAMESPACE
