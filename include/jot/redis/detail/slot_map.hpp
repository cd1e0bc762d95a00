#pragma once

// What the cluster router (cluster.hpp) knows about the cluster: its nodes, each with a
// connection pool and when it last answered or failed, and the slot map read with CLUSTER
// SLOTS; and the reading of MOVED / ASK redirections
// (https://redis.io/docs/reference/cluster-spec/).

#include <hiredis/hiredis.h>

#include <atomic>
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
#include "jot/redis/connection_pool.hpp"
#include "jot/redis/key_slot.hpp"
#include "jot/redis/options.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {
namespace detail {

// One node of the cluster: its pool, and when it last answered and last failed to (a timeout, a
// broken connection, a refused one), which orders the nodes asked for the slot map.
class cluster_node {
 public:
  explicit cluster_node(connection_options options) : pool(std::move(options)) {}

  // Records an answer, or a failure to answer, now.
  void answered() noexcept { answered_at_ = now(); }
  void failed() noexcept { failed_at_ = now(); }

  // The key the nodes are asked for the slot map by, smallest first: those that did not fail
  // since they last answered, latest answer first (a stalled node stops answering, so the nodes
  // that keep answering pass it at once). Taken once per map read: the times change meanwhile.
  std::pair<bool, long long> preference() const noexcept {
    const long long answered = answered_at_, failed = failed_at_;
    return {failed > answered, -answered};
  }

  // Its connections.
  connection_pool pool;

 private:
  static long long now() noexcept {
    return static_cast<long long>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  std::atomic<long long> answered_at_{0}, failed_at_{0};
};

// The master of every slot (nullptr: not served); empty until the map was first read.
using slot_owners = std::vector<std::shared_ptr<cluster_node>>;

// A CLUSTER SLOTS reply as slot owners: an array of [first slot, last slot, [host, port, id, ...],
// replicas...]. An empty host means the node that answered ("Redis Cluster: CLUSTER SLOTS"
// reference). node_for(host, port) gives the node of an address.
template <typename NodeFor>
result<slot_owners> parse_slot_map(const redisReply& map, const std::string& answering_host,
                                   NodeFor&& node_for) {
  slot_owners owners(cluster_slots);
  for (std::size_t i = 0; i < map.elements; ++i) {
    const redisReply* range = map.element[i];
    if (range->type != REDIS_REPLY_ARRAY || range->elements < 3 ||
        range->element[0]->type != REDIS_REPLY_INTEGER ||
        range->element[1]->type != REDIS_REPLY_INTEGER ||
        range->element[2]->type != REDIS_REPLY_ARRAY || range->element[2]->elements < 2 ||
        range->element[2]->element[1]->type != REDIS_REPLY_INTEGER) {
      return errc::store_unavailable;
    }
    const long long first = range->element[0]->integer, last = range->element[1]->integer;
    if (first < 0 || last >= cluster_slots || first > last) return errc::store_unavailable;
    std::string host(reply::text_of(range->element[2]->element[0]));
    if (host.empty() || host == "?") host = answering_host;
    const auto master = node_for(host, static_cast<int>(range->element[2]->element[1]->integer));
    for (long long slot = first; slot <= last; ++slot) {
      owners[static_cast<std::size_t>(slot)] = master;
    }
  }
  return owners;
}

// A node's address, as (host, port).
using address = std::pair<std::string, int>;

// "MOVED 3999 127.0.0.1:6381" -> (3999, ("127.0.0.1", 6381)); (-1, ("", 0)) if malformed. IPv6
// literals come without brackets in redirections.
inline std::pair<int, address> redirection(std::string_view error) {
  const auto first_space = error.find(' ');
  const auto second_space = error.find(' ', first_space + 1);
  const auto colon = error.rfind(':');
  if (first_space == std::string_view::npos || second_space == std::string_view::npos ||
      colon == std::string_view::npos || colon < second_space) {
    return {-1, {}};
  }
  int slot = 0, port = 0;
  if (!parse_number(error.substr(first_space + 1, second_space - first_space - 1), 0,
                    cluster_slots - 1, slot) ||
      !parse_number(error.substr(colon + 1), 1, 65535, port)) {
    return {-1, {}};
  }
  return {slot, {std::string(error.substr(second_space + 1, colon - second_space - 1)), port}};
}

// Whether the node refused every command of the pipeline with a redirection (MOVED or ASK), so
// that none of them ran and the pipeline may be sent where it points. A WAIT names no key and
// changes nothing, so its reply does not count. Otherwise a command may have run (the slot
// moved between two commands of the pipeline), and nothing is sent again.
inline bool all_redirected(const std::vector<reply>& replies,
                           const std::vector<command>& commands) noexcept {
  if (replies.size() != commands.size()) return false;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    const bool redirected = replies[i].is_error("MOVED") || replies[i].is_error("ASK");
    if (!redirected && !is_wait(commands[i])) return false;
  }
  return true;
}

// ASKING applies to the one command after it, so each command gets its own.
inline std::vector<command> with_asking(const std::vector<command>& commands) {
  std::vector<command> asked;
  for (const command& one : commands) {
    asked.push_back({"ASKING"});
    asked.push_back(one);
  }
  return asked;
}
inline std::vector<reply> without_asking(std::vector<reply> replies) {
  std::vector<reply> answers;
  for (std::size_t i = 1; i < replies.size(); i += 2) answers.push_back(std::move(replies[i]));
  return answers;
}

}  // namespace detail
}  // namespace redis
JOT_END_NAMESPACE
