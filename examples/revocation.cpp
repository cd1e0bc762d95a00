// The three ways to revoke a JWT, and what each costs (docs/sessions.md):
//  1. short expiry: free, but a token stays valid until it expires;
//  2. a `jti` blocklist: one token, at once, for one store lookup per request;
//  3. a per-user token version: every token of a user at once (logout everywhere, a password
//     change), for one store lookup per request.
// The auth server (a session_manager) and a resource service (a plain verifier) share the stores.
#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>

#include <jot/jot.hpp>
#include <jot/session.hpp>

namespace {
template <typename T>
const char* outcome(const jot::result<T>& result) {
  return result ? "success" : jot::errc_name(result.error());
}
}  // namespace

int main() {
  using namespace std::chrono_literals;

  // A clock this example can move forward, so that expiry needs no waiting.
  auto offset = std::make_shared<std::atomic<long long>>(0);
  auto clock = [offset] {
    return std::chrono::system_clock::now() + std::chrono::seconds(offset->load());
  };

  auto revocations = std::make_shared<jot::memory_revocation_store>();
  auto versions = std::make_shared<jot::memory_token_version_store>();
  auto key = jot::signing_key::generate(jot::algorithm::es256);
  if (!key) return 1;
  auto sessions = jot::session_manager::builder{}
                      .issuer("https://auth.example.com")
                      .access_audience("https://api.example.com")
                      .client_id("web-app")
                      .access_key(*key)
                      .access_lifetime(15min)
                      .revocation_store(revocations)
                      .token_version_store(versions)
                      .allow_custom_clock(clock)
                      .build();
  // The resource service verifies RFC 9068 access tokens with the public key and the same stores.
  auto service = jot::verifier::builder{}
                     .add_key(key->verification_key().value())
                     .validator(jot::validator::builder{}
                                    .expect_issuer("https://auth.example.com")
                                    .expect_audience("https://api.example.com")
                                    .expect_type("at+jwt")
                                    .expect_that(jot::not_revoked(revocations))
                                    .expect_that(jot::current_token_version(versions))
                                    .allow_custom_clock(clock)
                                    .build())
                     .build();
  if (!sessions || !service) return 1;

  // 1. Short expiry.
  auto pair = sessions->issue_pair("user-42");
  if (!pair) return 1;
  std::cout << "1. expiry: now " << outcome(service->verify(pair->access_token));
  *offset += 16 * 60;
  std::cout << ", 16 min later " << outcome(service->verify(pair->access_token)) << "\n";

  // 2. The blocklist: one token, at once, until the time it would have expired anyway.
  auto phone = sessions->issue_pair("user-42");
  auto laptop = sessions->issue_pair("user-42");
  if (!phone || !laptop) return 1;
  std::cout << "2. blocklist: revoke " << outcome(sessions->revoke(phone->access_token))
            << ", phone " << outcome(service->verify(phone->access_token)) << ", laptop "
            << outcome(service->verify(laptop->access_token)) << "\n";

  // 3. The token version: every token of the user, access and refresh, at once.
  auto version = sessions->logout_everywhere("user-42");
  if (!version) return 1;
  std::cout << "3. logout everywhere (version " << *version << "): laptop "
            << outcome(service->verify(laptop->access_token)) << ", laptop refresh "
            << outcome(sessions->refresh(laptop->refresh_token)) << "\n";
  auto again = sessions->issue_pair("user-42");
  if (!again) return 1;
  std::cout << "   a new login: " << outcome(service->verify(again->access_token)) << "\n";
  return 0;
}
