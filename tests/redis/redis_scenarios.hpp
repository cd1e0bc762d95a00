#pragma once

// What the standalone and the cluster suites both check, on any jot::redis client: the session
// manager's flows on Redis stores, and refresh races between 16 threads and between 2 processes.

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <jot/jot.hpp>
#include <jot/redis/stores.hpp>
#include <jot/session.hpp>

#include "catch.hpp"

namespace jot_redis_test {

// A key prefix no other test of this run uses, so each store starts empty.
inline std::string fresh_prefix() {
  static std::atomic<int> counter{0};
  return "test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ":";
}

inline jot::redis::store_options fresh_options() {
  jot::redis::store_options options;
  options.key_prefix = fresh_prefix();
  return options;
}

inline jot::sys_seconds real_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A family of one hour from now whose first token is "t0".
inline jot::refresh_family family_named(const std::string& id) {
  jot::refresh_family family;
  family.id = id;
  family.token_id = "t0";
  family.created_at = real_now();
  family.expires_at = family.created_at + std::chrono::hours(1);
  return family;
}

inline const jot::signing_key& access_key() {
  static const auto key =
      jot::signing_key::generate(jot::algorithm::es256).value().with_key_id("access-1").value();
  return key;
}

// A session manager on `stores` (real clock); without a reuse interval unless given one, so that
// presenting a spent token again is a reuse at once.
inline jot::session_manager sessions_on(const jot::session_stores& stores,
                                        std::chrono::seconds reuse_interval = {}) {
  auto built = jot::session_manager::builder{}
                   .issuer("https://auth.example.com")
                   .access_audience("https://api.example.com")
                   .client_id("web-app")
                   .access_key(access_key())
                   .stores(stores)
                   .reuse_interval(reuse_interval)
                   .expect_active_session()
                   .build();
  REQUIRE(built.error() == std::error_code{});
  return std::move(*built);
}

// Login, refresh, reuse detection, revoke and logout everywhere, each seen by a second manager
// on the same Redis (another process of the deployment, as far as the stores can tell).
inline void check_session_flows(const jot::session_stores& stores) {
  const auto issuer = sessions_on(stores);
  const auto other_service = sessions_on(stores);

  const auto pair = issuer.issue_pair("user-42").value();
  CHECK(other_service.authenticate(pair.access_token).error() == std::error_code{});
  const auto next = other_service.refresh(pair.refresh_token).value();
  CHECK(issuer.refresh(pair.refresh_token).error() == jot::errc::refresh_token_reused);
  // Reuse ended the session, for every service.
  CHECK(other_service.refresh(next.refresh_token).error() == jot::errc::token_revoked);
  CHECK(other_service.authenticate(next.access_token).error() == jot::errc::token_revoked);

  const auto second = issuer.issue_pair("user-42").value();
  REQUIRE(issuer.revoke(second.access_token).error() == std::error_code{});
  CHECK(other_service.authenticate(second.access_token).error() == jot::errc::token_revoked);

  const auto third = issuer.issue_pair("user-42").value();
  CHECK(other_service.authenticate(third.access_token).error() == std::error_code{});
  CHECK(issuer.logout_everywhere("user-42").value() == 1u);
  CHECK(other_service.authenticate(third.access_token).error() ==
        jot::errc::token_version_mismatch);
  CHECK(other_service.refresh(third.refresh_token).error() == jot::errc::token_version_mismatch);
  // A login after the bump carries the new version.
  const auto fourth = issuer.issue_pair("user-42").value();
  CHECK(other_service.authenticate(fourth.access_token).error() == std::error_code{});
}

// 16 threads present one refresh token at once: exactly one gets a new pair, every other one
// is told the token was reused.
inline void check_thread_race(const jot::session_stores& stores) {
  const auto sessions = sessions_on(stores);
  const auto pair = sessions.issue_pair("user-42").value();
  constexpr int threads = 16;
  std::vector<std::error_code> outcomes(threads);
  std::atomic<int> ready{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < threads; ++i) {
    racers.emplace_back([&, i] {
      ++ready;
      while (ready.load() < threads) std::this_thread::yield();
      outcomes[static_cast<std::size_t>(i)] = sessions.refresh(pair.refresh_token).error();
    });
  }
  for (auto& racer : racers) racer.join();
  int winners = 0, reused = 0;
  for (const auto& outcome : outcomes) {
    if (!outcome) ++winners;
    if (outcome == jot::errc::refresh_token_reused) ++reused;
  }
  CHECK(winners == 1);
  CHECK(reused == threads - 1);
}

// The same between 2 processes: each child makes its own stores with `make_stores` (a client
// must not be shared across fork), waits for the signal, refreshes and reports its errc.
inline void check_process_race(const jot::session_stores& stores,
                               const std::function<jot::session_stores()>& make_stores) {
  const auto pair = sessions_on(stores).issue_pair("user-42").value();
  constexpr int processes = 2;
  int go[2], report[2];
  REQUIRE(::pipe(go) == 0);
  REQUIRE(::pipe(report) == 0);
  std::vector<pid_t> children;
  for (int i = 0; i < processes; ++i) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // No Catch assertion and no exit handlers here (_exit): the parent owns the test.
      int outcome = 255;
      const auto own = make_stores();
      const auto sessions = jot::session_manager::builder{}
                                .issuer("https://auth.example.com")
                                .access_audience("https://api.example.com")
                                .client_id("web-app")
                                .access_key(access_key())
                                .revocation_store(own.revocations)
                                .token_version_store(own.versions)
                                .refresh_family_store(own.families)
                                .build();
      char signal = 0;
      if (sessions && ::read(go[0], &signal, 1) == 1) {
        outcome = sessions->refresh(pair.refresh_token).error().value();
      }
      const unsigned char byte = static_cast<unsigned char>(outcome);
      ::_exit(::write(report[1], &byte, 1) == 1 ? 0 : 1);
    }
    children.push_back(pid);
  }
  const char start_signal[processes] = {1, 1};
  REQUIRE(::write(go[1], start_signal, processes) == processes);
  std::vector<int> outcomes;
  for (int i = 0; i < processes; ++i) {
    unsigned char byte = 0;
    REQUIRE(::read(report[0], &byte, 1) == 1);
    outcomes.push_back(byte);
  }
  for (const pid_t child : children) {
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
  }
  for (int fd : {go[0], go[1], report[0], report[1]}) ::close(fd);
  const int reused = static_cast<int>(jot::errc::refresh_token_reused);
  CHECK(
      ((outcomes[0] == 0 && outcomes[1] == reused) || (outcomes[1] == 0 && outcomes[0] == reused)));
}

// 10 000 revocations, then 10 000 checks; the times are printed for the record (the benchmarks
// measure, tests do not assert timings).
inline void check_many_revocations(const jot::session_stores& stores, const char* label) {
  const jot::sys_seconds expiry = real_now() + std::chrono::hours(1);
  constexpr int count = 10'000;
  const auto start = std::chrono::steady_clock::now();
  int failures = 0;
  for (int i = 0; i < count; ++i) {
    if (!stores.revocations->revoke("jti-" + std::to_string(i), expiry)) ++failures;
  }
  const auto revoked = std::chrono::steady_clock::now();
  int found = 0;
  for (int i = 0; i < count; ++i) {
    const auto answer = stores.revocations->is_revoked("jti-" + std::to_string(i));
    if (answer && *answer) ++found;
  }
  const auto checked = std::chrono::steady_clock::now();
  CHECK(failures == 0);
  CHECK(found == count);
  using std::chrono::milliseconds;
  std::printf(
      "%s: %d revocations in %lld ms, %d checks in %lld ms\n", label, count,
      static_cast<long long>(std::chrono::duration_cast<milliseconds>(revoked - start).count()),
      count,
      static_cast<long long>(std::chrono::duration_cast<milliseconds>(checked - revoked).count()));
}

// One call made by calls_from_threads: which thread made it, when it started (from the first
// call), how long it took, what it returned.
struct timed_call {
  int thread;
  std::chrono::milliseconds started, took;
  std::error_code outcome;
};

// `threads` threads each make call(thread index) -> std::error_code again and again for
// `duration` (a call started before the end is finished); every call is recorded.
template <typename Call>
std::vector<timed_call> calls_from_threads(int threads,
                                           std::chrono::steady_clock::duration duration,
                                           Call call) {
  using clock = std::chrono::steady_clock;
  std::mutex mutex;
  std::vector<timed_call> calls;
  const auto begin = clock::now(), end = begin + duration;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (clock::now() < end) {
        const auto start = clock::now();
        const std::error_code outcome = call(t);
        using std::chrono::milliseconds;
        const auto took = std::chrono::duration_cast<milliseconds>(clock::now() - start);
        const auto started = std::chrono::duration_cast<milliseconds>(start - begin);
        const std::lock_guard lock(mutex);
        calls.push_back({t, started, took, outcome});
      }
    });
  }
  for (auto& worker : workers) worker.join();
  return calls;
}

// Prints how many of `calls` there were and failed, the median and the slowest of all and of
// the failed ones; returns the slowest (zero for none).
inline std::chrono::milliseconds print_latencies(const char* label,
                                                 const std::vector<timed_call>& calls) {
  std::vector<long long> all, failed;
  for (const auto& one : calls) {
    all.push_back(one.took.count());
    if (one.outcome) failed.push_back(one.took.count());
  }
  const auto median_and_slowest = [](std::vector<long long>& took) {
    std::sort(took.begin(), took.end());
    return took.empty() ? std::pair(0LL, 0LL) : std::pair(took[took.size() / 2], took.back());
  };
  const auto [median, slowest] = median_and_slowest(all);
  const auto [failed_median, failed_slowest] = median_and_slowest(failed);
  std::printf(
      "%s: %zu calls, median %lld ms, slowest %lld ms; %zu failed, median %lld ms, slowest %lld "
      "ms\n",
      label, all.size(), median, slowest, failed.size(), failed_median, failed_slowest);
  return std::chrono::milliseconds(slowest);
}

}  // namespace jot_redis_test
