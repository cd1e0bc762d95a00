#pragma once

// revocation_cache: a revocation_store in front of another one (Redis, typically) that remembers
// its answers for a short while, so that most verifications do not wait for a network round
// trip to the blocklist.
//
// The trade-off, chosen with max_staleness: a token revoked through another process is still
// accepted here for up to max_staleness after this process last asked about it. Revocations made
// through the cache itself are seen here at once, and a "revoked" answer is never replaced by an
// older "not revoked". It still fails closed: an answer older than max_staleness is never used,
// so when the store behind cannot answer, neither can the cache (errc::store_unavailable).
//
// Bounded: at most `capacity` answers. When full it forgets the answers that have aged out, and
// if that frees nothing it stops remembering new ones (each check then asks the store behind)
// until some do. Safe to call from many threads, like every store.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>

#include "jot/result.hpp"
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE

// A blocklist answer cache in front of another revocation_store; see the top of this file.
class revocation_cache final : public revocation_store {
 public:
  // The time source that ages the answers; tests inject one.
  using clock_function = std::function<std::chrono::steady_clock::time_point()>;

  // The longest max_staleness: five minutes, the order of an access token's whole lifetime.
  static constexpr std::chrono::milliseconds longest_staleness{std::chrono::minutes(5)};
  // An answer takes 144 bytes with a 36-character jti (measured), so about 14 MB when full.
  static constexpr std::size_t default_capacity = 100'000;

  // errc::invalid_argument for a null store, a max_staleness outside (0, longest_staleness] or
  // a zero capacity. `clock` (default: steady_clock) ages the answers; for tests.
  static result<std::shared_ptr<revocation_cache>> create(std::shared_ptr<revocation_store> store,
                                                          std::chrono::milliseconds max_staleness,
                                                          std::size_t capacity = default_capacity,
                                                          clock_function clock = {}) {
    if (!store || max_staleness <= std::chrono::milliseconds::zero() ||
        max_staleness > longest_staleness || capacity == 0) {
      return errc::invalid_argument;
    }
    JOT_TRY {
      return std::shared_ptr<revocation_cache>(
          new revocation_cache(std::move(store), max_staleness, capacity, std::move(clock)));
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

  // Revokes in the store behind; once that succeeded, this process sees the jti as revoked.
  result<void> revoke(std::string_view jti, sys_seconds expires_at) override {
    auto revoked = detail::run_store_operation([&] { return store_->revoke(jti, expires_at); });
    if (revoked) remember(jti, true);
    return revoked;
  }

  // A remembered answer younger than max_staleness, else the store behind's (then remembered).
  result<bool> is_revoked(std::string_view jti) override {
    return detail::run_store_operation([&]() -> result<bool> {
      {
        const std::shared_lock lock(mutex_);
        const auto it = answers_.find(jti);
        if (it != answers_.end() && is_fresh(it->second)) return it->second.revoked;
      }
      const auto answer = store_->is_revoked(jti);
      if (answer) remember(jti, *answer);
      return answer;
    });
  }

 private:
  struct answer {
    bool revoked;
    std::chrono::steady_clock::time_point at;
  };

  revocation_cache(std::shared_ptr<revocation_store> store, std::chrono::milliseconds max_staleness,
                   std::size_t capacity, clock_function clock)
      : store_(std::move(store)),
        max_staleness_(max_staleness),
        capacity_(capacity),
        clock_(std::move(clock)) {}

  using time_point = std::chrono::steady_clock::time_point;

  time_point now() const { return clock_ ? clock_() : std::chrono::steady_clock::now(); }
  bool is_fresh(const answer& remembered, time_point at) const {
    return at - remembered.at < max_staleness_;
  }
  bool is_fresh(const answer& remembered) const { return is_fresh(remembered, now()); }

  // Best effort: an answer that cannot be kept (no room, no memory) is simply not remembered.
  void remember(std::string_view jti, bool revoked) noexcept {
    JOT_TRY {
      const answer fresh{revoked, now()};
      const std::unique_lock lock(mutex_);
      if (const auto it = answers_.find(jti); it != answers_.end()) {
        // A fresh "revoked" stays: a "not revoked" read that raced with a revoke is older news.
        if (!revoked && it->second.revoked && is_fresh(it->second, fresh.at)) return;
        it->second = fresh;
        return;
      }
      if (answers_.size() >= capacity_) {
        // While the oldest answer is fresh, none has aged out: no pass over a full cache.
        if (fresh.at - oldest_ < max_staleness_) return;
        oldest_ = time_point::max();
        for (auto it = answers_.begin(); it != answers_.end();) {
          if (is_fresh(it->second, fresh.at)) {
            oldest_ = std::min(oldest_, it->second.at);
            ++it;
          } else {
            it = answers_.erase(it);
          }
        }
        if (answers_.size() >= capacity_) return;
      }
      answers_.emplace(std::string(jti), fresh);
      oldest_ = std::min(oldest_, fresh.at);
    }
    JOT_CATCH_ALL {}
  }

  const std::shared_ptr<revocation_store> store_;
  const std::chrono::milliseconds max_staleness_;
  const std::size_t capacity_;
  const clock_function clock_;
  std::shared_mutex mutex_;
  std::map<std::string, answer, std::less<>> answers_;  // std::less<>: found by string_view
  time_point oldest_ = time_point::max();               // no later than any answer's time
};

JOT_END_NAMESPACE
