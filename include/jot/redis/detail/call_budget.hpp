#pragma once

// The time one call to Redis may take and what a failed try says about its commands, shared by
// the pool (connection.hpp) and the cluster router (cluster.hpp); docs/redis.md, "Timeouts".

#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

#include "jot/config.hpp"
#include "jot/redis/client.hpp"
#include "jot/redis/options.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {
namespace detail {

// Time left until `deadline`, in whole milliseconds rounded up; zero or less once it has passed.
inline std::chrono::milliseconds time_left(
    std::chrono::steady_clock::time_point deadline) noexcept {
  return std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
}

// Whether `one` is a WAIT ("WAIT numreplicas timeout"; command names are case-insensitive).
inline bool is_wait(const command& one) noexcept {
  constexpr std::string_view name = "wait";
  if (one.size() != 3 || one[0].size() != name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if ((one[0][i] | 0x20) != name[i]) return false;
  }
  return true;
}

// How much longer than command_timeout a pipeline may wait for its replies: the timeouts of its
// WAIT commands (milliseconds), which the server may spend waiting for replicas before it
// answers (https://redis.io/commands/wait/).
inline std::chrono::milliseconds wait_allowance(const std::vector<command>& commands) noexcept {
  std::chrono::milliseconds total{0};
  for (const command& one : commands) {
    int timeout = 0;
    if (is_wait(one) && parse_number(one[2], 0, 999'999'999, timeout)) {
      total += std::chrono::milliseconds(timeout);
    }
  }
  return total;
}

// One try at sending a pipeline over a pool: the replies or the error, and whether the commands
// may have reached the server.
struct attempt {
  result<std::vector<reply>> replies;
  // False only when no connection could be had (none could be opened, or none became free in
  // time): nothing was written, so sending the commands elsewhere cannot run them twice. True
  // once anything may have been written, even if no reply came: the commands may have run.
  bool may_have_run;
};

}  // namespace detail
}  // namespace redis
JOT_END_NAMESPACE
