#pragma once

// Where a DPoP verifier records the proofs it accepted, so that none is accepted twice (RFC 9449
// §11.1): an interface, kept in memory for one process (memory_replay_store, below) or on Redis
// for many (jot::redis::dpop_replay_store). The contract of every implementation is the session
// stores' (jot/session/stores.hpp): an answer it cannot give is an error, never "not seen"
// (errc::store_unavailable; a full store errc::store_full), so the verifier fails closed; each
// call is atomic and safe from many threads at once.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "jot/config.hpp"
#include "jot/numeric_date.hpp"
#include "jot/result.hpp"
#include "jot/session/detail/purge_ended.hpp"
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE
namespace dpop {

// The proofs a verifier has accepted while they could still be accepted.
class replay_store {
 public:
  virtual ~replay_store() = default;

  // Records `proof_id` until `until` and says whether it was new: true the first time (it is
  // recorded now), false when it is recorded already (a replay). Atomic: of any number of
  // concurrent calls with one id, exactly one answers true. The verifier passes a fixed-size
  // digest of the proof's key and `jti` as the id (never the jti itself, RFC 9449 §11.1), and as
  // `until` the time the proof stops being accepted (its iat + the verifier's maximum age); the
  // entry must last at least until then.
  virtual result<bool> first_use(std::string_view proof_id, sys_seconds until) = 0;
};

// The replay store in this process's memory; see the top of this file. Bounded: it holds at most
// `capacity` entries; a new one in a full store first purges the entries that have ended
// (`now >= until`), and if none has, the call is errc::store_full and the proof is refused (never a
// silent drop, which would let a replay in). Size it for the peak rate of proofs times the
// verifier's maximum proof age: the default holds 100 000, about 1 600 proofs a second for 60 s,
// at about 130 bytes each (13 MB when full). Thread-safe: each call holds the store's lock.
class memory_replay_store final : public replay_store {
 public:
  // The time source that decides which entries have ended; give it the verifier's clock.
  using clock_function = std::function<std::chrono::system_clock::time_point()>;

  // The default capacity; see above.
  static constexpr std::size_t default_capacity = 100'000;

  // At most `capacity` entries; `clock` (default: system_clock) is read under the lock on every
  // call. An empty id is errc::invalid_argument.
  explicit memory_replay_store(std::size_t capacity = default_capacity, clock_function clock = {})
      : capacity_(capacity), clock_(std::move(clock)) {}

  result<bool> first_use(std::string_view proof_id, sys_seconds until) override {
    if (proof_id.empty()) return errc::invalid_argument;
    return jot::detail::run_store_operation([&]() -> result<bool> {
      const std::lock_guard lock(mutex_);
      const sys_seconds now = std::chrono::time_point_cast<std::chrono::seconds>(
          clock_ ? clock_() : std::chrono::system_clock::now());
      if (const auto it = ends_.find(proof_id); it != ends_.end()) {
        if (it->second > now) return false;
        it->second = until;  // an ended entry (not purged yet) counts as never seen
        earliest_end_ = std::min(earliest_end_, until);
        return true;
      }
      if (ends_.size() >= capacity_) {
        jot::detail::purge_ended(ends_, now, earliest_end_, [](sys_seconds end) { return end; });
        if (ends_.size() >= capacity_) return errc::store_full;
      }
      ends_.emplace(std::string(proof_id), until);
      earliest_end_ = std::min(earliest_end_, until);
      return true;
    });
  }

 private:
  const std::size_t capacity_;
  const clock_function clock_;
  std::mutex mutex_;
  std::map<std::string, sys_seconds, std::less<>> ends_;  // proof id -> when its entry ends
  sys_seconds earliest_end_ = sys_seconds::max();
};

}  // namespace dpop
JOT_END_NAMESPACE
