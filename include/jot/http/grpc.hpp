#pragma once

// The gRPC adapter (optional: CMake target jot::grpc, gRPC C++ found by pkg-config; written for
// Debian 12's gRPC 1.51). Server side, here: an AuthMetadataProcessor that decides every call
// before any handler runs, with authorize() (access.hpp: what the source may be, the order of
// the checks) against the access_requirement of the called method:
//
//   auto auth = jot::grpc::make_authenticator(std::ref(jwks), {
//       jot::access_requirement{},  // every method: a verified token
//       {{"/shop.Orders/PlaceOrder", jot::access_requirement{}.all_of_scopes("orders:write")}}});
//   auto credentials = grpc::SslServerCredentials(tls);  // a processor needs secure credentials
//   credentials->SetAuthMetadataProcessor(auth);
//   ...
//   grpc::Status PlaceOrder(grpc::ServerContext* context, ...) override {
//     const auto caller = auth->principal_of(*context);  // the verified token, or <T>'s type
//
// A refused call ends with status_of(error): UNAUTHENTICATED for missing, malformed (two
// `authorization` entries included, RFC 6750 §3.1) or rejected credentials, PERMISSION_DENIED
// for a missing scope, UNAVAILABLE when a store or the JWKS cannot answer, INTERNAL for a
// misconfiguration; its message is the errc name (and a DPoP nonce, below), never token bytes.
//
// Handing the principal over: gRPC gives a processor no place of its own per call. The
// AuthContext it may write is the connection's, shared by every call on it (the processor's
// header says so; grpc/grpc#28809), so a principal written there would leak into the next call.
// The authenticator therefore keeps each accepted call's principal for `handoff_window`, keyed
// by its token; principal_of() reads the calling token from the call's metadata and takes that
// principal, so the token is verified once per call. When the entry is gone (a handler started
// later than the window, or more than max_handoffs tokens were waiting) principal_of()
// authenticates the token again; the method's requirement was checked by the processor on this
// very call. That holds only where every port of the server carries the processor: give it all
// of them. A processor needs secure server credentials (TLS, or local credentials on loopback
// and Unix sockets): gRPC 1.51 aborts when one is set on InsecureServerCredentials, and a bearer
// token must only travel over TLS anyway (RFC 6750 §5.3).
// Thread-safety: gRPC calls the processor from its threads, concurrently (IsBlocking(): a
// jwks_cache fetch or a Redis store may wait there), and principal_of() from handlers; both are
// as thread-safe as the source, which verifiers, jwks_cache and session managers are.
// DPoP (RFC 9449): a method whose requirement accepts it (access_requirement::accept_dpop)
// takes `authorization: DPoP <token>` with a `dpop` entry holding the proof. gRPC calls are
// HTTP/2 POSTs to the method's path, so a proof's htm is POST and its htu the method's URL:
// server_options::dpop_origin, or by default "https://" and the call's `:authority`, followed by
// the `:path` ("https://orders.example.com/shop.Orders/PlaceOrder"). gRPC 1.51 sends a client
// nothing of what a processor writes into its response metadata (as observed in
// tests/grpc/grpc_dpop_test.cpp), so a use_dpop_nonce refusal carries the nonce in its status
// message, after the errc name: "dpop_nonce_required dpop-nonce=<nonce>"; a client learns a new
// nonce from such a refusal, once its old one is no longer accepted. A DPoP call's principal is
// handed over as a Bearer one's, but principal_of() cannot check its proof a second time (the proof
// is spent: a replay): past the handoff window it is invalid_argument, a window shorter than the
// server's queueing. Client side, call credentials that obtain and refresh the token:
// grpc_credentials.hpp.

#include <grpcpp/security/auth_metadata_processor.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "jot/config.hpp"
#include "jot/error.hpp"
#include "jot/http/access.hpp"
#include "jot/http/bearer.hpp"
#include "jot/http/requirement.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

inline std::string_view grpc_view(::grpc::string_ref text) noexcept {
  return std::string_view(text.data(), text.size());
}

// How many `authorization` entries gRPC metadata holds, and the first one's value.
template <typename Metadata>
std::pair<std::size_t, std::string_view> grpc_authorization(const Metadata& metadata) {
  const auto [first, last] = metadata.equal_range("authorization");
  const auto count = static_cast<std::size_t>(std::distance(first, last));
  return {count, count == 0 ? std::string_view() : grpc_view(first->second)};
}

// The value of the entry `name` (the first), or "" when there is none.
template <typename Metadata>
std::string_view grpc_entry(const Metadata& metadata, std::string_view name) {
  const auto found = metadata.find(::grpc::string_ref(name.data(), name.size()));
  return found == metadata.end() ? std::string_view() : grpc_view(found->second);
}

}  // namespace detail

namespace grpc {

// The status a refused call ends with: see the top of this file. The code follows http_status()
// (400 and 401 are UNAUTHENTICATED, 403 PERMISSION_DENIED, 503 UNAVAILABLE, anything else
// INTERNAL); the message is errc_name(error). OK for no error.
inline ::grpc::Status status_of(const std::error_code& error) {
  if (!error) return ::grpc::Status::OK;
  ::grpc::StatusCode code = ::grpc::StatusCode::INTERNAL;
  switch (http_status(error)) {
    case 400:
    case 401:
      code = ::grpc::StatusCode::UNAUTHENTICATED;
      break;
    case 403:
      code = ::grpc::StatusCode::PERMISSION_DENIED;
      break;
    case 503:
      code = ::grpc::StatusCode::UNAVAILABLE;
      break;
    default:
      break;
  }
  return ::grpc::Status(code, errc_name(error));
}

// What an authenticator asks of each call, and how it hands principals over (see the top of
// this file).
struct server_options {
  // For every method not named in `methods`.
  access_requirement requirement;
  // By full method name, "/<package>.<Service>/<Method>" (gRPC's `:path`).
  std::map<std::string, access_requirement, std::less<>> methods;
  // How long an accepted call's principal waits for principal_of(); 0 keeps none (principal_of()
  // then authenticates again), and a longer window holds more entries.
  std::chrono::milliseconds handoff_window{std::chrono::seconds(10)};
  // At most this many tokens wait at once (each entry holds its token and principal, about
  // 2 KB for a typical access token); beyond it principal_of() authenticates again.
  std::size_t max_handoffs = 10000;
  // The scheme and authority of the URL a DPoP proof names ("https://orders.example.com"); empty:
  // "https://" and the call's `:authority`. See the top of this file.
  std::string dpop_origin;
};

// The AuthMetadataProcessor of a server, and the way its handlers get the caller: see the top
// of this file. make_authenticator() makes one.
template <typename Principal, typename Source>
class authenticator final : public ::grpc::AuthMetadataProcessor {
 public:
  // What a handler receives: the verified token, or Principal when it is not void.
  using principal_type = detail::principal_of<Principal, Source>;

  // Keeps `source` (a jwks_cache goes in as std::ref(cache)) and the rules of `options`.
  authenticator(Source source, server_options options)
      : source_(std::move(source)), options_(std::move(options)) {}

  // Called by gRPC for every call: authorize() against the method's requirement. An accepted
  // call's principal is handed to principal_of(); a refused call ends with status_of().
  ::grpc::Status Process(const InputMetadata& metadata, ::grpc::AuthContext* /*connection*/,
                         OutputMetadata* /*consumed*/, OutputMetadata* /*response*/) override {
    JOT_TRY {
      request_credentials credentials;
      std::tie(credentials.authorization_fields, credentials.authorization) =
          detail::grpc_authorization(metadata);
      const std::string_view path = detail::grpc_entry(metadata, ":path");
      const auto& requirement = requirement_for(path);
      std::string uri;
      if (requirement.dpop_proofs()) {
        uri = options_.dpop_origin.empty()
                  ? "https://" + std::string(detail::grpc_entry(metadata, ":authority"))
                  : options_.dpop_origin;
        uri.append(path);
        credentials.method = "POST";
        credentials.uri = uri;
        const auto [first, last] = metadata.equal_range("dpop");
        for (auto it = first; it != last; ++it) {
          credentials.dpop_headers.push_back(detail::grpc_view(it->second));
        }
      }
      auto decision = authorize<Principal>(source_, requirement, credentials);
      if (const auto* refused = decision.refusal()) {
        ::grpc::Status status = status_of(refused->error);
        if (refused->dpop_nonce.empty()) return status;
        return ::grpc::Status(status.error_code(),
                              status.error_message() + " dpop-nonce=" + refused->dpop_nonce);
      }
      if (auto* principal = decision.principal()) {
        // authorize() admitted a principal, so the field holds well-formed credentials.
        const auto admitted = access_token_credentials(credentials.authorization);
        hand_off(admitted->token, std::move(*principal));
      }
      return ::grpc::Status::OK;
    }
    JOT_CATCH_ALL { return status_of(errc::out_of_memory); }
  }

  // The principal of the call that `context` belongs to, which the processor accepted: the one
  // it handed over, or the token authenticated again (see the top of this file).
  // missing_credentials for a call without an `authorization` entry (admitted anonymously under
  // allow_anonymous()); an error of the source when the token no longer authenticates.
  result<principal_type> principal_of(const ::grpc::ServerContextBase& context) {
    JOT_TRY {
      const auto [fields, authorization] = detail::grpc_authorization(context.client_metadata());
      if (fields == 0) return errc::missing_credentials;
      const auto credentials = access_token_credentials(authorization);
      if (credentials && fields == 1) {
        if (const auto principal = handed_over(credentials->token)) {
          return principal_type(*principal);
        }
        // Its proof was spent by the processor: see the top of this file.
        if (credentials->scheme == token_scheme::dpop) return errc::invalid_argument;
      }
      const access_requirement authenticated;
      auto decision = authorize<Principal>(source_, authenticated, fields, authorization);
      if (const auto* refused = decision.refusal()) return refused->error;
      return std::move(*decision.principal());
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

 private:
  using clock = std::chrono::steady_clock;
  struct handoff {
    std::shared_ptr<const principal_type> principal;
    clock::time_point until;
  };

  const access_requirement& requirement_for(std::string_view method) const {
    const auto found = options_.methods.find(method);
    return found == options_.methods.end() ? options_.requirement : found->second;
  }

  // The principal handed over for `token` within the window, or null.
  std::shared_ptr<const principal_type> handed_over(std::string_view token) {
    const std::string key(token);
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    const auto found = handoffs_.find(key);
    if (found == handoffs_.end() || clock::now() >= found->second.until) return nullptr;
    return found->second.principal;
  }

  void hand_off(std::string_view token, principal_type principal) {
    if (options_.handoff_window <= clock::duration::zero()) return;
    auto shared = std::make_shared<const principal_type>(std::move(principal));
    const auto now = clock::now();
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    // Expired entries go at most once per window, so a full table costs no scan per call.
    if (now >= next_sweep_) {
      for (auto it = handoffs_.begin(); it != handoffs_.end();) {
        it = now < it->second.until ? std::next(it) : handoffs_.erase(it);
      }
      next_sweep_ = now + options_.handoff_window;
    }
    if (handoffs_.size() >= options_.max_handoffs) return;
    handoffs_.insert_or_assign(std::string(token),
                               handoff{std::move(shared), now + options_.handoff_window});
  }

  Source source_;
  const server_options options_;
  std::mutex handoff_mutex_;
  std::unordered_map<std::string, handoff> handoffs_;
  clock::time_point next_sweep_{};
};

// An authenticator for ServerCredentials::SetAuthMetadataProcessor(), deciding with `source`
// and `options`; its handlers receive the verified token, or Principal made from the claims
// (authorize<Principal>(), access.hpp). Keep the returned pointer for principal_of().
template <typename Principal = void, typename Source>
std::shared_ptr<authenticator<Principal, Source>> make_authenticator(Source source,
                                                                     server_options options = {}) {
  return std::make_shared<authenticator<Principal, Source>>(std::move(source), std::move(options));
}

}  // namespace grpc

JOT_END_NAMESPACE
