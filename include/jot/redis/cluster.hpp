#pragma once

// cluster_client: the `client` of a Redis Cluster, a small router on hiredis (hiredis 0.14 has
// no cluster support). It follows the Redis Cluster specification
// (https://redis.io/docs/reference/cluster-spec/):
//  - a key belongs to hash slot key_slot(key) (key_slot.hpp);
//  - the slot map (which master serves which slots) is read with CLUSTER SLOTS at the first
//    command and whenever it proves stale, from the nodes that answered last first (a node that
//    failed since its last answer is asked last); one read at a time, and a caller that needs
//    the map while another reads it waits for that read instead of starting its own;
//  - a command goes to its slot's master, over that node's connection pool;
//  - "-MOVED <slot> <host>:<port>": the slot has a new owner for good; the map is read again and
//    the command sent there;
//  - "-ASK <slot> <host>:<port>": the slot is being migrated and this key is already on the
//    target; the command is sent there once, each command preceded by ASKING, and the map is
//    left as it is;
//  - "-CLUSTERDOWN" (the cluster lost a master and has not promoted a replica yet, which with
//    the default cluster-require-full-coverage stops every slot, not only the lost master's):
//    the reply is returned, store_unavailable for the stores, and the command is not sent again.
// A command is never sent twice: a MOVED or ASK refusal of every command of the pipeline says
// none of them ran, and a pipeline for which no connection could be had was not written. Only
// then is it sent again (to the redirection's target, or to the slot's new owner once the map is
// read again). A pipeline that was written and then timed out or lost its connection may have
// run: it is store_unavailable, never sent again, and the map is read again for the calls after
// it. So until the cluster has promoted a replica of a lost master (cluster-node-timeout plus an
// election), that master's slots are store_unavailable: the router fails closed, it never
// guesses. At most max_redirects redirections per command; more is store_unavailable.
//
// One call returns within 2 x (connect_timeout + command_timeout), plus its WAITs' timeouts
// (docs/redis.md, "Timeouts"): one map read and one send, each bounded like a call to one
// server; whatever else the call needs shares that deadline.
//
// Thread-safe: the map is shared under a reader-writer lock, held only to copy or replace it,
// never while a node is asked; each node has its own connection_pool.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "jot/config.hpp"
#include "jot/errc.hpp"
#include "jot/redis/client.hpp"
#include "jot/redis/connection_pool.hpp"
#include "jot/redis/detail/slot_map.hpp"
#include "jot/redis/key_slot.hpp"
#include "jot/redis/options.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

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
      const auto allowance = detail::wait_allowance(commands);
      const auto deadline = clock::now() + 2 * node_budget() + allowance;
      const int slot = key_slot(key);
      auto target = owner_of(slot);
      if (!target) {
        const auto refreshed = refresh(deadline);
        target = owner_of(slot);
        if (!target && !refreshed) return refreshed.error();  // store_evicts says why
      }
      bool asking = false, sent_again = false;
      for (int redirects = 0;;) {
        if (!target) return errc::store_unavailable;  // a slot no master serves
        auto sent =
            target->pool.try_execute(asking ? detail::with_asking(commands) : commands,
                                     std::min(deadline, clock::now() + node_budget() + allowance));
        if (!sent.replies) {
          target->failed();
          (void)refresh(deadline);  // for the calls after this one, should a replica take over
          auto owner = owner_of(slot);
          if (sent.may_have_run || asking || sent_again || !owner || owner == target) {
            return sent.replies.error();
          }
          sent_again = true;  // never written: the new owner may have it
          target = std::move(owner);
          continue;
        }
        target->answered();
        std::vector<reply> replies = std::move(*sent.replies);
        if (asking) replies = detail::without_asking(std::move(replies));
        if (replies.empty() || replies.size() != commands.size()) return errc::store_unavailable;
        const reply& first = replies.front();
        const bool moved = first.is_error("MOVED");
        if ((!moved && !first.is_error("ASK")) || !detail::all_redirected(replies, commands)) {
          return replies;
        }
        if (++redirects > options_.max_redirects) return errc::store_unavailable;
        auto [redirected_slot, address] = detail::redirection(first.text());
        if (redirected_slot != slot || address.first.empty()) return errc::store_unavailable;
        target = node_for(address.first, address.second);
        asking = !moved;
        if (moved) {
          ++moved_;
          // Read the whole map again (several slots usually moved together); until it says so
          // too, trust the redirection for this slot.
          (void)refresh(deadline);
          set_owner(slot, target);
        } else {
          ++ask_;
        }
      }
    }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(errc::store_unavailable); }
  }

  // Reads the slot map, then runs every master's health_check() (connection.hpp): all must pass.
  result<void> health_check() override {
    JOT_TRY {
      if (auto read = read_slot_map(); !read) return read.error();
      std::vector<std::shared_ptr<detail::cluster_node>> masters;
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
        if (auto answered = master->pool.health_check(); !answered) return answered.error();
      }
      return {};
    }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(errc::store_unavailable); }
  }

  // The counts so far; safe to call while other threads run commands.
  cluster_statistics statistics() const noexcept {
    return {moved_.load(), ask_.load(), map_reads_.load()};
  }

  // Reads the slot map (CLUSTER SLOTS) from the first node that answers (see the top of this
  // file for the order), or waits for the read another thread has started; within
  // connect_timeout + command_timeout. When no node answers in that time: store_evicts if one was
  // refused for its eviction policy, store_unavailable otherwise.
  result<void> read_slot_map() { return refresh(clock::now() + node_budget()); }

 private:
  using clock = std::chrono::steady_clock;
  using node_ptr = std::shared_ptr<detail::cluster_node>;

  // What one node may take to answer: a connection opened, a command answered.
  std::chrono::milliseconds node_budget() const noexcept {
    return options_.node.connect_timeout + options_.node.command_timeout;
  }

  // read_slot_map() by `deadline`.
  result<void> refresh(clock::time_point deadline) {
    std::unique_lock lock(refresh_mutex_);
    if (refreshing_) {
      const std::uint64_t seen = refreshes_done_;
      if (!refreshed_.wait_until(lock, deadline, [&] { return refreshes_done_ != seen; })) {
        return errc::store_unavailable;
      }
      return last_refresh_;
    }
    refreshing_ = true;
    lock.unlock();
    refresh_turn turn{*this};
    turn.outcome = read_map(std::min(deadline, clock::now() + node_budget())).error();
    return turn.outcome;
  }

  // The turn of the thread reading the map; its end is published to the waiting threads.
  struct refresh_turn {
    cluster_client& client;
    std::error_code outcome = make_error_code(errc::store_unavailable);
    ~refresh_turn() {
      const std::lock_guard lock(client.refresh_mutex_);
      client.refreshing_ = false;
      ++client.refreshes_done_;
      client.last_refresh_ = outcome;
      client.refreshed_.notify_all();
    }
  };

  result<void> read_map(clock::time_point deadline) {
    ++map_reads_;
    std::vector<std::pair<std::pair<bool, long long>, node_ptr>> candidates;
    const auto add = [&candidates](const node_ptr& node) {
      for (const auto& known : candidates) {
        if (known.second == node) return;
      }
      candidates.emplace_back(node->preference(), node);
    };
    {
      const std::shared_lock lock(map_mutex_);
      for (const auto& [name, node] : nodes_) add(node);
    }
    for (const auto& [host, port] : seeds_) add(node_for(host, port));
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    errc refusal = errc::store_unavailable;
    for (const auto& [preference, candidate] : candidates) {
      if (detail::time_left(deadline).count() <= 0) break;
      auto sent = candidate->pool.try_execute({{"CLUSTER", "SLOTS"}}, deadline);
      if (!sent.replies) {
        // A node refused for its eviction policy says why (a cluster's nodes usually share one).
        if (sent.replies.error() == errc::store_evicts) refusal = errc::store_evicts;
        candidate->failed();
        continue;
      }
      candidate->answered();
      if (sent.replies->front().type() != REDIS_REPLY_ARRAY) continue;
      auto owners = detail::parse_slot_map(
          *sent.replies->front().get(), candidate->pool.options().host,
          [this](const std::string& host, int port) { return node_for(host, port); });
      if (!owners) continue;
      const std::unique_lock lock(map_mutex_);
      owners_ = std::move(*owners);
      return {};
    }
    return refusal;
  }

  node_ptr owner_of(int slot) {
    const std::shared_lock lock(map_mutex_);
    return owners_.empty() ? nullptr : owners_[static_cast<std::size_t>(slot)];
  }
  void set_owner(int slot, node_ptr owner) {
    const std::unique_lock lock(map_mutex_);
    if (!owners_.empty()) owners_[static_cast<std::size_t>(slot)] = std::move(owner);
  }

  // The node at host:port, made on first use and kept (a node that left the cluster costs an
  // idle pool, which opens nothing until used).
  node_ptr node_for(const std::string& host, int port) {
    const std::string name = host + ":" + std::to_string(port);
    {
      const std::shared_lock lock(map_mutex_);
      if (const auto it = nodes_.find(name); it != nodes_.end()) return it->second;
    }
    connection_options options = options_.node;
    options.host = host;
    options.port = port;
    const std::unique_lock lock(map_mutex_);
    auto& node = nodes_[name];
    if (!node) node = std::make_shared<detail::cluster_node>(std::move(options));
    return node;
  }

  const cluster_options options_;
  std::vector<detail::address> seeds_;
  std::shared_mutex map_mutex_;  // guards owners_ and nodes_
  detail::slot_owners owners_;   // empty until the first map read
  std::map<std::string, node_ptr> nodes_;
  std::mutex refresh_mutex_;           // guards the three below: one map read at a time
  std::condition_variable refreshed_;  // a map read ended
  bool refreshing_ = false;
  std::uint64_t refreshes_done_ = 0;
  std::error_code last_refresh_;
  std::atomic<std::uint64_t> moved_{0}, ask_{0}, map_reads_{0};
};

}  // namespace redis
JOT_END_NAMESPACE
