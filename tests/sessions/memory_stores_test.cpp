// The memory stores: the store contract (store_contract.hpp), then what only they promise:
// bounded memory (a full store refuses new entries and keeps every stored one, and purging
// ended entries makes room) and safe use from many threads at once. The [threads] tests run
// under ThreadSanitizer in tools/run-tests.sh, where a data race fails the run.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "catch.hpp"
#include "store_contract.hpp"

#include <jot/jot.hpp>
#include <jot/session.hpp>

using namespace std::chrono_literals;
using jot::refresh_verdict;
using jot::sys_seconds;
using jot_test::store_contract::family_of;
using jot_test::store_contract::is_active;
using jot_test::store_contract::verdict_of;

JOT_STORE_CONTRACT_TESTS(
    "memory", [] { return std::make_shared<jot::memory_revocation_store>(); },
    [] { return std::make_shared<jot::memory_token_version_store>(); },
    [] { return std::make_shared<jot::memory_refresh_family_store>(); })

namespace {

constexpr sys_seconds t0{std::chrono::seconds(1700000000)};

// The revocation store's clock, moved by the test.
struct test_clock {
  std::atomic<std::int64_t> seconds_after_t0{0};

  jot::memory_revocation_store::clock_function function() {
    return [this] {
      return std::chrono::system_clock::time_point(t0.time_since_epoch() +
                                                   std::chrono::seconds(seconds_after_t0.load()));
    };
  }
};

void check_revoked(jot::revocation_store& store, std::initializer_list<const char*> revoked,
                   std::initializer_list<const char*> not_revoked) {
  for (const char* jti : revoked) {
    INFO(jti);
    CHECK(store.is_revoked(jti).value());
  }
  for (const char* jti : not_revoked) {
    INFO(jti);
    CHECK_FALSE(store.is_revoked(jti).value());
  }
}

void start(jot::refresh_family_store& store, const jot::refresh_family& family) {
  jot_test::store_contract::start(store, family);
}

}  // namespace

TEST_CASE("a full memory revocation store refuses a new jti and keeps every stored one",
          "[stores][memory]") {
  test_clock clock;
  jot::memory_revocation_store store(3, clock.function());
  for (const char* jti : {"a", "b", "c"}) REQUIRE(store.revoke(jti, t0 + 100s));
  CHECK(store.revoke("d", t0 + 100s).error() == jot::errc::store_full);
  check_revoked(store, {"a", "b", "c"}, {"d"});
  // A jti already stored needs no room.
  CHECK(store.revoke("a", t0 + 200s).error() == std::error_code{});
  check_revoked(store, {"a", "b", "c"}, {"d"});

  jot::memory_revocation_store no_room(0, clock.function());
  CHECK(no_room.revoke("a", t0 + 100s).error() == jot::errc::store_full);
  CHECK_FALSE(no_room.is_revoked("a").value());
}

TEST_CASE("a full memory revocation store makes room once an entry is past exp and the margin",
          "[stores][memory]") {
  test_clock clock;
  jot::memory_revocation_store store(2, clock.function());
  REQUIRE(store.revoke("a", t0 + 10s));
  REQUIRE(store.revoke("b", t0 + 1000s));
  // Past a's exp but inside the largest clock skew a verifier may allow (600 s): a verifier with
  // that skew still accepts a's token, so its entry stays. Before the fix it was purged at exp.
  clock.seconds_after_t0 = 10;
  CHECK(store.revoke("c", t0 + 1000s).error() == jot::errc::store_full);
  clock.seconds_after_t0 = 609;
  CHECK(store.revoke("c", t0 + 1000s).error() == jot::errc::store_full);
  check_revoked(store, {"a", "b"}, {"c"});
  // Ended when now >= exp + margin, as jot's exp check with the largest skew.
  clock.seconds_after_t0 = 610;
  CHECK(store.revoke("c", t0 + 1000s).error() == std::error_code{});
  check_revoked(store, {"b", "c"}, {"a"});
}

TEST_CASE("a memory revocation store's retention margin is configurable", "[stores][memory]") {
  test_clock clock;
  jot::memory_revocation_store exact(1, clock.function(), 0s);
  REQUIRE(exact.revoke("a", t0 + 10s));
  clock.seconds_after_t0 = 9;
  CHECK(exact.revoke("b", t0 + 100s).error() == jot::errc::store_full);
  clock.seconds_after_t0 = 10;  // for verifiers that allow no skew, exp is the end
  CHECK(exact.revoke("b", t0 + 100s).error() == std::error_code{});
  check_revoked(exact, {"b"}, {"a"});

  jot::memory_revocation_store negative(1, clock.function(), -5s);  // counts as zero
  REQUIRE(negative.revoke("a", t0 + 10s));
  CHECK(negative.revoke("b", t0 + 100s).error() == std::error_code{});

  // A revocation written after exp, inside the margin, is kept for the rest of it.
  jot::memory_revocation_store skewed(1, clock.function(), 60s);
  clock.seconds_after_t0 = 30;
  REQUIRE(skewed.revoke("late", t0 + 10s));
  clock.seconds_after_t0 = 69;
  CHECK(skewed.revoke("b", t0 + 100s).error() == jot::errc::store_full);
  check_revoked(skewed, {"late"}, {"b"});
  clock.seconds_after_t0 = 70;
  CHECK(skewed.revoke("b", t0 + 100s).error() == std::error_code{});

  // A far expiry saturates instead of overflowing.
  jot::memory_revocation_store far(1, clock.function());
  REQUIRE(far.revoke("a", sys_seconds::max()));
  CHECK(far.revoke("b", t0).error() == jot::errc::store_full);
  CHECK(jot::default_revocation_margin == jot::validator::builder::max_clock_skew);
}

TEST_CASE("a memory revocation kept twice lasts until the later expiry", "[stores][memory]") {
  test_clock clock;
  jot::memory_revocation_store store(2, clock.function());
  REQUIRE(store.revoke("a", t0 + 10s));
  REQUIRE(store.revoke("a", t0 + 50s));
  REQUIRE(store.revoke("a", t0 + 5s));  // earlier: changes nothing
  REQUIRE(store.revoke("b", t0 + 1000s));
  clock.seconds_after_t0 = 610;
  CHECK(store.revoke("c", t0 + 1000s).error() == jot::errc::store_full);
  check_revoked(store, {"a", "b"}, {"c"});
  clock.seconds_after_t0 = 650;
  CHECK(store.revoke("c", t0 + 1000s).error() == std::error_code{});
  check_revoked(store, {"b", "c"}, {"a"});
}

#ifndef JOT_NO_EXCEPTIONS
TEST_CASE("a memory revocation store whose clock throws is unavailable, and loses nothing",
          "[stores][memory]") {
  jot::memory_revocation_store store(1, []() -> std::chrono::system_clock::time_point {
    throw std::runtime_error("clock broken");
  });
  REQUIRE(store.revoke("a", t0 + 100s));  // room left: the clock is not asked
  CHECK(store.revoke("b", t0 + 100s).error() == jot::errc::store_unavailable);
  check_revoked(store, {"a"}, {"b"});
}
#endif

TEST_CASE("a full memory version store still bumps the subjects it knows", "[stores][memory]") {
  jot::memory_token_version_store store(2);
  CHECK(store.bump("alice").value() == 1u);
  CHECK(store.bump("bob").value() == 1u);
  CHECK(store.bump("carol").error() == jot::errc::store_full);
  CHECK(store.current("carol").value() == 0u);
  CHECK(store.bump("alice").value() == 2u);
  CHECK(store.bump("bob").value() == 2u);
  CHECK(store.bump("alice").value() == 3u);
  CHECK(store.bump("carol").error() == jot::errc::store_full);
  CHECK(store.current("alice").value() == 3u);
  CHECK(store.current("bob").value() == 2u);
  CHECK(store.current("carol").value() == 0u);
}

TEST_CASE("a full memory family store refuses a new family and keeps every stored one",
          "[stores][memory]") {
  jot::memory_refresh_family_store store(2);
  auto short_lived = family_of("short", t0, 10s);
  short_lived.expires_at = t0 + 100s;
  start(store, short_lived);
  start(store, family_of("long", t0, 10s));
  CHECK(verdict_of(store, "long", "t0", t0 + 1s) == refresh_verdict::rotated);

  // At t0 + 99 s no family has ended.
  CHECK(store.start(family_of("new", t0 + 99s)).error() == jot::errc::store_full);
  CHECK(is_active(store, "short", t0 + 99s));
  CHECK(is_active(store, "long", t0 + 99s));
  CHECK_FALSE(is_active(store, "new", t0 + 99s));
  // The rotated family still knows its current token and its replayable previous one.
  CHECK(verdict_of(store, "long", "t0", t0 + 2s) == refresh_verdict::replayed);
  CHECK(verdict_of(store, "long", "t0-next", t0 + 99s) == refresh_verdict::rotated);

  // At t0 + 100 s "short" has ended and is purged to make room.
  CHECK(store.start(family_of("new", t0 + 100s)).error() == std::error_code{});
  CHECK(verdict_of(store, "short", "t0", t0 + 100s) == refresh_verdict::revoked);
  CHECK(is_active(store, "long", t0 + 100s));
  CHECK(is_active(store, "new", t0 + 100s));
}

TEST_CASE("a full memory family store purges a family that has been idle too long",
          "[stores][memory]") {
  jot::memory_refresh_family_store store(1);
  auto idle = family_of("idle", t0);
  idle.idle_timeout = 10s;
  start(store, idle);
  CHECK(verdict_of(store, "idle", "t0", t0 + 5s) == refresh_verdict::rotated);
  // The rotation at t0 + 5 s moved its end from t0 + 10 s to t0 + 15 s.
  CHECK(store.start(family_of("new", t0 + 10s)).error() == jot::errc::store_full);
  CHECK(store.start(family_of("new", t0 + 14s)).error() == jot::errc::store_full);
  CHECK(is_active(store, "idle", t0 + 14s));
  CHECK(store.start(family_of("new", t0 + 15s)).error() == std::error_code{});
  CHECK(verdict_of(store, "idle", "t0-next", t0 + 15s) == refresh_verdict::revoked);
}

TEST_CASE("a full memory family store purges revoked families but never a live one",
          "[stores][memory]") {
  jot::memory_refresh_family_store store(3);
  start(store, family_of("logged-out", t0));
  start(store, family_of("reused", t0));
  start(store, family_of("live", t0));
  REQUIRE(store.revoke("logged-out"));
  CHECK(verdict_of(store, "reused", "t0", t0 + 1s) == refresh_verdict::rotated);
  CHECK(verdict_of(store, "reused", "t0", t0 + 2s) == refresh_verdict::reused);
  CHECK(verdict_of(store, "reused", "t0-next", t0 + 3s) == refresh_verdict::revoked);

  // No family has ended (each lives an hour), but two are revoked: a new login takes their room.
  // Before the fix, revoked families kept their places until they ended: store_full.
  CHECK(store.start(family_of("new", t0 + 10s)).error() == std::error_code{});
  CHECK(store.start(family_of("newer", t0 + 10s)).error() == std::error_code{});
  // The purged families read as unknown: every token of them is still refused, none rotates.
  CHECK(verdict_of(store, "logged-out", "t0", t0 + 10s) == refresh_verdict::revoked);
  CHECK(verdict_of(store, "reused", "t0-next", t0 + 10s) == refresh_verdict::revoked);
  CHECK(verdict_of(store, "reused", "t0", t0 + 10s) == refresh_verdict::revoked);
  CHECK_FALSE(is_active(store, "logged-out", t0 + 10s));
  CHECK_FALSE(is_active(store, "reused", t0 + 10s));

  // Full of live families: a new one is refused, and every live one keeps its place and token.
  CHECK(store.start(family_of("newest", t0 + 20s)).error() == jot::errc::store_full);
  CHECK_FALSE(is_active(store, "newest", t0 + 20s));
  for (const char* live : {"live", "new", "newer"}) {
    INFO(live);
    CHECK(is_active(store, live, t0 + 20s));
    CHECK(verdict_of(store, live, "t0", t0 + 20s) == refresh_verdict::rotated);
  }
}

TEST_CASE("a memory family store full of revoked families accepts a new one", "[stores][memory]") {
  jot::memory_refresh_family_store store(2);
  for (const char* id : {"a", "b"}) {
    start(store, family_of(id, t0));
    REQUIRE(store.revoke(id));
  }
  CHECK(store.start(family_of("new", t0 + 1s)).error() == std::error_code{});
  CHECK(is_active(store, "new", t0 + 1s));
  CHECK(verdict_of(store, "a", "t0", t0 + 1s) == refresh_verdict::revoked);
  CHECK(verdict_of(store, "b", "t0", t0 + 1s) == refresh_verdict::revoked);
}

TEST_CASE("the memory stores find ids of every length, one lookup after another",
          "[stores][memory]") {
  // The blocklist and the family store hash their ids and copy an id of up to
  // detail::find_id_buffer characters into a buffer of the thread (find_id.hpp), a longer one into
  // a string of its own: ids on both sides of that length, and prefixes of each other, must each
  // find their own entry only.
  const std::size_t buffered = jot::detail::find_id_buffer;
  const std::string longest(3 * buffered, 'i');
  const std::vector<std::string> ids = {"i", std::string(buffered - 1, 'i'),
                                        std::string(buffered, 'i'), std::string(buffered + 1, 'i'),
                                        longest};
  jot::memory_revocation_store revocations;
  jot::memory_refresh_family_store families;
  for (std::size_t stored = 0; stored < ids.size(); stored += 2) {
    REQUIRE(revocations.revoke(ids[stored], t0 + 1h));
    start(families, family_of(ids[stored], t0));
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t looked_up = 0; looked_up < ids.size(); ++looked_up) {
      INFO("id of " << ids[looked_up].size() << " characters, pass " << pass);
      const bool stored = looked_up % 2 == 0;
      CHECK(revocations.is_revoked(ids[looked_up]).value() == stored);
      CHECK(is_active(families, ids[looked_up], t0 + 1s) == stored);
    }
  }
  CHECK(verdict_of(families, longest, "t0", t0 + 1s) == refresh_verdict::rotated);
  REQUIRE(families.revoke(longest));
  CHECK_FALSE(is_active(families, longest, t0 + 1s));
  CHECK(is_active(families, "i", t0 + 1s));
}

TEST_CASE("threads revoke, bump, rotate and read the memory stores at once",
          "[stores][memory][threads]") {
  // Per store two writers and a reader, all at once, each thread using its one store alone: a
  // reader is ordered after a writer by that store's lock only, so ThreadSanitizer reports any
  // access the lock does not cover.
  const auto revocations = std::make_shared<jot::memory_revocation_store>();
  const auto versions = std::make_shared<jot::memory_token_version_store>();
  const auto families = std::make_shared<jot::memory_refresh_family_store>();
  constexpr int writers = 2, rounds = 200;
  const auto name = [](const char* kind, int writer, int round) {
    return std::string(kind) + "-" + std::to_string(writer) + "-" + std::to_string(round);
  };
  const auto token = [&name](int writer, int round) {
    return round == 0 ? std::string("t0") : name("token", writer, round);
  };
  for (int w = 0; w < writers; ++w) {
    auto family = family_of(name("family", w, 0), t0, 10s);
    family.idle_timeout = 30min;  // so that is_active reads the time of the last rotation
    start(*families, family);
  }

  std::atomic<int> wrong{0};
  const auto expect = [&wrong](bool ok) {
    if (!ok) ++wrong;
  };
  std::uint64_t last_version_read = 0;  // the version store's reader's alone
  using step = std::function<void(int writer, int round)>;
  // Per store, what a writer and what the reader do in one round.
  const step steps[][2] = {
      {[&](int w, int i) { expect(bool(revocations->revoke(name("jti", w, i), t0 + 1h))); },
       [&](int, int i) {
         // A writer's jti may or may not be there yet: either answer is right.
         for (int w = 0; w < writers; ++w) expect(bool(revocations->is_revoked(name("jti", w, i))));
       }},
      {[&](int, int) { expect(bool(versions->bump("everyone"))); },
       [&](int, int) {
         const auto version = versions->current("everyone");
         expect(version && *version >= last_version_read);
         if (version) last_version_read = *version;
       }},
      {[&](int w, int i) {
         const auto consumed =
             families->consume(name("family", w, 0), token(w, i), {token(w, i + 1), "{}", {}},
                               t0 + std::chrono::seconds(i));
         expect(consumed && consumed->verdict == refresh_verdict::rotated &&
                consumed->successor.id == token(w, i + 1));
       },
       [&](int, int i) {
         for (int w = 0; w < writers; ++w) {
           expect(families->is_active(name("family", w, 0), t0 + std::chrono::seconds(i))
                      .value_or(false));
         }
       }},
  };
  constexpr int threads_per_store = writers + 1;
  jot_test::store_contract::race(3 * threads_per_store, [&](int thread) {
    const int store = thread / threads_per_store, role = thread % threads_per_store;
    const step& each_round = steps[store][role < writers ? 0 : 1];
    for (int i = 0; i < rounds; ++i) each_round(role, i);
  });

  CHECK(wrong == 0);
  CHECK(versions->current("everyone").value() == std::uint64_t{writers * rounds});
  for (int w = 0; w < writers; ++w) {
    INFO("writer " << w);
    for (int i = 0; i < rounds; ++i) CHECK(revocations->is_revoked(name("jti", w, i)).value());
    CHECK(verdict_of(*families, name("family", w, 0), token(w, rounds),
                     t0 + std::chrono::seconds(rounds)) == refresh_verdict::rotated);
  }
}

TEST_CASE("an empty memory store's first revocation or bump is seen by every later read",
          "[stores][memory][threads]") {
  // An empty blocklist or version store answers without its lock (memory_stores.hpp): a read
  // that starts after the first write has returned must still find it. Readers poll while a writer
  // revokes and bumps; once a reader has seen the writer's flag, its next reads must see both.
  constexpr int readers = 3, rounds = 100;
  std::atomic<int> wrong{0};
  for (int round = 0; round < rounds; ++round) {
    jot::memory_revocation_store revocations;
    jot::memory_token_version_store versions;
    std::atomic<bool> written{false};
    jot_test::store_contract::race(1 + readers, [&](int thread) {
      if (thread == 0) {
        const bool done = revocations.revoke("jti", t0 + 1h) && versions.bump("subject");
        if (!done) ++wrong;
        written.store(true, std::memory_order_release);
        return;
      }
      for (bool after = false; !after;) {
        after = written.load(std::memory_order_acquire);
        const auto revoked = revocations.is_revoked("jti");
        const auto version = versions.current("subject");
        if (!revoked || !version) ++wrong;
        if (after && !(revoked.value_or(false) && version.value_or(0) == 1)) ++wrong;
      }
    });
  }
  CHECK(wrong == 0);
}
