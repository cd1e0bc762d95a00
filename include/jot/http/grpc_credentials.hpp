#pragma once

// The gRPC adapter's client side (CMake target jot::grpc; the server side is grpc.hpp): call
// credentials that put `authorization: Bearer <access token>` on every call, and obtain the next
// token before the current one expires.
//
//   auto credentials = jot::grpc::token_credentials([&]() { return fetch_token(); });
//   auto channel = grpc::CreateChannel(target, grpc::CompositeChannelCredentials(
//                                                  grpc::SslCredentials({}), credentials));
//
// The source is any callable returning a result of something with `access_token` and
// `access_expires_at` members: a jot::token_pair from a session manager's refresh() (it keeps
// the refresh token the refresh returns for the next call), or the application's struct for a
// token from an OAuth client credentials grant. It is called at the first call, then once the
// current token has less than `refresh_margin` left (or, for a token shorter than twice the
// margin, half of what it had left when fetched), by one thread at a time: it may keep state,
// and block (gRPC runs call credentials on threads of its own). Meanwhile other calls keep
// sending the current token while it is valid. A token is never sent at or after its expiry:
// when the source fails and the current token has expired, or hands over one already expired
// (token_expired), the call fails before anything is sent. So does a token
// that is not one RFC 6750 b64token (malformed_credentials: it would corrupt the header), and a
// source that throws (token_unavailable). gRPC 1.51 ends every such call with UNAVAILABLE, the
// message ending in the errc name; never token bytes.
// gRPC sends these credentials only over a channel whose security level is privacy and integrity
// (TLS, or local credentials on loopback and Unix sockets); an insecure channel fails each call
// rather than send the token in clear (RFC 6750 §5.3).
// Thread-safety: the credentials may be shared by any number of channels and calls.

#include <grpcpp/security/credentials.h>
#include <grpcpp/support/status.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "jot/config.hpp"
#include "jot/error.hpp"
#include "jot/http/bearer.hpp"
#include "jot/http/grpc.hpp"
#include "jot/numeric_date.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace grpc {

// When token_credentials() asks its source for the next token.
struct token_credentials_options {
  // How long before the current token's expiry the next one is fetched (see the top of this
  // file for tokens shorter than twice this).
  std::chrono::seconds refresh_margin{60};
  // The time source instead of system_clock; tests inject one.
  std::function<std::chrono::system_clock::time_point()> clock;
};

// The MetadataCredentialsPlugin behind token_credentials(): see the top of this file.
template <typename Source>
class token_plugin final : public ::grpc::MetadataCredentialsPlugin {
 public:
  // Keeps `source` and `options`.
  token_plugin(Source source, token_credentials_options options)
      : source_(std::move(source)), options_(std::move(options)) {}

  // Puts the current token on a call; called by gRPC for each call, from its own threads.
  ::grpc::Status GetMetadata(::grpc::string_ref /*service_url*/, ::grpc::string_ref /*method*/,
                             const ::grpc::AuthContext& /*server*/,
                             std::multimap<std::string, std::string>* metadata) override {
    JOT_TRY {
      auto header = current_header();
      if (!header) return status_of(header.error());
      metadata->emplace("authorization", std::move(*header));
      return ::grpc::Status::OK;
    }
    JOT_CATCH_ALL { return status_of(errc::out_of_memory); }
  }

  // Names the plugin in gRPC's logs (never the token).
  ::grpc::string DebugString() override { return "jot::grpc::token_credentials"; }

 private:
  using time_point = std::chrono::system_clock::time_point;

  time_point now() const {
    return options_.clock ? options_.clock() : std::chrono::system_clock::now();
  }

  // Whether the current token is fresh at `time` (not due for renewal), or at least valid (not
  // expired) when `valid_is_enough`. Called under state_mutex_.
  bool usable(time_point time, bool valid_is_enough) const {
    if (header_.empty()) return false;
    return time < (valid_is_enough ? expires_at_ : renew_at_);
  }

  result<std::string> current_header() {
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      if (usable(now(), false)) return header_;
    }
    std::unique_lock<std::mutex> refreshing(refresh_mutex_, std::try_to_lock);
    if (!refreshing.owns_lock()) {
      // Another call is fetching the next token: the current one serves until it expires.
      {
        std::lock_guard<std::mutex> lock(state_mutex_);
        if (usable(now(), true)) return header_;
      }
      refreshing.lock();
    }
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      if (usable(now(), false)) return header_;  // another call fetched it meanwhile
    }
    result<std::string> fetched = errc::token_unavailable;
    sys_seconds expires_at{};
    JOT_TRY {
      auto next = source_();
      if (!next) {
        fetched = next.error();
      } else {
        fetched = "Bearer " + next->access_token;
        expires_at = next->access_expires_at;
        const auto token = bearer_token(*fetched);
        if (!token || token->size() != next->access_token.size()) {
          fetched = errc::malformed_credentials;
        }
      }
    }
    JOT_CATCH_ALL { fetched = detail::errc_of_current_exception(errc::token_unavailable); }
    const time_point time = now();
    if (fetched && time >= expires_at) fetched = errc::token_expired;
    std::lock_guard<std::mutex> lock(state_mutex_);
    if (!fetched) {
      // A failed refresh keeps the current token while it is valid; the next call tries again.
      if (usable(time, true)) return header_;
      return fetched.error();
    }
    header_ = *fetched;
    expires_at_ = expires_at;
    // refresh_margin ahead of expiry, but no earlier than halfway through what is left (a token
    // shorter than twice the margin would otherwise be fetched again for every call), and no
    // later than the expiry (a negative margin).
    renew_at_ = std::min<time_point>(
        expires_at,
        std::max<time_point>(expires_at - options_.refresh_margin, time + (expires_at - time) / 2));
    return fetched;
  }

  Source source_;
  const token_credentials_options options_;
  std::mutex refresh_mutex_;  // one fetch at a time
  std::mutex state_mutex_;    // header_, expires_at_, renew_at_
  std::string header_;
  time_point expires_at_{};
  time_point renew_at_{};
};

// Call credentials that attach a token from `source` and renew it ahead of its expiry: see the
// top of this file. Combine them with a channel's TLS credentials, or set them on one call
// (ClientContext::set_credentials).
template <typename Source>
std::shared_ptr<::grpc::CallCredentials> token_credentials(Source source,
                                                           token_credentials_options options = {}) {
  return ::grpc::MetadataCredentialsFromPlugin(
      std::make_unique<token_plugin<Source>>(std::move(source), std::move(options)));
}

}  // namespace grpc

JOT_END_NAMESPACE
