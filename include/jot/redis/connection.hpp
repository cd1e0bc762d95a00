#pragma once

// One hiredis connection to one server, used by one thread at a time; connection_pool.hpp keeps a
// thread-safe pool of them, the `client` of a standalone Redis server.
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
#include <cstddef>
#include <memory>
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

}  // namespace redis
JOT_END_NAMESPACE
