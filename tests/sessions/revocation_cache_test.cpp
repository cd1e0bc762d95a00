// revocation_cache: the revocation store contract through the cache, then what it promises on
// top: answers are remembered for max_staleness and no longer, its own revocations are seen at
// once, it fails closed when the store behind cannot answer, and it stays bounded.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "faulty_stores.hpp"
#include "store_contract.hpp"

#include <jot/jot.hpp>
#include <jot/session.hpp>

using namespace std::chrono_literals;

namespace {

constexpr jot::sys_seconds expiry{std::chrono::seconds(4102444800)};  // 2100-01-01

std::shared_ptr<jot::revocation_store> cached_memory_store() {
  return jot::revocation_cache::create(std::make_shared<jot::memory_revocation_store>(), 5s)
      .value();
}

// The cache's clock, moved by the test.
struct cache_clock {
  std::atomic<std::int64_t> milliseconds{0};
  jot::revocation_cache::clock_function function() {
    return [this] { return std::chrono::steady_clock::time_point(milliseconds.load() * 1ms); };
  }
};

// A cache with a 5 s max_staleness in front of a memory store that counts and can fail.
struct cached_setup {
  cache_clock clock;
  std::shared_ptr<jot::memory_revocation_store> memory =
      std::make_shared<jot::memory_revocation_store>();
  std::shared_ptr<jot_test::faulty_revocation_store> behind =
      std::make_shared<jot_test::faulty_revocation_store>(memory);
  std::shared_ptr<jot::revocation_cache> cache;

  explicit cached_setup(std::size_t capacity = jot::revocation_cache::default_capacity)
      : cache(jot::revocation_cache::create(behind, 5s, capacity, clock.function()).value()) {}
};

}  // namespace

JOT_STORE_CONTRACT_TEST("cached", "", "revocation store: a revoked jti reads as revoked",
                        revoked_jti_reads_as_revoked, cached_memory_store)
JOT_STORE_CONTRACT_TEST("cached", "", "revocation store: revoking twice keeps the jti revoked",
                        revoking_twice_keeps_the_jti_revoked, cached_memory_store)
JOT_STORE_CONTRACT_TEST("cached", "", "revocation store: holds many jtis",
                        revocation_holds_many_jtis, cached_memory_store)
JOT_STORE_CONTRACT_TEST("cached", "", "revocation store: refuses an empty jti",
                        revocation_refuses_an_empty_jti, cached_memory_store)

TEST_CASE("revocation_cache refuses what it cannot honour", "[stores][cache]") {
  const auto store = std::make_shared<jot::memory_revocation_store>();
  CHECK(jot::revocation_cache::create(nullptr, 5s).error() == jot::errc::invalid_argument);
  CHECK(jot::revocation_cache::create(store, 0ms).error() == jot::errc::invalid_argument);
  CHECK(jot::revocation_cache::create(store, -1ms).error() == jot::errc::invalid_argument);
  CHECK(jot::revocation_cache::create(store, 5min + 1ms).error() == jot::errc::invalid_argument);
  CHECK(jot::revocation_cache::create(store, 5s, 0).error() == jot::errc::invalid_argument);
  CHECK(jot::revocation_cache::create(store, 5min));
}

TEST_CASE("revocation_cache answers from memory for max_staleness, then asks again",
          "[stores][cache]") {
  cached_setup setup;
  CHECK(setup.cache->is_revoked("jti-1").value() == false);
  CHECK(setup.behind->calls == 1);
  setup.clock.milliseconds = 4999;
  CHECK(setup.cache->is_revoked("jti-1").value() == false);
  CHECK(setup.behind->calls == 1);  // remembered
  setup.clock.milliseconds = 5000;
  CHECK(setup.cache->is_revoked("jti-1").value() == false);
  CHECK(setup.behind->calls == 2);  // aged out: asked again
}

TEST_CASE("revocation_cache: another process's revocation is seen within max_staleness",
          "[stores][cache]") {
  // The documented trade-off: a revocation made behind the cache's back (by another process on
  // the same Redis) is not seen while a "not revoked" answer is fresh, and is once it has aged.
  cached_setup setup;
  CHECK(setup.cache->is_revoked("jti-1").value() == false);
  REQUIRE(setup.memory->revoke("jti-1", expiry));
  setup.clock.milliseconds = 4999;
  CHECK(setup.cache->is_revoked("jti-1").value() == false);
  setup.clock.milliseconds = 5000;
  CHECK(setup.cache->is_revoked("jti-1").value() == true);
}

TEST_CASE("revocation_cache: its own revocations are seen at once", "[stores][cache]") {
  cached_setup setup;
  CHECK(setup.cache->is_revoked("jti-1").value() == false);  // "not revoked" remembered
  REQUIRE(setup.cache->revoke("jti-1", expiry));
  const int calls = setup.behind->calls;
  CHECK(setup.cache->is_revoked("jti-1").value() == true);
  CHECK(setup.behind->calls == calls);  // from memory
  CHECK(setup.memory->is_revoked("jti-1").value() == true);
}

TEST_CASE("revocation_cache: a failed revocation is not remembered as one", "[stores][cache]") {
  cached_setup setup;
  setup.behind->fail_writes = true;
  CHECK(setup.cache->revoke("jti-1", expiry).error() == jot::errc::store_unavailable);
  setup.behind->fail_writes = false;
  CHECK(setup.cache->is_revoked("jti-1").value() == false);
  CHECK(setup.memory->is_revoked("jti-1").value() == false);
}

TEST_CASE("revocation_cache fails closed once its answer has aged", "[stores][cache]") {
  cached_setup setup;
  setup.behind->fail_reads = true;
  CHECK(setup.cache->is_revoked("jti-1").error() == jot::errc::store_unavailable);
  setup.behind->fail_reads = false;
  CHECK(setup.cache->is_revoked("jti-1").value() == false);
  setup.behind->fail_reads = true;
  setup.clock.milliseconds = 4999;
  CHECK(setup.cache->is_revoked("jti-1").value() == false);  // fresh: no need to ask
  setup.clock.milliseconds = 5000;
  CHECK(setup.cache->is_revoked("jti-1").error() == jot::errc::store_unavailable);
#ifndef JOT_NO_EXCEPTIONS
  setup.behind->throw_instead = true;
  setup.behind->fail_writes = true;
  CHECK(setup.cache->is_revoked("jti-2").error() == jot::errc::store_unavailable);
  CHECK(setup.cache->revoke("jti-2", expiry).error() == jot::errc::store_unavailable);
#endif
}

TEST_CASE("revocation_cache keeps a revocation that races with a read", "[stores][cache]") {
  // The store behind answers "not revoked", but before that answer is remembered the jti is
  // revoked through the cache (another thread, in real life): the older answer must not win.
  class racing_store final : public jot::revocation_store {
   public:
    jot::revocation_cache* cache = nullptr;
    jot::result<void> revoke(std::string_view, jot::sys_seconds) override { return {}; }
    jot::result<bool> is_revoked(std::string_view jti) override {
      if (cache != nullptr) CHECK(cache->revoke(jti, expiry));
      cache = nullptr;
      return false;
    }
  };
  const auto behind = std::make_shared<racing_store>();
  const auto cache = jot::revocation_cache::create(behind, 5s).value();
  behind->cache = cache.get();
  CHECK(cache->is_revoked("jti-1").value() == false);  // the store's answer, read before
  CHECK(cache->is_revoked("jti-1").value() == true);   // the revocation stays
}

TEST_CASE("revocation_cache is bounded and makes room as answers age", "[stores][cache]") {
  cached_setup setup(/*capacity=*/2);
  CHECK(setup.cache->is_revoked("a").value() == false);
  setup.clock.milliseconds = 1000;
  CHECK(setup.cache->is_revoked("b").value() == false);
  CHECK(setup.cache->is_revoked("c").value() == false);  // full: not remembered
  CHECK(setup.behind->calls == 3);
  CHECK(setup.cache->is_revoked("c").value() == false);
  CHECK(setup.behind->calls == 4);  // asked again
  CHECK(setup.cache->is_revoked("a").value() == false);
  CHECK(setup.behind->calls == 4);  // still remembered
  setup.clock.milliseconds = 5000;  // "a" has aged out, "b" has not
  CHECK(setup.cache->is_revoked("c").value() == false);
  CHECK(setup.behind->calls == 5);
  CHECK(setup.cache->is_revoked("c").value() == false);
  CHECK(setup.behind->calls == 5);  // remembered in the room "a" left
  CHECK(setup.cache->is_revoked("b").value() == false);
  CHECK(setup.behind->calls == 5);
}

TEST_CASE("a verifier with a revocation_cache rejects a token revoked through it",
          "[stores][cache]") {
  const auto key = jot::signing_key::generate(jot::algorithm::hs256).value();
  const auto memory = std::make_shared<jot::memory_revocation_store>();
  const auto cache = jot::revocation_cache::create(memory, 5s).value();
  const auto validator =
      jot::validator::builder{}.expect_that(jot::not_revoked(cache)).build().value();
  const auto verifier = jot::verifier::builder{}
                            .add_key(key.verification_key().value())
                            .validator(validator)
                            .build()
                            .value();
  const auto claims =
      jot::claims::builder{}.subject("alice").jwt_id("jti-1").expires_in(10min).build().value();
  const auto token = jot::encoder(key).sign(claims).value();
  CHECK(verifier.verify(token));
  REQUIRE(cache->revoke("jti-1", *claims.expires_at()));
  CHECK(verifier.verify(token).error() == jot::errc::token_revoked);
}

TEST_CASE("revocation_cache is safe to share between threads", "[stores][cache][threads]") {
  const auto memory = std::make_shared<jot::memory_revocation_store>();
  const auto cache = jot::revocation_cache::create(memory, 5s, /*capacity=*/64).value();
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string jti = "jti-" + std::to_string(t) + "-" + std::to_string(i);
        if (cache->is_revoked(jti).value_or(true)) ++wrong;
        if (!cache->revoke(jti, expiry)) ++wrong;
        if (!cache->is_revoked(jti).value_or(false)) ++wrong;
        if (!cache->is_revoked("jti-0-0").has_value()) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(memory->is_revoked("jti-3-199").value() == true);
}
