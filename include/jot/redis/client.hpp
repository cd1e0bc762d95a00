#pragma once

// The vocabulary of jot::redis: a command, a reply, and `client`, the one interface the stores
// talk to. Two clients implement it: a pool of connections to one server (connection_pool.hpp)
// and a router over a Redis Cluster (cluster.hpp).
//
// Part of the optional jot::redis target (hiredis 0.14, found with pkg-config): not included by
// jot/jot.hpp.

#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jot/config.hpp"
#include "jot/errc.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

// One command as its arguments, binary-safe (hiredis sends each with its length).
using command = std::vector<std::string>;

// A reply from the server, owned. Error replies are replies too: the cluster router reads
// MOVED / ASK from them, the stores EVALSHA's NOSCRIPT; everything else becomes an errc through
// error_code().
class reply {
 public:
  reply() = default;
  // Takes ownership of a hiredis reply (nullptr: no reply, which reads as nil).
  explicit reply(redisReply* raw) noexcept : raw_(raw) {}

  // The hiredis reply and its REDIS_REPLY_* type; nil for no reply.
  const redisReply* get() const noexcept { return raw_.get(); }
  int type() const noexcept { return raw_ ? raw_->type : REDIS_REPLY_NIL; }
  bool is_error() const noexcept { return type() == REDIS_REPLY_ERROR; }
  bool is_nil() const noexcept { return type() == REDIS_REPLY_NIL; }
  // The text of a string, status or error reply; empty for other types.
  std::string_view text() const noexcept { return text_of(raw_.get()); }
  // Whether this is an error reply whose first word is `word` ("MOVED", "NOSCRIPT"...).
  bool is_error(std::string_view word) const noexcept {
    if (!is_error()) return false;
    const std::string_view message = text();
    return message.substr(0, word.size()) == word &&
           (message.size() == word.size() || message[word.size()] == ' ');
  }

  // What an error reply means for a store: a server out of memory (maxmemory with a noeviction
  // policy answers "OOM command not allowed when used memory > 'maxmemory'") is full; every other
  // error (LOADING, READONLY, MASTERDOWN, CLUSTERDOWN, BUSY, a wrong type...) means the store
  // cannot answer now.
  errc error_code() const noexcept {
    return is_error("OOM") ? errc::store_full : errc::store_unavailable;
  }

  // text() of any hiredis reply, such as an element of an array reply.
  static std::string_view text_of(const redisReply* raw) noexcept {
    if (raw == nullptr) return {};
    if (raw->type != REDIS_REPLY_STRING && raw->type != REDIS_REPLY_STATUS &&
        raw->type != REDIS_REPLY_ERROR) {
      return {};
    }
    return raw->str ? std::string_view(raw->str, raw->len) : std::string_view();
  }

 private:
  struct deleter {
    void operator()(redisReply* raw) const noexcept { freeReplyObject(raw); }
  };
  std::unique_ptr<redisReply, deleter> raw_;
};

// What the stores need from Redis. Implementations are safe to call from many threads at once.
class client {
 public:
  virtual ~client() = default;

  // Sends `commands` in one pipeline on one connection to the server that owns `key` (on a
  // cluster, the master of the key's hash slot; every key the commands name must hash to that
  // slot), and returns one reply per command, error replies included. Running them on one
  // connection is what lets a WAIT follow the write it is about (WAIT counts the replicas that
  // acknowledged the writes of the calling connection). An error result means no reply could be
  // read: store_unavailable (no connection, a timeout, a broken connection, a redirection that
  // did not settle) or out_of_memory; the commands may or may not have run.
  virtual result<std::vector<reply>> execute(std::string_view key,
                                             const std::vector<command>& commands) = 0;

  // Whether the stores can be used right now, for a readiness probe: every server the client
  // uses (for a cluster: every master) answers, and its eviction policy is noeviction unless
  // connection_options::allow_evicting_policy (read afresh at each call: store_evicts otherwise).
  virtual result<void> health_check() = 0;
};

}  // namespace redis
JOT_END_NAMESPACE
