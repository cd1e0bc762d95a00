#pragma once

// The contract of the session stores (include/jot/session/stores.hpp) as one suite that every
// implementation runs unchanged:
//
//   JOT_STORE_CONTRACT_TESTS("memory", make_revocation_store, make_version_store,
//                            make_family_store)
//
// The first argument is a string literal naming the implementation; it starts every test name
// and becomes a tag. Each make_* is a callable taking no arguments (a function or a lambda
// written in place) that returns a std::shared_ptr to a fresh, empty store of its kind; a test
// may call it several times and expects no store to see another's entries (a networked store
// gives each call its own key prefix). The tests tagged [threads] race 16 threads on one store.
//
// A networked store keeps real time, cannot have its clock injected and purges when it likes, so
// the suite never depends on a store's own clock or on purging: every time a family operation
// takes is an explicit argument, near the real present (a store may let a family's records
// expire in real time at its expires_at), and revocations expire an hour from now.
// The rules of consume() that the family tests check are stated in stores.hpp, at
// refresh_family_store::consume().

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "catch.hpp"

#include <jot/jot.hpp>
#include <jot/session.hpp>

namespace Catch {
template <>
struct StringMaker<jot::refresh_verdict> {
  static std::string convert(jot::refresh_verdict verdict) {
    switch (verdict) {
      case jot::refresh_verdict::rotated:
        return "rotated";
      case jot::refresh_verdict::replayed:
        return "replayed";
      case jot::refresh_verdict::reused:
        return "reused";
      case jot::refresh_verdict::revoked:
        return "revoked";
      case jot::refresh_verdict::expired:
        return "expired";
      case jot::refresh_verdict::key_mismatch:
        return "key_mismatch";
    }
    return "refresh_verdict(" + std::to_string(static_cast<int>(verdict)) + ")";
  }
};
}  // namespace Catch

namespace jot_test::store_contract {

using namespace std::chrono_literals;
using jot::refresh_verdict;
using jot::sys_seconds;

constexpr int racing_threads = 16;

inline sys_seconds real_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A family of one hour started at `created_at`, whose first token is "t0".
inline jot::refresh_family family_of(std::string id, sys_seconds created_at,
                                     std::chrono::seconds reuse_interval = 0s) {
  jot::refresh_family family;
  family.id = std::move(id);
  family.subject = "user-1";
  family.token_id = "t0";
  family.created_at = created_at;
  family.expires_at = created_at + 1h;
  family.reuse_interval = reuse_interval;
  return family;
}

inline void start(jot::refresh_family_store& store, const jot::refresh_family& family) {
  REQUIRE(store.start(family).error() == std::error_code{});
}

// The claims the tests hand out with successor `id`: each successor its own, so that a replay
// that answered with another successor's claims shows.
inline std::string claims_of(std::string_view id) {
  return "{\"successor\":\"" + std::string(id) + "\"}";
}

// The successor `id`, with its claims.
inline jot::refresh_successor successor_named(std::string_view id) {
  return {std::string(id), claims_of(id), {}};
}

// Presents `token` to family `family_id` at `now`; a store error fails the test.
inline jot::refresh_consumption consume(jot::refresh_family_store& store,
                                        std::string_view family_id, std::string_view token,
                                        std::string_view successor, sys_seconds now) {
  auto consumed = store.consume(family_id, token, successor_named(successor), now);
  REQUIRE(consumed.error() == std::error_code{});
  return std::move(*consumed);
}

inline refresh_verdict verdict_of(jot::refresh_family_store& store, std::string_view family_id,
                                  std::string_view token, sys_seconds now) {
  return consume(store, family_id, token, std::string(token) + "-next", now).verdict;
}

inline bool is_active(jot::refresh_family_store& store, std::string_view family_id,
                      sys_seconds now) {
  const auto active = store.is_active(family_id, now);
  REQUIRE(active.error() == std::error_code{});
  return *active;
}

// A consumption that hands out `successor` with its claims, issued at `issued_at`.
inline void check_handed_out(const jot::refresh_consumption& consumed, refresh_verdict verdict,
                             std::string_view successor, sys_seconds issued_at) {
  CHECK(consumed.verdict == verdict);
  CHECK(consumed.successor.id == successor);
  CHECK(consumed.successor.claims == claims_of(successor));
  CHECK(consumed.successor.issued_at == issued_at);
}

// Runs attempt(0) .. attempt(threads - 1) on as many threads, released together once all are
// running, so that they really race. `attempt` must not use Catch's assertions (not thread-safe
// in Catch2 v2): it stores what it got, and the test checks after the join.
template <typename Attempt>
void race(int threads, const Attempt& attempt) {
  std::atomic<int> ready{0};
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&ready, &attempt, threads, i] {
      ++ready;
      while (ready.load() < threads) std::this_thread::yield();
      attempt(i);
    });
  }
  for (auto& thread : pool) thread.join();
}

// Revocation.

template <typename MakeStore>
void revoked_jti_reads_as_revoked(const MakeStore& make) {
  const std::shared_ptr<jot::revocation_store> store = make();
  const sys_seconds expiry = real_now() + 1h;
  CHECK_FALSE(store->is_revoked("jti-1").value());
  REQUIRE(store->revoke("jti-1", expiry).error() == std::error_code{});
  CHECK(store->is_revoked("jti-1").value());
  // Only the exact id: no prefix, case folding or trimming.
  for (const char* other : {"jti-", "jti-10", "JTI-1", "jti-1 ", " jti-1", "jti-2"}) {
    INFO(other);
    CHECK_FALSE(store->is_revoked(other).value());
  }
  const std::string non_ascii = "jti-\xC3\xBC-\xE2\x82\xAC";
  REQUIRE(store->revoke(non_ascii, expiry).error() == std::error_code{});
  CHECK(store->is_revoked(non_ascii).value());
  CHECK_FALSE(store->is_revoked("jti-\xC3\xBC").value());
}

template <typename MakeStore>
void revoking_twice_keeps_the_jti_revoked(const MakeStore& make) {
  const std::shared_ptr<jot::revocation_store> store = make();
  const sys_seconds expiry = real_now() + 1h;
  REQUIRE(store->revoke("jti-1", expiry).error() == std::error_code{});
  CHECK(store->revoke("jti-1", expiry).error() == std::error_code{});
  CHECK(store->revoke("jti-1", expiry - 30min).error() == std::error_code{});
  CHECK(store->revoke("jti-1", expiry + 30min).error() == std::error_code{});
  CHECK(store->is_revoked("jti-1").value());
}

template <typename MakeStore>
void revocation_holds_many_jtis(const MakeStore& make) {
  const std::shared_ptr<jot::revocation_store> store = make();
  const sys_seconds expiry = real_now() + 1h;
  constexpr int count = 500;
  for (int i = 0; i < count; ++i) {
    REQUIRE(store->revoke("revoked-" + std::to_string(i), expiry).error() == std::error_code{});
  }
  int revoked = 0, kept = 0;
  for (int i = 0; i < count; ++i) {
    if (store->is_revoked("revoked-" + std::to_string(i)).value()) ++revoked;
    if (!store->is_revoked("kept-" + std::to_string(i)).value()) ++kept;
  }
  CHECK(revoked == count);
  CHECK(kept == count);
}

template <typename MakeStore>
void revocation_refuses_an_empty_jti(const MakeStore& make) {
  const std::shared_ptr<jot::revocation_store> store = make();
  CHECK(store->revoke("", real_now() + 1h).error() == jot::errc::invalid_argument);
  CHECK_FALSE(store->is_revoked("").value());
}

// Token versions.

template <typename MakeStore>
void versions_count_the_bumps_of_each_subject(const MakeStore& make) {
  const std::shared_ptr<jot::token_version_store> store = make();
  CHECK(store->current("alice").value() == 0u);
  CHECK(store->bump("alice").value() == 1u);
  CHECK(store->bump("alice").value() == 2u);
  CHECK(store->bump("alice").value() == 3u);
  CHECK(store->current("alice").value() == 3u);
  CHECK(store->bump("bob").value() == 1u);
  CHECK(store->current("bob").value() == 1u);
  CHECK(store->current("alice").value() == 3u);
  for (const char* other : {"Alice", "alice ", "alic", "alice2"}) {
    INFO(other);
    CHECK(store->current(other).value() == 0u);
  }
  CHECK(store->bump("").error() == jot::errc::invalid_argument);
  CHECK(store->current("").value() == 0u);
}

template <typename MakeStore>
void concurrent_bumps_are_each_counted_once(const MakeStore& make) {
  const std::shared_ptr<jot::token_version_store> store = make();
  constexpr int bumps_per_thread = 50;
  std::vector<std::vector<std::uint64_t>> returned(racing_threads);
  std::atomic<int> failures{0};
  race(racing_threads, [&](int thread) {
    for (int i = 0; i < bumps_per_thread; ++i) {
      const auto version = store->bump("alice");
      if (version) {
        returned[static_cast<std::size_t>(thread)].push_back(*version);
      } else {
        ++failures;
      }
    }
  });
  CHECK(failures == 0);
  std::vector<std::uint64_t> all;
  for (const auto& values : returned) all.insert(all.end(), values.begin(), values.end());
  std::sort(all.begin(), all.end());
  // Every bump returned its own value, and together they are exactly 1 .. 16 * N.
  std::vector<std::uint64_t> expected(racing_threads * bumps_per_thread);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = i + 1;
  CHECK(all == expected);
  CHECK(store->current("alice").value() == expected.size());
}

// Refresh families.

template <typename MakeStore>
void families_rotate_along_a_chain(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  const auto family = family_of("family-1", t0);
  start(*store, family);
  CHECK(is_active(*store, "family-1", t0));
  std::string current = family.token_id;
  for (int i = 1; i <= 5; ++i) {
    INFO("rotation " << i);
    const std::string successor = "t" + std::to_string(i);
    const sys_seconds now = t0 + std::chrono::minutes(i);
    check_handed_out(consume(*store, "family-1", current, successor, now), refresh_verdict::rotated,
                     successor, now);
    CHECK(is_active(*store, "family-1", now));
    current = successor;
  }
}

template <typename MakeStore>
void start_refuses_an_existing_id(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  start(*store, family_of("family-1", t0));
  auto again = family_of("family-1", t0 + 1s);
  again.token_id = "other-t0";
  CHECK(store->start(again).error() == jot::errc::invalid_argument);
  // The family stored first is untouched.
  CHECK(verdict_of(*store, "family-1", "t0", t0 + 2s) == refresh_verdict::rotated);
}

template <typename MakeStore>
void start_consume_and_revoke_check_their_arguments(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  struct bad_family {
    const char* name;
    void (*spoil)(jot::refresh_family&);
  };
  const bad_family bad_families[] = {
      {"empty id", [](jot::refresh_family& f) { f.id.clear(); }},
      {"empty token id", [](jot::refresh_family& f) { f.token_id.clear(); }},
      {"expires when created", [](jot::refresh_family& f) { f.expires_at = f.created_at; }},
      {"expires before created", [](jot::refresh_family& f) { f.expires_at = f.created_at - 1s; }},
      {"negative idle timeout", [](jot::refresh_family& f) { f.idle_timeout = -1s; }},
      {"negative reuse interval", [](jot::refresh_family& f) { f.reuse_interval = -1s; }},
      {"reuse interval over 60 s", [](jot::refresh_family& f) { f.reuse_interval = 61s; }},
      {"key of 42 characters",
       [](jot::refresh_family& f) { f.key_thumbprint = std::string(42, 'A'); }},
      {"key with a non-base64url character",
       [](jot::refresh_family& f) { f.key_thumbprint = std::string(42, 'A') + "+"; }},
  };
  for (const auto& bad : bad_families) {
    INFO(bad.name);
    auto family = family_of("family-bad", t0);
    bad.spoil(family);
    CHECK(store->start(family).error() == jot::errc::invalid_argument);
    CHECK_FALSE(is_active(*store, family.id, t0));
  }
  // The limits themselves are valid.
  auto longest_replay = family_of("family-60s", t0, 60s);
  longest_replay.expires_at = t0 + 1s;
  CHECK(store->start(longest_replay).error() == std::error_code{});

  start(*store, family_of("family-1", t0));
  CHECK(store->consume("", "t0", successor_named("t1"), t0).error() == jot::errc::invalid_argument);
  CHECK(store->consume("family-1", "", successor_named("t1"), t0).error() ==
        jot::errc::invalid_argument);
  CHECK(store->consume("family-1", "t0", successor_named(""), t0).error() ==
        jot::errc::invalid_argument);
  CHECK(store->consume("family-1", "t0", successor_named("t0"), t0).error() ==
        jot::errc::invalid_argument);
  auto badly_keyed = successor_named("t1");
  badly_keyed.key_thumbprint = "not a thumbprint";
  CHECK(store->consume("family-1", "t0", badly_keyed, t0).error() == jot::errc::invalid_argument);
  CHECK(store->revoke("").error() == jot::errc::invalid_argument);
  // None of the refused calls consumed or ended anything.
  CHECK(verdict_of(*store, "family-1", "t0", t0) == refresh_verdict::rotated);
}

// Two DPoP key thumbprints (43 base64url characters).
inline const std::string key_a = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
inline const std::string key_b = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

inline jot::refresh_successor successor_with_key(std::string_view id, const std::string& key) {
  auto successor = successor_named(id);
  successor.key_thumbprint = key;
  return successor;
}

// Rule 3: a bound family rotates and replays with its key only; any other presentation (another
// key, none) revokes it, and an unbound family refuses a key the same way.
template <typename MakeStore>
void a_bound_family_takes_only_its_key(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  auto bound = family_of("family-bound", t0, 10s);
  bound.key_thumbprint = key_a;
  start(*store, bound);
  auto rotated = store->consume("family-bound", "t0", successor_with_key("t1", key_a), t0);
  REQUIRE(rotated.error() == std::error_code{});
  check_handed_out(*rotated, refresh_verdict::rotated, "t1", t0);
  CHECK(rotated->successor.key_thumbprint == key_a);
  // A retry with the key inside the reuse interval: the same successor, bound to the same key.
  auto replayed = store->consume("family-bound", "t0", successor_with_key("t1-retry", key_a), t0);
  REQUIRE(replayed.error() == std::error_code{});
  check_handed_out(*replayed, refresh_verdict::replayed, "t1", t0);
  CHECK(replayed->successor.key_thumbprint == key_a);

  for (const std::string& other : {key_b, std::string()}) {
    auto family = family_of("family-" + std::to_string(other.size()), t0, 10s);
    family.key_thumbprint = key_a;
    start(*store, family);
    INFO("presented with " << (other.empty() ? "no key" : "another key"));
    // The current token, with the wrong key: refused, and the family ends (theft).
    auto taken = store->consume(family.id, "t0", successor_with_key("t1", other), t0);
    REQUIRE(taken.error() == std::error_code{});
    CHECK(taken->verdict == refresh_verdict::key_mismatch);
    CHECK_FALSE(is_active(*store, family.id, t0));
    // The owner, with the key, finds the session ended.
    auto owner = store->consume(family.id, "t0", successor_with_key("t2", key_a), t0);
    REQUIRE(owner.error() == std::error_code{});
    CHECK(owner->verdict == refresh_verdict::revoked);
  }

  // A replay inside the interval with another key is a mismatch too.
  auto replay_bound = family_of("family-replay", t0, 10s);
  replay_bound.key_thumbprint = key_a;
  start(*store, replay_bound);
  REQUIRE(
      store->consume("family-replay", "t0", successor_with_key("t1", key_a), t0).value().verdict ==
      refresh_verdict::rotated);
  CHECK(store->consume("family-replay", "t0", successor_with_key("t1-x", key_b), t0 + 1s)
            .value()
            .verdict == refresh_verdict::key_mismatch);
  CHECK_FALSE(is_active(*store, "family-replay", t0 + 1s));

  // An unbound family presented with a key: refused and ended, never bound afterwards.
  start(*store, family_of("family-unbound", t0));
  CHECK(
      store->consume("family-unbound", "t0", successor_with_key("t1", key_a), t0).value().verdict ==
      refresh_verdict::key_mismatch);
  CHECK_FALSE(is_active(*store, "family-unbound", t0));
}

template <typename MakeStore>
void reuse_without_interval_revokes_the_family(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  start(*store, family_of("family-1", t0));
  CHECK(verdict_of(*store, "family-1", "t0", t0) == refresh_verdict::rotated);  // t0 -> t0-next
  // Even in the same second: with no reuse interval, a consumed token is never taken again.
  CHECK(verdict_of(*store, "family-1", "t0", t0) == refresh_verdict::reused);
  CHECK(verdict_of(*store, "family-1", "t0-next", t0 + 1s) == refresh_verdict::revoked);
  CHECK_FALSE(is_active(*store, "family-1", t0 + 1s));
}

template <typename MakeStore>
void previous_token_inside_the_interval_is_replayed(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  const auto family = family_of("family-1", t0, 10s);
  start(*store, family);
  const sys_seconds rotated_at = t0 + 5s;
  check_handed_out(consume(*store, "family-1", "t0", "t1", rotated_at), refresh_verdict::rotated,
                   "t1", rotated_at);
  // Every retry inside the interval (a client retrying after timeouts may send several) gets the
  // successor and the claims the rotation handed out, not those it offers itself.
  for (int retry = 0; retry < 3; ++retry) {
    check_handed_out(consume(*store, "family-1", "t0", "t1-retry", rotated_at + 9s),
                     refresh_verdict::replayed, "t1", rotated_at);
  }
  CHECK(is_active(*store, "family-1", rotated_at + 9s));
  // The interval's first second after it: the retry is a reuse, and ends the family.
  CHECK(verdict_of(*store, "family-1", "t0", rotated_at + 10s) == refresh_verdict::reused);
  CHECK(verdict_of(*store, "family-1", "t1", rotated_at + 10s) == refresh_verdict::revoked);
  CHECK(verdict_of(*store, "family-1", "t1-retry", rotated_at + 10s) == refresh_verdict::reused);
  CHECK_FALSE(is_active(*store, "family-1", rotated_at + 10s));
}

template <typename MakeStore>
void a_replay_leaves_the_successor_current(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  const auto family = family_of("family-1", t0, 10s);
  start(*store, family);
  CHECK(verdict_of(*store, "family-1", "t0", t0) == refresh_verdict::rotated);
  CHECK(verdict_of(*store, "family-1", "t0", t0 + 1s) == refresh_verdict::replayed);
  check_handed_out(consume(*store, "family-1", "t0-next", "t2", t0 + 2s), refresh_verdict::rotated,
                   "t2", t0 + 2s);
  CHECK(is_active(*store, "family-1", t0 + 2s));
}

template <typename MakeStore>
void the_reuse_interval_ends_when_it_has_passed(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  for (const auto after : {10s, 11s, 59s}) {
    const std::string id = "family-" + std::to_string(after.count());
    INFO(id);
    start(*store, family_of(id, t0, 10s));
    CHECK(verdict_of(*store, id, "t0", t0) == refresh_verdict::rotated);
    CHECK(verdict_of(*store, id, "t0", t0 + after) == refresh_verdict::reused);
    CHECK_FALSE(is_active(*store, id, t0 + after));
  }
  // A caller whose clock lags the one that rotated is still inside the interval.
  start(*store, family_of("family-lagging", t0, 10s));
  CHECK(verdict_of(*store, "family-lagging", "t0", t0 + 5s) == refresh_verdict::rotated);
  CHECK(verdict_of(*store, "family-lagging", "t0", t0 + 3s) == refresh_verdict::replayed);
}

template <typename MakeStore>
void only_the_previous_token_can_be_replayed(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  start(*store, family_of("two-back", t0, 10s));
  CHECK(verdict_of(*store, "two-back", "t0", t0) == refresh_verdict::rotated);
  CHECK(verdict_of(*store, "two-back", "t0-next", t0 + 1s) == refresh_verdict::rotated);
  CHECK(verdict_of(*store, "two-back", "t0", t0 + 2s) == refresh_verdict::reused);
  CHECK(verdict_of(*store, "two-back", "t0-next-next", t0 + 2s) == refresh_verdict::revoked);

  // A token id the family never issued is as much a leak as one consumed before.
  start(*store, family_of("never-issued", t0, 10s));
  CHECK(verdict_of(*store, "never-issued", "t9", t0) == refresh_verdict::reused);
  CHECK(verdict_of(*store, "never-issued", "t0", t0) == refresh_verdict::revoked);
  CHECK_FALSE(is_active(*store, "never-issued", t0));
}

template <typename MakeStore>
void families_expire_at_their_absolute_lifetime(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  const auto family = family_of("family-1", t0, 10s);
  start(*store, family);
  const sys_seconds last_second = family.expires_at - 1s;
  CHECK(verdict_of(*store, "family-1", "t0", last_second) == refresh_verdict::rotated);
  CHECK(is_active(*store, "family-1", last_second));
  // Rotating did not extend the lifetime; at expires_at neither the successor nor a replay work.
  CHECK_FALSE(is_active(*store, "family-1", family.expires_at));
  CHECK(verdict_of(*store, "family-1", "t0", family.expires_at) == refresh_verdict::expired);
  CHECK(verdict_of(*store, "family-1", "t0-next", family.expires_at) == refresh_verdict::expired);
  CHECK(verdict_of(*store, "family-1", "t0-next", family.expires_at + 1h) ==
        refresh_verdict::expired);
}

template <typename MakeStore>
void families_expire_when_idle(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  auto family = family_of("family-1", t0);
  family.idle_timeout = 5min;
  start(*store, family);
  // Idle from the start until the first rotation, then from each rotation.
  CHECK(is_active(*store, "family-1", t0 + 5min - 1s));
  CHECK_FALSE(is_active(*store, "family-1", t0 + 5min));
  CHECK(verdict_of(*store, "family-1", "t0", t0 + 5min - 1s) == refresh_verdict::rotated);
  const sys_seconds rotated_at = t0 + 5min - 1s;
  CHECK(is_active(*store, "family-1", rotated_at + 5min - 1s));
  CHECK_FALSE(is_active(*store, "family-1", rotated_at + 5min));
  CHECK(verdict_of(*store, "family-1", "t0-next", rotated_at + 5min) == refresh_verdict::expired);

  auto unused = family_of("family-unused", t0);
  unused.idle_timeout = 5min;
  start(*store, unused);
  CHECK(verdict_of(*store, "family-unused", "t0", t0 + 5min) == refresh_verdict::expired);

  // An idle timeout longer than the lifetime leaves the lifetime in charge.
  auto long_idle = family_of("family-long-idle", t0);
  long_idle.idle_timeout = 2h;
  start(*store, long_idle);
  CHECK(is_active(*store, "family-long-idle", long_idle.expires_at - 1s));
  CHECK(verdict_of(*store, "family-long-idle", "t0", long_idle.expires_at) ==
        refresh_verdict::expired);
}

template <typename MakeStore>
void an_unknown_family_is_revoked(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  CHECK(verdict_of(*store, "no-such-family", "t0", t0) == refresh_verdict::revoked);
  CHECK_FALSE(is_active(*store, "no-such-family", t0));
  CHECK(store->revoke("no-such-family").error() == std::error_code{});
  CHECK_FALSE(is_active(*store, "no-such-family", t0));
}

template <typename MakeStore>
void a_revoked_family_refuses_its_tokens(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const sys_seconds t0 = real_now();
  start(*store, family_of("family-1", t0, 10s));
  start(*store, family_of("family-2", t0, 10s));
  CHECK(verdict_of(*store, "family-1", "t0", t0) == refresh_verdict::rotated);
  REQUIRE(store->revoke("family-1").error() == std::error_code{});
  CHECK(verdict_of(*store, "family-1", "t0-next", t0 + 1s) == refresh_verdict::revoked);
  // No replay out of a revoked family: the token consumed last is reused like any other.
  CHECK(verdict_of(*store, "family-1", "t0", t0 + 1s) == refresh_verdict::reused);
  CHECK_FALSE(is_active(*store, "family-1", t0 + 1s));
  CHECK(store->revoke("family-1").error() == std::error_code{});
  CHECK_FALSE(is_active(*store, "family-1", t0 + 1s));
  // The other family goes on.
  CHECK(is_active(*store, "family-2", t0 + 1s));
  CHECK(verdict_of(*store, "family-2", "t0", t0 + 1s) == refresh_verdict::rotated);
}

// 16 threads present the family's current token at once, each with its own successor.
inline std::vector<jot::refresh_consumption> race_for_the_current_token(
    jot::refresh_family_store& store, const jot::refresh_family& family) {
  std::vector<jot::result<jot::refresh_consumption>> outcomes(racing_threads,
                                                              jot::errc::store_unavailable);
  race(racing_threads, [&](int thread) {
    outcomes[static_cast<std::size_t>(thread)] =
        store.consume(family.id, family.token_id,
                      successor_named("successor-" + std::to_string(thread)), family.created_at);
  });
  std::vector<jot::refresh_consumption> consumed;
  for (auto& outcome : outcomes) {
    REQUIRE(outcome.error() == std::error_code{});
    consumed.push_back(std::move(*outcome));
  }
  return consumed;
}

inline std::ptrdiff_t count_of(const std::vector<jot::refresh_consumption>& consumed,
                               refresh_verdict verdict) {
  return std::count_if(consumed.begin(), consumed.end(),
                       [verdict](const auto& c) { return c.verdict == verdict; });
}

template <typename MakeStore>
void racing_without_interval_rotates_once_and_revokes(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const auto family = family_of("family-1", real_now());
  start(*store, family);
  const auto consumed = race_for_the_current_token(*store, family);
  CHECK(count_of(consumed, refresh_verdict::rotated) == 1);
  CHECK(count_of(consumed, refresh_verdict::reused) == racing_threads - 1);
  CHECK_FALSE(is_active(*store, family.id, family.created_at));
  const auto winner = std::find_if(consumed.begin(), consumed.end(), [](const auto& c) {
    return c.verdict == refresh_verdict::rotated;
  });
  REQUIRE(winner != consumed.end());
  CHECK(verdict_of(*store, family.id, winner->successor.id, family.created_at) ==
        refresh_verdict::revoked);
}

// Several requests of one client (browser tabs) refreshing with the same token at once.
template <typename MakeStore>
void racing_with_interval_rotates_once_and_replays_the_rest(const MakeStore& make) {
  const std::shared_ptr<jot::refresh_family_store> store = make();
  const auto family = family_of("family-1", real_now(), 10s);
  start(*store, family);
  const auto consumed = race_for_the_current_token(*store, family);
  REQUIRE(count_of(consumed, refresh_verdict::rotated) == 1);
  CHECK(count_of(consumed, refresh_verdict::replayed) == racing_threads - 1);
  CHECK(is_active(*store, family.id, family.created_at));
  const auto rotated = *std::find_if(consumed.begin(), consumed.end(), [](const auto& c) {
    return c.verdict == refresh_verdict::rotated;
  });
  for (const auto& one : consumed) {
    check_handed_out(one, one.verdict, rotated.successor.id, family.created_at);
  }
}

}  // namespace jot_test::store_contract

// The test cases; see the top of this file.
#define JOT_STORE_CONTRACT_TEST(tag, tags, title, check, make) \
  TEST_CASE(tag " " title, "[stores][" tag "]" tags) { jot_test::store_contract::check(make); }

#define JOT_STORE_CONTRACT_TESTS(tag, make_revocation_store, make_version_store,                \
                                 make_family_store)                                             \
  JOT_STORE_CONTRACT_TEST(tag, "", "revocation store: a revoked jti reads as revoked",          \
                          revoked_jti_reads_as_revoked, make_revocation_store)                  \
  JOT_STORE_CONTRACT_TEST(tag, "", "revocation store: revoking twice keeps the jti revoked",    \
                          revoking_twice_keeps_the_jti_revoked, make_revocation_store)          \
  JOT_STORE_CONTRACT_TEST(tag, "", "revocation store: holds many jtis",                         \
                          revocation_holds_many_jtis, make_revocation_store)                    \
  JOT_STORE_CONTRACT_TEST(tag, "", "revocation store: refuses an empty jti",                    \
                          revocation_refuses_an_empty_jti, make_revocation_store)               \
  JOT_STORE_CONTRACT_TEST(tag, "", "version store: counts the bumps of each subject",           \
                          versions_count_the_bumps_of_each_subject, make_version_store)         \
  JOT_STORE_CONTRACT_TEST(tag, "[threads]", "version store: concurrent bumps are counted once", \
                          concurrent_bumps_are_each_counted_once, make_version_store)           \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: tokens rotate along a chain",                 \
                          families_rotate_along_a_chain, make_family_store)                     \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: start refuses an existing id",                \
                          start_refuses_an_existing_id, make_family_store)                      \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: start, consume and revoke check arguments",   \
                          start_consume_and_revoke_check_their_arguments, make_family_store)    \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: a bound family takes only its key",           \
                          a_bound_family_takes_only_its_key, make_family_store)                 \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: reuse without interval revokes the family",   \
                          reuse_without_interval_revokes_the_family, make_family_store)         \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: the previous token is replayed in time",      \
                          previous_token_inside_the_interval_is_replayed, make_family_store)    \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: a replay leaves the successor current",       \
                          a_replay_leaves_the_successor_current, make_family_store)             \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: the reuse interval ends when it has passed",  \
                          the_reuse_interval_ends_when_it_has_passed, make_family_store)        \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: only the previous token can be replayed",     \
                          only_the_previous_token_can_be_replayed, make_family_store)           \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: families expire at their absolute lifetime",  \
                          families_expire_at_their_absolute_lifetime, make_family_store)        \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: families expire when idle",                   \
                          families_expire_when_idle, make_family_store)                         \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: an unknown family is revoked",                \
                          an_unknown_family_is_revoked, make_family_store)                      \
  JOT_STORE_CONTRACT_TEST(tag, "", "family store: a revoked family refuses its tokens",         \
                          a_revoked_family_refuses_its_tokens, make_family_store)               \
  JOT_STORE_CONTRACT_TEST(tag, "[threads]",                                                     \
                          "family store: racing without interval rotates once, revokes",        \
                          racing_without_interval_rotates_once_and_revokes, make_family_store)  \
  JOT_STORE_CONTRACT_TEST(                                                                      \
      tag, "[threads]", "family store: racing with interval rotates once, replays the rest",    \
      racing_with_interval_rotates_once_and_replays_the_rest, make_family_store)
