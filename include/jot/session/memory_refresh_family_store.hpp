#pragma once

// memory_refresh_family_store: the refresh families of stores.hpp in this process's memory, under
// the rules every memory store keeps (memory_stores.hpp: thread-safe, never throws, bounded).
// <jot/session/memory_stores.hpp> includes it with the other two.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
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
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE

// Refresh families (RFC 9700 §4.14.2), consumed by the rules of refresh_family_store::consume()
// in stores.hpp. The family's subject is not kept, as no operation reads it. A full store purges
// every revoked family (logged out, or ended by reuse detection) and every family that has ended
// at the new family's created_at; a live family is never purged. A purged revoked family reads
// as unknown (consume() rule 1: revoked), so its tokens stay refused: stores.hpp states what
// that changes. Without this, revoked families would hold their places until their absolute end,
// and a store filled with them (by ordinary logins and logouts, or on purpose by anyone with a
// password) would refuse every new login with no session live.
class memory_refresh_family_store final : public refresh_family_store {
 public:
  // A family takes about 340 bytes with 22-character ids and 19 bytes of application claims (the
  // current token's, kept for a replay; measured with mallinfo2), plus each further byte of
  // claims, and a DPoP-bound family its 43-byte thumbprint, so the default is about 34 MB when
  // full: 100 000 live sessions, each purged once it has ended.
  static constexpr std::size_t default_capacity = 100'000;

  // Holds up to `capacity` families; revoked and ended families are purged to make room, and a
  // start() that still finds none (every stored family live) is errc::store_full.
  explicit memory_refresh_family_store(std::size_t capacity = default_capacity)
      : capacity_(capacity) {}

  result<void> start(const refresh_family& family) override {
    if (!detail::is_valid_family(family)) return errc::invalid_argument;
    return detail::run_store_operation([&]() -> result<void> {
      family_state state(family);
      const std::lock_guard lock(mutex_);
      if (families_.find(family.id) != families_.end()) return errc::invalid_argument;
      if (families_.size() >= capacity_) {
        purge(family.created_at);
        if (families_.size() >= capacity_) return errc::store_full;
      }
      const sys_seconds end = state.end();
      families_.emplace(family.id, std::move(state));
      earliest_end_ = std::min(earliest_end_, end);
      return {};
    });
  }

  result<refresh_consumption> consume(std::string_view family_id, std::string_view token_id,
                                      const refresh_successor& successor,
                                      sys_seconds now) override {
    if (!detail::is_valid_presentation(family_id, token_id, successor.id,
                                       successor.key_thumbprint)) {
      return errc::invalid_argument;
    }
    return detail::run_store_operation([&]() -> result<refresh_consumption> {
      const std::lock_guard lock(mutex_);
      const auto it = detail::find_id(families_, family_id);
      if (it == families_.end()) return verdict_only(refresh_verdict::revoked);
      family_state& family = it->second;
      if (family.ended_at(now)) return verdict_only(refresh_verdict::expired);
      if (successor.key_thumbprint != family.current.key_thumbprint) {
        mark_revoked(family);
        return verdict_only(refresh_verdict::key_mismatch);
      }
      if (token_id == family.current.id) {
        if (family.revoked) return verdict_only(refresh_verdict::revoked);
        // Every allocation first: the rotation is made whole or, out of memory, not at all.
        refresh_consumption rotated{refresh_verdict::rotated, successor};
        rotated.successor.issued_at = now;
        refresh_successor next = rotated.successor;
        family.previous_token = std::move(family.current.id);
        family.current = std::move(next);
        // A caller whose clock lags can move the end earlier.
        earliest_end_ = std::min(earliest_end_, family.end());
        return rotated;
      }
      if (!family.revoked && family.reuse_interval > std::chrono::seconds::zero() &&
          !family.previous_token.empty() && token_id == family.previous_token &&
          now - family.current.issued_at < family.reuse_interval) {
        return refresh_consumption{refresh_verdict::replayed, family.current};
      }
      mark_revoked(family);
      return verdict_only(refresh_verdict::reused);
    });
  }

  // The family stays stored, and refuses every token, until it ends or a full store purges it
  // (then it reads as unknown, and its tokens are still refused).
  result<void> revoke(std::string_view family_id) override {
    if (family_id.empty()) return errc::invalid_argument;
    return detail::run_store_operation([&]() -> result<void> {
      const std::lock_guard lock(mutex_);
      if (const auto it = detail::find_id(families_, family_id); it != families_.end()) {
        mark_revoked(it->second);
      }
      return {};
    });
  }

  result<bool> is_active(std::string_view family_id, sys_seconds now) override {
    return detail::run_store_operation([&]() -> result<bool> {
      const std::shared_lock lock(mutex_);
      const auto it = detail::find_id(families_, family_id);
      return it != families_.end() && !it->second.revoked && !it->second.ended_at(now);
    });
  }

 private:
  struct family_state {
    explicit family_state(const refresh_family& family)
        : current{family.token_id, {}, family.created_at, family.key_thumbprint},
          expires_at(family.expires_at),
          idle_timeout(family.idle_timeout),
          reuse_interval(family.reuse_interval) {}

    // The current token, as the last rotation handed it out (or the first, without claims: no
    // rotation replays it). Its issue time is the last rotation, or the start before any: the
    // idle timeout counts from there, and the previous token was consumed then. Its key is the
    // family's: a rotation happens only with it (consume() rule 3).
    refresh_successor current;
    std::string previous_token;  // consumed by the last rotation; empty before any
    bool revoked = false;
    sys_seconds expires_at;
    std::chrono::seconds idle_timeout;
    std::chrono::seconds reuse_interval;

    // When the family ends by itself; a rotation moves it. Compared as a difference so that no
    // sum of a time and a timeout can overflow.
    sys_seconds end() const {
      if (idle_timeout > std::chrono::seconds::zero() &&
          idle_timeout < expires_at - current.issued_at) {
        return current.issued_at + idle_timeout;
      }
      return expires_at;
    }
    bool ended_at(sys_seconds now) const { return now >= end(); }
  };

  void mark_revoked(family_state& family) noexcept {
    if (!family.revoked) ++revoked_families_;
    family.revoked = true;
  }

  // Erases every revoked family and every family that has ended at `now`. Without a revoked
  // family, the pass runs only once `now` reaches the earliest end (as detail::purge_ended), so
  // a store full of live families refuses a flood of logins without reading its entries.
  void purge(sys_seconds now) {
    if (revoked_families_ == 0 && now < earliest_end_) return;
    sys_seconds earliest = sys_seconds::max();
    for (auto it = families_.begin(); it != families_.end();) {
      const sys_seconds end = it->second.end();
      if (it->second.revoked || end <= now) {
        it = families_.erase(it);
      } else {
        earliest = std::min(earliest, end);
        ++it;
      }
    }
    earliest_end_ = earliest;
    revoked_families_ = 0;
  }

  static refresh_consumption verdict_only(refresh_verdict verdict) {
    refresh_consumption consumption;
    consumption.verdict = verdict;
    return consumption;
  }

  const std::size_t capacity_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, family_state> families_;
  sys_seconds earliest_end_ = sys_seconds::max();
  std::size_t revoked_families_ = 0;  // stored families marked revoked
};

JOT_END_NAMESPACE
