// Rotating signing keys without downtime: the issuer signs with its current key and publishes
// the current and retired public keys as a JWKS; verifiers swap in a new immutable verifier
// while requests are in flight, so tokens signed before the rotation keep working.
#include <atomic>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <jot/jot.hpp>

namespace {

jot::signing_key new_key(const std::string& kid) {
  return jot::signing_key::generate(jot::algorithm::es256).value().with_key_id(kid).value();
}

std::string issue(const jot::key_ring& ring, const std::string& user) {
  using namespace std::chrono_literals;
  auto claims = jot::claims::builder{}.subject(user).expires_in(15min).build().value();
  return jot::encoder{ring.current()}.sign(claims).value();
}

// What a resource server does when the issuer's JWKS changes: build a fresh verifier from it.
std::shared_ptr<const jot::verifier> verifier_from_jwks(const std::string& jwks_text) {
  auto keys = jot::key_set::from_jwks(std::string_view(jwks_text)).value();
  return std::make_shared<const jot::verifier>(
      jot::verifier::builder{}.add_keys(keys).build().value());
}

}  // namespace

int main() {
  // The issuer, before the rotation.
  auto ring = jot::key_ring::create(new_key("2026-11")).value();
  const std::string old_token = issue(ring, "alice");

  // The resource server, with request threads verifying all the time.
  jot::hot_swap<jot::verifier> verifier(
      verifier_from_jwks(ring.verification_keys().to_jwks().value().dump()));
  std::atomic<bool> running{true};
  std::atomic<int> accepted{0}, rejected{0};
  std::vector<std::thread> requests;
  for (int i = 0; i < 4; ++i) {
    requests.emplace_back([&] {
      while (running) {
        if (verifier.load()->verify(old_token)) {
          ++accepted;
        } else {
          ++rejected;
        }
      }
    });
  }

  // Rotate: the new key signs from now on; the old one stays published until its tokens expire.
  ring = ring.rotate(new_key("2026-12")).value();
  verifier.store(verifier_from_jwks(ring.verification_keys().to_jwks().value().dump()));
  const std::string new_token = issue(ring, "bob");

  running = false;
  for (auto& thread : requests) thread.join();

  auto current = verifier.load();
  std::cout << "published keys: " << ring.verification_keys().size() << "\n"
            << "old token (kid 2026-11): " << (current->verify(old_token) ? "accepted" : "rejected")
            << "\n"
            << "new token (kid 2026-12): " << (current->verify(new_token) ? "accepted" : "rejected")
            << "\n"
            << "rejections during the swap: " << rejected << "\n";

  // Later, once every token of the old key has expired, drop it.
  ring = ring.without("2026-11").value();
  verifier.store(verifier_from_jwks(ring.verification_keys().to_jwks().value().dump()));
  std::cout << "after retiring 2026-11, old token: "
            << jot::errc_name(verifier.load()->verify(old_token).error()) << "\n";
  return rejected == 0 && accepted > 0 ? 0 : 1;
}
