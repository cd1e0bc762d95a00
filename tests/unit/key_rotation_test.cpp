#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "unit_support.hpp"

#include <jot/jot.hpp>

using jot::algorithm;

namespace {
jot::verifier verifier_for(const jot::key_ring& ring) {
  return jot::verifier::builder{}.add_keys(ring.verification_keys()).build().value();
}
}  // namespace

TEST_CASE("rotation keeps old tokens verifying until their key is dropped", "[rotation]") {
  auto ring = jot::key_ring::create(jot_test::es256_key_named("2026-01")).value();
  const auto january = jot_test::short_lived_token(ring.current());
  ring = ring.rotate(jot_test::es256_key_named("2026-02")).value();
  const auto february = jot_test::short_lived_token(ring.current());
  CHECK(*ring.current().key_id() == "2026-02");
  CHECK(ring.verification_keys().size() == 2);
  CHECK(verifier_for(ring).verify(january));
  CHECK(verifier_for(ring).verify(february));

  ring = ring.rotate(jot_test::es256_key_named("2026-03"), 1)
             .value();  // keep one retired key: February's
  CHECK(ring.verification_keys().size() == 2);
  CHECK(verifier_for(ring).verify(january).error() == jot::errc::unknown_key_id);
  CHECK(verifier_for(ring).verify(february));

  auto pruned = ring.without("2026-02").value();
  CHECK(verifier_for(pruned).verify(february).error() == jot::errc::unknown_key_id);
  CHECK(ring.without("2026-03").error() == jot::errc::invalid_argument);
  CHECK(ring.without("never").error() == jot::errc::unknown_key_id);
}

TEST_CASE("a key ring needs kids and distinct ones", "[rotation]") {
  CHECK(jot::key_ring::create(jot::signing_key::generate(algorithm::es256).value()).error() ==
        jot::errc::missing_key_id);
  auto ring = jot::key_ring::create(jot_test::es256_key_named("a")).value();
  CHECK(ring.rotate(jot_test::es256_key_named("a")).error() == jot::errc::duplicate_key_id);
}

TEST_CASE("threads keep verifying while a rotation swaps the verifier", "[rotation][threads]") {
  auto ring = jot::key_ring::create(jot_test::es256_key_named("k0")).value();
  jot::hot_swap<jot::verifier> current(std::make_shared<const jot::verifier>(verifier_for(ring)));
  const auto old_token = jot_test::short_lived_token(ring.current());
  std::atomic<bool> stop{false};
  std::atomic<int> verified{0}, failed{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 8; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        // Each request takes the verifier of the moment and keeps it alive while it uses it.
        auto verifier = current.load();
        if (verifier->verify(old_token)) {
          ++verified;
        } else {
          ++failed;
        }
      }
    });
  }
  std::vector<std::string> new_tokens;
  for (int i = 1; i <= 20; ++i) {
    ring = ring.rotate(jot_test::es256_key_named("k" + std::to_string(i)), 30).value();
    current.store(std::make_shared<const jot::verifier>(verifier_for(ring)));
    new_tokens.push_back(jot_test::short_lived_token(ring.current()));
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  CHECK(failed == 0);
  CHECK(verified > 0);
  for (const auto& token : new_tokens) CHECK(current.load()->verify(token));
}
