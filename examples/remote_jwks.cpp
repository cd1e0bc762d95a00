// A microservice that verifies tokens against its identity provider's JWKS. jot does no HTTP:
// the application supplies the fetch (libcurl, Boost.Beast, cpp-httplib ...); here the
// "provider" is in-process so the example runs anywhere.
#include <iostream>
#include <mutex>
#include <string>

#include <jot/jot.hpp>

namespace {

// Stand-in for https://idp.example/.well-known/jwks.json.
class identity_provider {
 public:
  identity_provider() : ring_(jot::key_ring::create(new_key("idp-1")).value()) {}

  std::string jwks() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return ring_.verification_keys().to_jwks().value().dump();
  }
  std::string login(const std::string& user) const {
    using namespace std::chrono_literals;
    std::lock_guard<std::mutex> lock(mutex_);
    auto claims = jot::claims::builder{}
                      .issuer("https://idp.example")
                      .audience("orders-service")
                      .subject(user)
                      .expires_in(10min)
                      .build()
                      .value();
    return jot::encoder{ring_.current(), "at+jwt"}.sign(claims).value();
  }
  void rotate(const std::string& kid) {
    std::lock_guard<std::mutex> lock(mutex_);
    ring_ = ring_.rotate(new_key(kid)).value();
  }
  int fetches = 0;

 private:
  static jot::signing_key new_key(const std::string& kid) {
    return jot::signing_key::generate(jot::algorithm::rs256).value().with_key_id(kid).value();
  }
  mutable std::mutex mutex_;
  jot::key_ring ring_;
};

}  // namespace

int main() {
  identity_provider idp;

  // The policy every token must meet, checked once here; the cache supplies the keys.
  auto policy = jot::validator::builder{}
                    .expect_issuer("https://idp.example")
                    .expect_audience("orders-service")
                    .expect_type("at+jwt")
                    .build();
  if (!policy) {
    std::cerr << "policy: " << policy.error().message() << "\n";
    return 1;
  }
  // The example moves its own clock forward instead of sleeping; production omits `clock`.
  auto now = std::chrono::steady_clock::now();
  jot::jwks_cache_options options;  // defaults: 10 min max age, 30 s refetch cooldown
  options.clock = [&now] { return now; };
  jot::jwks_cache verifier(
      [&idp]() -> jot::result<std::string> {
        ++idp.fetches;
        // In production: an HTTPS GET; on failure return jot::errc::keys_unavailable.
        return idp.jwks();
      },
      *policy, options);

  auto first = verifier.verify(idp.login("alice"));
  std::cout << "alice: " << jot::errc_name(first.error()) << " (fetches: " << idp.fetches << ")\n";

  // A minute later the provider rotates; the first token with the new kid triggers one refetch.
  now += std::chrono::minutes(1);
  idp.rotate("idp-2");
  auto second = verifier.verify(idp.login("bob"));
  std::cout << "bob after rotation: " << jot::errc_name(second.error())
            << " (fetches: " << idp.fetches << ")\n";

  // A forged kid does not make the service hammer the provider (30 s cooldown).
  auto forged =
      jot::encoder{
          jot::signing_key::generate(jot::algorithm::rs256).value().with_key_id("attacker").value(),
          "at+jwt"}
          .sign(jot::claims::builder{}
                    .issuer("https://idp.example")
                    .audience("orders-service")
                    .expires_in(std::chrono::minutes(5))
                    .build()
                    .value())
          .value();
  auto rejected = verifier.verify(forged);
  std::cout << "forged kid: " << jot::errc_name(rejected.error()) << " (fetches: " << idp.fetches
            << ")\n";
  return first && second && rejected.error() == jot::errc::unknown_key_id ? 0 : 1;
}
