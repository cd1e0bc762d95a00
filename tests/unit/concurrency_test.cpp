// Everything jot says is safe to share between threads, shared at once while an issuer rotates
// its keys. The checks count outcomes; the real assertions of this test are ThreadSanitizer's:
// tools/run-tests.sh runs the unit tests in the tsan preset, where any data race fails the run.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "fixed_keys.hpp"
#include "unit_support.hpp"

#include <jot/jot.hpp>

using jot::algorithm;
using namespace std::chrono_literals;

namespace {

jot::signing_key fresh_key(int serial) {
  return jot::signing_key::generate(algorithm::es256)
      .value()
      .with_key_id("rotating-" + std::to_string(serial))
      .value();
}

// The JWKS endpoint of the rotating issuer.
class endpoint {
 public:
  void publish(const jot::key_set& keys) {
    const std::string text = keys.to_jwks().value().dump();
    std::lock_guard<std::mutex> lock(mutex_);
    jwks_ = text;
  }
  jot::result<std::string> fetch() {
    std::lock_guard<std::mutex> lock(mutex_);
    return jwks_;
  }

 private:
  std::mutex mutex_;
  std::string jwks_;
};

}  // namespace

TEST_CASE("eight threads share a verifier, a key set and a JWKS cache while the keys rotate",
          "[concurrency][threads]") {
  const auto& fixed = jot_test::fixed_keys();

  // Never rotated: one verifier for several algorithms, and a key set loaded from a JWKS.
  const auto static_verifier = jot::verifier::builder{}
                                   .add_key(fixed.verifier(algorithm::hs256))
                                   .add_key(fixed.verifier(algorithm::rs256))
                                   .add_key(fixed.verifier(algorithm::ed25519))
                                   .build()
                                   .value();
  const std::vector<algorithm> static_algorithms = {algorithm::hs256, algorithm::rs256,
                                                    algorithm::ed25519};
  std::vector<std::string> static_tokens;
  for (algorithm alg : static_algorithms)
    static_tokens.push_back(jot_test::short_lived_token(fixed.signer(alg)));
  nlohmann::json published = nlohmann::json::array();
  for (algorithm alg : {algorithm::ps256, algorithm::es384, algorithm::ed448}) {
    published.push_back(jot::to_public_jwk(fixed.verifier(alg)).value());
  }
  const auto shared_set = jot::key_set::from_jwks(nlohmann::json{{"keys", published}}).value();
  const std::string signing_input = "eyJhbGciOiJub25lIn0.eyJ4IjoxfQ";
  std::vector<std::string> set_kids, set_signatures;
  for (algorithm alg : {algorithm::ps256, algorithm::es384, algorithm::ed448}) {
    set_kids.push_back(jot_test::fixed_kid(alg));
    set_signatures.push_back(fixed.signer(alg).implementation().sign(signing_input).value());
  }
  // One signing key, used by every thread at once.
  const jot::encoder shared_encoder{fixed.signer(algorithm::es256)};
  const auto es256_verifier =
      jot::verifier::builder{}.add_key(fixed.verifier(algorithm::es256)).build().value();

  // Rotated: a key ring behind a hot_swap'd verifier, and the same ring published as a JWKS.
  int serial = 0;
  auto ring = jot::key_ring::create(fresh_key(serial)).value();
  jot::hot_swap<jot::verifier> current_verifier(std::make_shared<const jot::verifier>(
      jot::verifier::builder{}.add_keys(ring.verification_keys()).build().value()));
  endpoint issuer;
  issuer.publish(ring.verification_keys());
  jot::jwks_cache cache([&issuer] { return issuer.fetch(); },
                        jot::validator::builder{}.build().value(),
                        {600s, 0s, std::nullopt, nullptr});
  const std::string first_token = jot_test::short_lived_token(ring.current());
  jot::hot_swap<std::string> latest_token(std::make_shared<const std::string>(first_token));

  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0}, cache_ok{0}, cache_unknown{0}, iterations{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const auto count_wrong = [&wrong](bool ok) {
        if (!ok) ++wrong;
      };
      for (int i = 0; i < 25 || !stop; ++i) {
        const std::size_t pick = static_cast<std::size_t>(t + i) % 3;
        count_wrong(static_cast<bool>(static_verifier.verify(static_tokens[pick])));

        const jot::verification_key* key = shared_set.find(set_kids[pick]);
        count_wrong(key != nullptr && static_cast<bool>(key->implementation().verify(
                                          signing_input, set_signatures[pick])));
        if (i % 10 == 0) count_wrong(static_cast<bool>(shared_set.to_jwks()));

        const auto token =
            shared_encoder.sign(jot::claims::builder{}.expires_in(1min).build().value());
        count_wrong(token && static_cast<bool>(es256_verifier.verify(*token)));

        // Tokens signed before any rotation keep verifying: the ring keeps every retired key.
        count_wrong(static_cast<bool>(current_verifier.load()->verify(first_token)));

        const auto verdict = cache.verify(*latest_token.load());
        if (verdict) {
          ++cache_ok;
        } else if (verdict.error() == jot::errc::unknown_key_id) {
          ++cache_unknown;  // the token's key was published after the cache's last fetch
        } else {
          ++wrong;
        }
        ++iterations;
      }
    });
  }

  std::vector<std::string> rotated_tokens;
  for (int rotation = 0; rotation < 10; ++rotation) {
    ring = ring.rotate(fresh_key(++serial), 20).value();
    current_verifier.store(std::make_shared<const jot::verifier>(
        jot::verifier::builder{}.add_keys(ring.verification_keys()).build().value()));
    issuer.publish(ring.verification_keys());
    rotated_tokens.push_back(jot_test::short_lived_token(ring.current()));
    latest_token.store(std::make_shared<const std::string>(rotated_tokens.back()));
    std::this_thread::sleep_for(5ms);
  }
  stop = true;
  for (auto& thread : threads) thread.join();

  CHECK(wrong == 0);
  CHECK(iterations >= 8 * 25);
  CHECK(cache_ok > 0);
  CHECK(cache_ok + cache_unknown == iterations);
  // After the last rotation every token verifies, through the swapped verifier and the cache.
  for (const auto& token : rotated_tokens) {
    CHECK(current_verifier.load()->verify(token));
    CHECK(cache.verify(token));
  }
}

TEST_CASE("threads reading a builder's claims first at once see one JSON object",
          "[concurrency][threads]") {
  // A builder's claims make their JSON object on the first read (detail/claim_set.hpp); several
  // first reads at once must agree on one object, and ThreadSanitizer must see no race.
  for (int round = 0; round < 20; ++round) {
    const auto claims = jot::claims::builder{}
                            .subject("s")
                            .claim("roles", std::vector<std::string>{"a", "b"})
                            .expires_in(1min)
                            .build()
                            .value();
    std::vector<const nlohmann::json*> seen(4, nullptr);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t) {
      threads.emplace_back([&claims, &seen, t] { seen[t] = &claims.json(); });
    }
    for (auto& thread : threads) thread.join();
    for (const auto* json : seen) CHECK(json == seen.front());
    CHECK(seen.front()->at("roles") == nlohmann::json{"a", "b"});
  }
}
