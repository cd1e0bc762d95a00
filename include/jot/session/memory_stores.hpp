#pragma once

// The session stores of stores.hpp kept in this process's memory: the embedded default for an
// application that runs as one process. Processes do not see each other's memory stores, so a
// deployment of several shares a networked store instead (jot::redis).
//
// Thread-safe: each operation holds the store's lock from start to end, so each is atomic; reads
// share the lock with each other. A blocklist or version store that holds no entry answers a read
// without its lock (detail::entry_count): the common case of a blocklist, whose entries are rare
// and end with their tokens, costs one atomic load per token. No operation throws: allocation
// failure is errc::out_of_memory, and a clock that throws makes the operation
// errc::store_unavailable.
//
// Bounded memory: a store holds at most `capacity` entries (ids are as long as the caller makes
// them; the capacity counts entries, not bytes). A write that needs a new entry
// in a full store first purges the entries nothing needs any more; if that frees nothing, the
// write is errc::store_full and what is stored stays exactly as it was (stores.hpp: never a
// silent drop). An entry ends when its time comes: `now >= end`, as a token is expired when
// now >= exp (RFC 7519 §4.1.4, jot's exp rule).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "jot/claims.hpp"
#include "jot/config.hpp"
#include "jot/result.hpp"
#include "jot/session/detail/find_id.hpp"
#include "jot/session/detail/purge_ended.hpp"
#include "jot/session/memory_refresh_family_store.hpp"
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

// How many entries a memory store holds, readable without the store's lock: a store with none
// answers a read without taking it. The writer publishes the count under the exclusive lock after
// each change; the release/acquire pair makes a write that completed before a read visible to it
// (a read concurrent with the write may answer either way, as under the lock). A count that falls
// to zero means every entry has ended and been purged, so "no entry" is also what the map says.
class entry_count {
 public:
  // Called with the store's exclusive lock held, after the map changed.
  void publish(std::size_t count) noexcept { count_.store(count, std::memory_order_release); }
  // Whether the store held no entry when the last write before this call completed.
  bool none() const noexcept { return count_.load(std::memory_order_acquire) == 0; }

 private:
  std::atomic<std::size_t> count_{0};
};

}  // namespace detail

// The jti blocklist in memory, for one process; see the top of this file. An entry lives until
// its token's exp plus a retention margin (default_revocation_margin in stores.hpp, the
// validator's largest allowed clock skew): a verifier with allow_clock_skew(s) accepts the token
// until exp + s, so an entry purged at exp would let a revoked token in again for s seconds.
class memory_revocation_store final : public revocation_store {
 public:
  // The time source that decides which entries have ended; tests inject one.
  using clock_function = std::function<std::chrono::system_clock::time_point()>;

  // An entry takes about 115 bytes with a 36-character jti (hash node, key, expiry, bucket;
  // measured with mallinfo2), so the default is about 12 MB when full. An entry lives only until
  // its token's exp (plus the margin), so this is 100 000 revocations within one access-token
  // lifetime, far more than logouts and incident responses produce.
  static constexpr std::size_t default_capacity = 100'000;

  // `clock` tells which entries have ended (default: system_clock); give it the clock of the
  // verifiers that consult the store (the session manager builder does so for the store it makes
  // itself). It is called only when the store is full, under the store's lock. An entry ends at
  // its token's exp + `retention_margin`, which should be at least the clock skew those
  // verifiers allow; a negative margin counts as zero.
  explicit memory_revocation_store(
      std::size_t capacity = default_capacity, clock_function clock = {},
      std::chrono::seconds retention_margin = default_revocation_margin)
      : capacity_(capacity),
        clock_(std::move(clock)),
        margin_(std::max(retention_margin, std::chrono::seconds::zero())) {}

  // Keeps `jti` until expires_at + the retention margin, also when expires_at has passed (a token
  // inside the verifiers' clock skew is still accepted). An empty jti is invalid_argument.
  result<void> revoke(std::string_view jti, sys_seconds expires_at) override {
    if (jti.empty()) return errc::invalid_argument;
    return detail::run_store_operation([&]() -> result<void> {
      const sys_seconds end = end_of(expires_at);
      const std::lock_guard lock(mutex_);
      if (const auto it = detail::find_id(ends_, jti); it != ends_.end()) {
        it->second = std::max(it->second, end);
        return {};
      }
      if (ends_.size() >= capacity_) {
        detail::purge_ended(ends_, now(), earliest_end_, [](sys_seconds stored) { return stored; });
        entry_count_.publish(ends_.size());
        if (ends_.size() >= capacity_) return errc::store_full;
      }
      ends_.emplace(std::string(jti), end);
      entry_count_.publish(ends_.size());
      earliest_end_ = std::min(earliest_end_, end);
      return {};
    });
  }

  // An entry reads as revoked until it is purged, also after it has ended.
  result<bool> is_revoked(std::string_view jti) override {
    if (entry_count_.none()) return false;
    return detail::run_store_operation([&]() -> result<bool> {
      const std::shared_lock lock(mutex_);
      return detail::find_id(ends_, jti) != ends_.end();
    });
  }

 private:
  sys_seconds now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(
        clock_ ? clock_() : std::chrono::system_clock::now());
  }
  // expires_at + the margin, saturating instead of overflowing.
  sys_seconds end_of(sys_seconds expires_at) const noexcept {
    if (expires_at > sys_seconds::max() - margin_) return sys_seconds::max();
    return expires_at + margin_;
  }

  const std::size_t capacity_;
  const clock_function clock_;
  const std::chrono::seconds margin_;
  std::shared_mutex mutex_;
  // jti -> when its entry ends (its token's exp + the margin).
  std::unordered_map<std::string, sys_seconds> ends_;
  detail::entry_count entry_count_;
  sys_seconds earliest_end_ = sys_seconds::max();
};

// Per-subject token versions in memory, for one process; see the top of this file.
class memory_token_version_store final : public token_version_store {
 public:
  // Versions are never forgotten, so the capacity is the number of subjects that can ever be
  // bumped, and it should exceed the number of users: a bump refused for lack of room is a
  // "log out everywhere" that did not happen. An entry takes about 130 bytes with a 25-character
  // subject, so the default is about 130 MB when full; subjects never bumped take nothing.
  static constexpr std::size_t default_capacity = 1'000'000;

  // Holds up to `capacity` subjects; a bump of a new subject beyond them is errc::store_full.
  explicit memory_token_version_store(std::size_t capacity = default_capacity)
      : capacity_(capacity) {}

  result<std::uint64_t> current(std::string_view subject) override {
    if (entry_count_.none()) return std::uint64_t{0};
    return detail::run_store_operation([&]() -> result<std::uint64_t> {
      const std::shared_lock lock(mutex_);
      const auto it = versions_.find(subject);
      return it == versions_.end() ? std::uint64_t{0} : it->second;
    });
  }

  // A subject seen before is always bumped; a new one needs room (store_full otherwise). An
  // empty subject is invalid_argument.
  result<std::uint64_t> bump(std::string_view subject) override {
    if (subject.empty()) return errc::invalid_argument;
    return detail::run_store_operation([&]() -> result<std::uint64_t> {
      const std::lock_guard lock(mutex_);
      if (const auto it = versions_.find(subject); it != versions_.end()) return ++it->second;
      if (versions_.size() >= capacity_) return errc::store_full;
      versions_.emplace(std::string(subject), 1);
      entry_count_.publish(versions_.size());
      return std::uint64_t{1};
    });
  }

 private:
  const std::size_t capacity_;
  std::shared_mutex mutex_;
  // A tree, not a hash table as the other stores: subjects are the application's names (logins,
  // e-mail addresses), which users may choose so that they share a bucket; a tree's lookup stays
  // logarithmic whatever the keys. std::less<> finds a string_view without copying it.
  std::map<std::string, std::uint64_t, std::less<>> versions_;
  detail::entry_count entry_count_;
};

JOT_END_NAMESPACE
