#pragma once

// cluster_client: the `client` of a Redis Cluster, a small router on hiredis (hiredis 0.14 has
// no cluster support). It follows the Redis Cluster specification
// (https://redis.io/docs/reference/cluster-spec/):
//  - a key belongs to hash slot key_slot(key) (key_slot.hpp);
//  - the slot map (which master serves which slots) is read with CLUSTER SLOTS from any node
//    that answers, at the first command and whenever it proves stale;
//  - a command goes to its slot's master, over that node's connection pool;
//  - "-MOVED <slot> <host>:<port>": the slot has a new owner for good; the map is read again and
//    the command sent there;
//  - "-ASK <slot> <host>:<port>": the slot is being migrated and this key is already on the
//    target; the command is sent there once, each command preceded by ASKING, and the map is
//    left as it is;
//  - a master that cannot be reached (killed, partitioned) makes the map stale: it is read again
//    from the other nodes, and the command goes to the new owner when a replica has been
//    promoted. Until the cluster has promoted one (cluster-node-timeout plus an election), the
//    slot's commands are store_unavailable: the router fails closed, it never guesses.
// At most max_redirects redirections per command; more is store_unavailable (a slot bouncing
// between nodes during a reconfiguration).
//
// Thread-safe: the map is shared under a reader-writer lock, map reads are serialised, and each
// node has its own connection_pool.

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/config.hpp"
#include "jot/errc.hpp"
#include "jot/redis/client.hpp"
#include "jot/redis/connection.hpp"
#include "jot/redis/key_slot.hpp"
#include "jot/redis/options.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

// Where a cluster_client finds the cluster and how it talks to its nodes.
struct cluster_options {
  // The first node to ask for the slot map, and the password, timeouts and pool size used for
  // every node (a cluster has database 0 only: another database is invalid_argument).
  connection_options node;
  // More nodes to ask when the first does not answer, as (host, port).
  std::vector<std::pair<std::string, int>> more_seeds;
  // MOVED and ASK redirections followed for one command before it is store_unavailable.
  int max_redirects = 5;
};

// How often the router had to correct itself: for metrics, and for the tests that check that
// MOVED and ASK were really followed.
struct cluster_statistics {
  // MOVED and ASK redirections followed, and slot map reads (CLUSTER SLOTS), since construction.
  std::uint64_t moved = 0;
  std::uint64_t ask = 0;
  std::uint64_t map_reads = 0;
};

// The client for a Redis Cluster: routes each command to the master of its key's slot and
// follows the cluster through resharding and failover; see the top of this file.
class cluster_client final : public client {
 public:
  // Connects lazily: the first command reads the slot map. A `node` with a database other than
  // 0 or a unix socket makes every command errc::invalid_argument.
  explicit cluster_client(cluster_options options) : options_(std::move(options)) {
    seeds_.emplace_back(options_.node.host, options_.node.port);
    seeds_.insert(seeds_.end(), options_.more_seeds.begin(), options_.more_seeds.end());
  }

  result<std::vector<reply>> execute(std::string_view key,
                                     const std::vector<command>& commands) override {
    JOT_TRY {
      if (options_.node.database != 0 || !options_.node.unix_socket.empty()) {
        return errc::invalid_argument;
      }
      const int slot = key_slot(key);
      std::shared_ptr<connection_pool> target;
      bool asking = false;
      bool map_read = false;
      for (int attempt = 0; attempt <= options_.max_redirects; ++attempt) {
        if (!asking) {
          target = owner_of(slot);
          if (!target && !map_read) {
            map_read = true;
            if (auto read = read_slot_map(); !read) return read.error();
            target = owner_of(slot);
          }
          if (!target) return errc::store_unavailable;  // a slot no master serves
        }
        auto replies = target->execute(key, asking ? with_asking(commands) : commands);
        if (!replies) {
          // The master may have died: read the map once from the other nodes and, if the slot
          // has a new owner, send it there.
          if (asking || map_read) return replies.error();
          map_read = true;
          if (!read_slot_map() || owner_of(slot) == target) return replies.error();
          continue;
        }
        if (asking) replies = without_asking(std::move(*replies));
        if (replies->empty()) return errc::store_unavailable;
        const reply& first = replies->front();
        if (first.is_error("MOVED")) {
          ++moved_;
          asking = false;
          auto [moved_slot, address] = redirection(first.text());
          // Read the whole map again (several slots usually moved together); until it says so
          // too, trust the redirection for this slot.
          if (auto read = read_slot_map(); !read) return read.error();
          map_read = true;
          if (moved_slot == slot && !address.first.empty() &&
              owner_of(slot) != pool_for(address.first, address.second)) {
            set_owner(slot, pool_for(address.first, address.second));
          }
          continue;
        }
        if (first.is_error("ASK")) {
          ++ask_;
          auto [ask_slot, address] = redirection(first.text());
          if (ask_slot != slot || address.first.empty()) return errc::store_unavailable;
          target = pool_for(address.first, address.second);
          asking = true;
          continue;
        }
        return replies;
      }
      return errc::store_unavailable;
    }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(errc::store_unavailable); }
  }

  // Reads the slot map, then runs every master's health_check() (connection.hpp): all must pass.
  result<void> health_check() override {
    JOT_TRY {
      if (auto read = read_slot_map(); !read) return read.error();
      std::vector<std::shared_ptr<connection_pool>> masters;
      {
        const std::shared_lock lock(map_mutex_);
        for (const auto& owner : owners_) {
          if (!owner) return errc::store_unavailable;  // slots without a master: not serving
          if (std::find(masters.begin(), masters.end(), owner) == masters.end()) {
            masters.push_back(owner);
          }
        }
      }
      for (const auto& master : masters) {
        if (auto answered = master->health_check(); !answered) return answered.error();
      }
      return {};
    }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(errc::store_unavailable); }
  }

  // The counts so far; safe to call while other threads run commands.
  cluster_statistics statistics() const noexcept {
    return {moved_.load(), ask_.load(), map_reads_.load()};
  }

  // Reads the slot map (CLUSTER SLOTS) from the first node that answers: the masters known, then
  // the seeds. When none does: store_evicts if one was refused for its eviction policy (a
  // cluster's nodes usually share one), store_unavailable otherwise.
  result<void> read_slot_map() {
    JOT_TRY {
      const std::lock_guard serialised(read_mutex_);
      ++map_reads_;
      std::vector<std::shared_ptr<connection_pool>> candidates;
      {
        const std::shared_lock lock(map_mutex_);
        for (const auto& [address, pool] : pools_) candidates.push_back(pool);
      }
      for (const auto& [host, port] : seeds_) candidates.push_back(pool_for(host, port));
      errc refusal = errc::store_unavailable;
      for (const auto& candidate : candidates) {
        auto replies = candidate->execute({}, {{"CLUSTER", "SLOTS"}});
        if (!replies && replies.error() == errc::store_evicts) refusal = errc::store_evicts;
        if (!replies || replies->front().type() != REDIS_REPLY_ARRAY) continue;
        auto owners = parse_slot_map(*replies->front().get(), candidate->options().host);
        if (!owners) continue;
        const std::unique_lock lock(map_mutex_);
        owners_ = std::move(*owners);
        return {};
      }
      return refusal;
    }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(errc::store_unavailable); }
  }

 private:
  using address = std::pair<std::string, int>;
  using slot_owners = std::vector<std::shared_ptr<connection_pool>>;

  // CLUSTER SLOTS: an array of [first slot, last slot, [host, port, id, ...], replicas...]. An
  // empty host means the node that answered ("Redis Cluster: CLUSTER SLOTS" reference).
  result<slot_owners> parse_slot_map(const redisReply& map, const std::string& answering_host) {
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
      const auto master = pool_for(host, static_cast<int>(range->element[2]->element[1]->integer));
      for (long long slot = first; slot <= last; ++slot) {
        owners[static_cast<std::size_t>(slot)] = master;
      }
    }
    return owners;
  }

  // "MOVED 3999 127.0.0.1:6381" -> (3999, ("127.0.0.1", 6381)); (-1, ("", 0)) if malformed.
  static std::pair<int, address> redirection(std::string_view error) {
    const auto first_space = error.find(' ');
    const auto second_space = error.find(' ', first_space + 1);
    const auto colon = error.rfind(':');
    if (first_space == std::string_view::npos || second_space == std::string_view::npos ||
        colon == std::string_view::npos || colon < second_space) {
      return {-1, {}};
    }
    int slot = 0, port = 0;
    if (!detail::parse_number(error.substr(first_space + 1, second_space - first_space - 1), 0,
                              cluster_slots - 1, slot) ||
        !detail::parse_number(error.substr(colon + 1), 1, 65535, port)) {
      return {-1, {}};
    }
    std::string host(error.substr(second_space + 1, colon - second_space - 1));
    // IPv6 literals come without brackets in redirections.
    return {slot, {std::move(host), port}};
  }

  // ASKING applies to the one command after it, so each command gets its own.
  static std::vector<command> with_asking(const std::vector<command>& commands) {
    std::vector<command> asked;
    for (const command& one : commands) {
      asked.push_back({"ASKING"});
      asked.push_back(one);
    }
    return asked;
  }
  static std::vector<reply> without_asking(std::vector<reply> replies) {
    std::vector<reply> answers;
    for (std::size_t i = 1; i < replies.size(); i += 2) answers.push_back(std::move(replies[i]));
    return answers;
  }

  std::shared_ptr<connection_pool> owner_of(int slot) {
    const std::shared_lock lock(map_mutex_);
    return owners_.empty() ? nullptr : owners_[static_cast<std::size_t>(slot)];
  }
  void set_owner(int slot, std::shared_ptr<connection_pool> owner) {
    const std::unique_lock lock(map_mutex_);
    if (!owners_.empty()) owners_[static_cast<std::size_t>(slot)] = std::move(owner);
  }

  // The pool of the node at host:port, made on first use and kept (a node that left the
  // cluster costs an idle pool, which opens nothing until used).
  std::shared_ptr<connection_pool> pool_for(const std::string& host, int port) {
    const std::string name = host + ":" + std::to_string(port);
    {
      const std::shared_lock lock(map_mutex_);
      if (const auto it = pools_.find(name); it != pools_.end()) return it->second;
    }
    connection_options node = options_.node;
    node.host = host;
    node.port = port;
    const std::unique_lock lock(map_mutex_);
    auto& pool = pools_[name];
    if (!pool) pool = std::make_shared<connection_pool>(std::move(node));
    return pool;
  }

  const cluster_options options_;
  std::vector<address> seeds_;
  std::mutex read_mutex_;        // one map read at a time
  std::shared_mutex map_mutex_;  // guards owners_ and pools_
  slot_owners owners_;           // empty until the first map read
  std::map<std::string, std::shared_ptr<connection_pool>> pools_;
  std::atomic<std::uint64_t> moved_{0}, ask_{0}, map_reads_{0};
};

}  // namespace redis
JOT_END_NAMESPACE
