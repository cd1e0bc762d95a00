#pragma once

// connection_pool: up to pool_size connections (connection.hpp) to one server, shared by any
// number of threads; the `client` of a standalone Redis server and of each Cluster node. The
// failure handling it keeps is stated at the top of connection.hpp.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/config.hpp"
#include "jot/errc.hpp"
#include "jot/redis/client.hpp"
#include "jot/redis/connection.hpp"
#include "jot/redis/detail/call_budget.hpp"
#include "jot/redis/detail/eviction_policy.hpp"
#include "jot/redis/options.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

// Up to options.pool_size connections to one server, opened on demand and shared by any number
// of threads. The client of a standalone server (or of one cluster node).
class connection_pool final : public client {
 public:
  // Opens no connection yet: the first command does. A pool_size of 0 counts as 1.
  explicit connection_pool(connection_options options) : options_(std::move(options)) {
    options_.pool_size = std::max<std::size_t>(1, options_.pool_size);
    // Returning a connection to the pool then never allocates, so it cannot fail half-way.
    idle_.reserve(options_.pool_size);
  }

  // The options it was made with (pool_size at least 1).
  const connection_options& options() const noexcept { return options_; }

  // `key` does not matter on one server. Returns within budget(commands).
  result<std::vector<reply>> execute(std::string_view /*key*/,
                                     const std::vector<command>& commands) override {
    return try_execute(commands, std::chrono::steady_clock::now() + budget(commands)).replies;
  }

  // The longest one execute() takes: connect_timeout + command_timeout, plus the timeouts of the
  // pipeline's WAIT commands (docs/redis.md, "Timeouts").
  std::chrono::milliseconds budget(const std::vector<command>& commands) const noexcept {
    return options_.connect_timeout + options_.command_timeout + detail::wait_allowance(commands);
  }

  // execute() by `deadline`, telling whether the commands may have reached the server: what the
  // cluster router needs to know whether sending them to another node could run them twice.
  detail::attempt try_execute(const std::vector<command>& commands,
                              std::chrono::steady_clock::time_point deadline) {
    JOT_TRY {
      auto leased = acquire(deadline);
      if (!leased) return {leased.error(), false};
      const auto left = detail::time_left(deadline);
      if (left.count() <= 0) {
        leased->finished();  // unused: back to the idle ones
        return {errc::store_unavailable, false};
      }
      const auto within = options_.command_timeout + detail::wait_allowance(commands);
      auto replies = leased->get().run(commands, std::min(within, left));
      leased->finished();
      return {std::move(replies), true};
    }
    JOT_CATCH_ALL {
      return {jot::detail::errc_of_current_exception(errc::store_unavailable), true};
    }
  }

  // PING, or, unless options().allow_evicting_policy, the eviction policy read afresh, so that a
  // policy changed at runtime (CONFIG SET) shows here even while pooled connections still serve.
  result<void> health_check() override {
    const bool check_policy = !options_.allow_evicting_policy;
    auto replies = execute({}, {check_policy ? detail::eviction_policy_query() : command{"PING"}});
    if (!replies) return replies.error();
    const reply& answer = (*replies)[0];
    if (answer.is_error()) return answer.error_code();
    return check_policy ? detail::refuse_eviction(answer) : result<void>();
  }

 private:
  // One place of the pool, taken by ++open_, and given back by the destructor whatever happens
  // in between: with the connection to the idle ones when its last use finished() and left it
  // sound, otherwise by closing it and counting it no more (an exception thrown halfway through
  // a pipeline leaves it out of step with the server).
  class lease {
   public:
    lease(connection_pool& pool, connection used) noexcept : pool_(&pool), used_(std::move(used)) {}
    lease(lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)),
          used_(std::move(other.used_)),
          finished_(other.finished_) {}
    lease& operator=(lease&&) = delete;
    ~lease() {
      if (pool_ != nullptr) pool_->release(std::move(used_), finished_ && !used_.broken());
    }

    connection& get() noexcept { return used_; }
    // Its last use returned normally (with a reply or with an error it recorded in broken()).
    void finished() noexcept { finished_ = true; }

   private:
    connection_pool* pool_;
    connection used_;
    bool finished_ = false;
  };

  // A place counted in open_ while a connection is being opened for it; the destructor frees it
  // unless a lease took it over (connection::open may throw as well as fail).
  class opening {
   public:
    explicit opening(connection_pool& pool) noexcept : pool_(&pool) {}
    opening(const opening&) = delete;
    opening& operator=(const opening&) = delete;
    ~opening() {
      if (pool_ != nullptr) pool_->release_place();
    }
    lease hand_over(connection opened) noexcept {
      connection_pool& pool = *std::exchange(pool_, nullptr);
      return lease(pool, std::move(opened));
    }

   private:
    connection_pool* pool_;
  };

  result<lease> acquire(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    for (;;) {
      while (!idle_.empty()) {
        connection candidate = std::move(idle_.back());
        idle_.pop_back();
        if (!candidate.closed_by_server()) return lease(*this, std::move(candidate));
        --open_;  // closed on return from this scope
      }
      if (open_ < options_.pool_size) break;
      if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.pool_size) {
        return errc::store_unavailable;
      }
    }
    ++open_;
    lock.unlock();
    opening place(*this);
    auto opened = connection::open(options_, deadline);
    if (!opened) return opened.error();  // `place` is freed
    return place.hand_over(std::move(*opened));
  }

  // Back from a lease: to the idle ones when `reusable`, otherwise closed (when `used` goes).
  void release(connection used, bool reusable) noexcept {
    const std::lock_guard lock(mutex_);
    if (reusable) {
      idle_.push_back(std::move(used));  // never allocates: reserved for pool_size
    } else {
      --open_;
    }
    returned_.notify_one();
  }

  void release_place() noexcept {
    const std::lock_guard lock(mutex_);
    --open_;
    returned_.notify_one();
  }

  connection_options options_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<connection> idle_;
  std::size_t open_ = 0;  // idle ones plus those leased out
};

}  // namespace redis
JOT_END_NAMESPACE
