#pragma once

// One hiredis connection (connection) and a small thread-safe pool of them to one server
// (connection_pool), which is the `client` of a standalone Redis server.
//
// Failure handling, the part an operator relies on:
//  - every failure is an errc, never an exception and never a silent success: a server that
//    cannot be reached, a timeout, a broken connection or an AUTH/SELECT the server refuses is
//    store_unavailable; hiredis running out of memory is out_of_memory;
//  - a connection that failed once is closed, never reused (its protocol state is unknown);
//  - a place in the pool is held by an object (a lease) whose destructor gives it back, so an
//    exception thrown while a connection is opened or used (std::bad_alloc under memory
//    pressure) frees the place too: the connection is closed, as its state is unknown, and the
//    pool serves the next caller instead of counting a connection that no longer exists;
//  - an idle connection the server has closed (it restarted, or dropped idle clients with its
//    `timeout` setting) is noticed before it is used, by a poll that costs no round trip, and
//    replaced by a new one: after a restart the next command succeeds without a process restart,
//    and a command is never sent twice (a retried write could run twice);
//  - a call has one deadline (connection_options::command_timeout): waiting for a free
//    connection, opening one and reading the replies all come out of it, so callers queueing
//    for a pool whose connections are all stuck on a stalled server return by then too.

#include <poll.h>
#include <sys/time.h>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/config.hpp"
#include "jot/errc.hpp"
#include "jot/redis/client.hpp"
#include "jot/redis/detail/call_budget.hpp"
#include "jot/redis/detail/eviction_policy.hpp"
#include "jot/redis/options.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

namespace detail {

// hiredis takes timeouts as a timeval; zero would mean "wait forever", so at least 1 ms.
inline timeval to_timeval(std::chrono::milliseconds duration) noexcept {
  const long long ms = std::max<long long>(1, duration.count());
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms % 1000) * 1000);
  return tv;
}

}  // namespace detail

// A connection to one server, used by one thread at a time. Not thread-safe; the pool is.
class connection {
 public:
  // Connects, sets the command timeout, authenticates, selects the database and, unless
  // options.allow_evicting_policy, refuses a server that may evict keys (store_evicts).
  static result<connection> open(const connection_options& options) {
    return open(options, std::chrono::steady_clock::now() + options.connect_timeout +
                             options.command_timeout);
  }
  // The same, done by `deadline` (each step also within its own timeout).
  static result<connection> open(const connection_options& options,
                                 std::chrono::steady_clock::time_point deadline) {
    const auto connect_within = std::min(options.connect_timeout, detail::time_left(deadline));
    if (connect_within.count() <= 0) return errc::store_unavailable;
    const timeval connect_timeout = detail::to_timeval(connect_within);
    redisContext* raw =
        options.unix_socket.empty()
            ? redisConnectWithTimeout(options.host.c_str(), options.port, connect_timeout)
            : redisConnectUnixWithTimeout(options.unix_socket.c_str(), connect_timeout);
    if (raw == nullptr) return errc::out_of_memory;
    connection opened(raw, options.command_timeout);
    if (raw->err != 0 ||
        redisSetTimeout(raw, detail::to_timeval(options.command_timeout)) != REDIS_OK) {
      return errc::store_unavailable;
    }
    std::vector<command> setup;
    if (!options.password.empty()) {
      setup.push_back(options.username.empty()
                          ? command{"AUTH", options.password}
                          : command{"AUTH", options.username, options.password});
    }
    if (options.database != 0) setup.push_back({"SELECT", std::to_string(options.database)});
    // In the same pipeline: the check costs no round trip of its own after AUTH or SELECT.
    if (!options.allow_evicting_policy) setup.push_back(detail::eviction_policy_query());
    if (!setup.empty()) {
      auto replies =
          opened.run(setup, std::min(options.command_timeout, detail::time_left(deadline)));
      if (!replies) return replies.error();
      for (const reply& answer : *replies) {
        // A wrong password or database is a configuration the server refuses: it cannot answer.
        if (answer.is_error()) return errc::store_unavailable;
      }
      if (!options.allow_evicting_policy) {
        if (auto safe = detail::refuse_eviction(replies->back()); !safe) return safe.error();
      }
    }
    return opened;
  }

  // Sends `commands` as one pipeline and reads one reply per command. On a failure to write or
  // read, the connection is broken() for good.
  result<std::vector<reply>> run(const std::vector<command>& commands) {
    return run(commands, command_timeout_);
  }
  // The same, each read waiting at most `reply_timeout` (at least 1 ms) instead of the
  // command_timeout. The socket timeout is set again only when it changes.
  result<std::vector<reply>> run(const std::vector<command>& commands,
                                 std::chrono::milliseconds reply_timeout) {
    if (broken_) return errc::store_unavailable;
    reply_timeout = std::max(reply_timeout, std::chrono::milliseconds(1));
    if (reply_timeout != socket_timeout_) {
      if (redisSetTimeout(context_.get(), detail::to_timeval(reply_timeout)) != REDIS_OK) {
        broken_ = true;
        return errc::store_unavailable;
      }
      socket_timeout_ = reply_timeout;
    }
    std::vector<reply> replies;
    replies.reserve(commands.size());
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const command& arguments : commands) {
      argv.clear();
      lengths.clear();
      for (const std::string& argument : arguments) {
        argv.push_back(argument.data());
        lengths.push_back(argument.size());
      }
      if (redisAppendCommandArgv(context_.get(), static_cast<int>(argv.size()), argv.data(),
                                 lengths.data()) != REDIS_OK) {
        broken_ = true;
        return errc::out_of_memory;  // appending only buffers: it fails for memory alone
      }
    }
    for (std::size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
        broken_ = true;
        return context_->err == REDIS_ERR_OOM ? errc::out_of_memory : errc::store_unavailable;
      }
      replies.emplace_back(static_cast<redisReply*>(raw));
    }
    return replies;
  }

  // True once a command could not be sent or its reply not read (an I/O error or a timeout): the
  // connection is out of step with the server, and the pool drops it instead of reusing it.
  bool broken() const noexcept { return broken_; }

  // Whether an idle connection has something to read: the server closed it (end of file) or
  // wrote an error before closing. Either way it cannot carry a command any more.
  bool closed_by_server() const noexcept {
    pollfd watched{context_->fd, POLLIN, 0};
    return ::poll(&watched, 1, 0) != 0;
  }

 private:
  struct deleter {
    void operator()(redisContext* raw) const noexcept { redisFree(raw); }
  };
  connection(redisContext* raw, std::chrono::milliseconds command_timeout) noexcept
      : context_(raw), command_timeout_(command_timeout), socket_timeout_(command_timeout) {}

  std::unique_ptr<redisContext, deleter> context_;
  std::chrono::milliseconds command_timeout_;  // as configured
  std::chrono::milliseconds socket_timeout_;   // as set on the socket now
  bool broken_ = false;
};

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
