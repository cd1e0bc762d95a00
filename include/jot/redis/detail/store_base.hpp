#pragma once

// What the Redis session stores (stores.hpp, refresh_family_store.hpp) share: a Lua script and
// its SHA-1, the base that keys, sends and WAITs, and the reading of integer replies.

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/config.hpp"
#include "jot/errc.hpp"
#include "jot/redis/client.hpp"
#include "jot/redis/store_options.hpp"
#include "jot/result.hpp"
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

namespace detail {

// A Lua script and its SHA-1, the name EVALSHA calls it by (SHA-1 here is Redis's script
// identifier, not a security mechanism).
class script {
 public:
  explicit script(std::string source) : source_(std::move(source)) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(source_.data(), source_.size(), digest, &length, EVP_sha1(), nullptr) == 1) {
      for (unsigned int i = 0; i < length; ++i) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", digest[i]);
        sha1_ += hex;
      }
    }
    // Without a digest EVALSHA is sent with an empty name, answered NOSCRIPT: EVAL then runs it.
  }
  const std::string& source() const noexcept { return source_; }
  const std::string& sha1() const noexcept { return sha1_; }

 private:
  std::string source_;
  std::string sha1_;
};

// What the three stores share: the client, the options, and the way a command is sent.
class store_base {
 protected:
  store_base(std::shared_ptr<client> redis, store_options options)
      : redis_(std::move(redis)), options_(std::move(options)) {}

  std::string key(std::string_view kind, std::string_view id, bool tagged) const {
    std::string name = options_.key_prefix;
    name.append(kind).append(tagged ? ":{" : ":").append(id);
    if (tagged) name.push_back('}');
    return name;
  }

  // Sends `commands` for `key`, followed by WAIT when `durable` and the options ask for
  // replicas. Returns one reply per command (not the WAIT's). When every command succeeded, a
  // WAIT that counted fewer replicas than asked is store_unavailable.
  result<std::vector<reply>> send(const std::string& key, std::vector<command> commands,
                                  bool durable) {
    const bool wait = durable && options_.min_replicas > 0;
    if (wait) {
      commands.push_back(
          {"WAIT", std::to_string(options_.min_replicas),
           std::to_string(std::max<long long>(1, options_.replica_timeout.count()))});
    }
    auto replies = redis_->execute(key, commands);
    if (!replies) return replies.error();
    if (replies->size() != commands.size()) return errc::store_unavailable;
    if (!wait) return replies;
    const reply acknowledged = std::move(replies->back());
    replies->pop_back();
    for (const reply& answer : *replies) {
      if (answer.is_error()) return replies;  // the caller reports the command's error
    }
    if (acknowledged.type() != REDIS_REPLY_INTEGER ||
        acknowledged.get()->integer < options_.min_replicas) {
      return errc::store_unavailable;
    }
    return replies;
  }

  // One reply of one command; an error reply becomes its errc.
  result<reply> send_one(const std::string& key, command one, bool durable) {
    std::vector<command> commands;
    commands.push_back(std::move(one));
    auto replies = send(key, std::move(commands), durable);
    if (!replies) return replies.error();
    reply answer = std::move(replies->front());
    if (answer.is_error()) return answer.error_code();
    return answer;
  }

  // Runs `code` on `key` with `arguments` (EVALSHA, then EVAL if the server lacks the script).
  result<reply> run_script(const script& code, const std::string& key,
                           const std::vector<std::string>& arguments, bool durable) {
    command call{"EVALSHA", code.sha1(), "1", key};
    call.insert(call.end(), arguments.begin(), arguments.end());
    std::vector<command> commands{call};
    auto replies = send(key, commands, durable);
    if (!replies) return replies.error();
    if (replies->front().is_error("NOSCRIPT")) {
      commands.front()[0] = "EVAL";
      commands.front()[1] = code.source();
      replies = send(key, commands, durable);
      if (!replies) return replies.error();
    }
    reply answer = std::move(replies->front());
    if (answer.is_error()) return answer.error_code();
    return answer;
  }

  static std::string seconds_text(sys_seconds time) {
    return std::to_string(time.time_since_epoch().count());
  }

  std::shared_ptr<client> redis_;
  store_options options_;
};

// An integer reply, or an integer in a string reply (GET, a script's array), as a non-negative
// number. The string must be what INCR writes: decimal digits without a sign or a leading zero,
// at most 2^63 - 1 (Redis's integers are signed 64-bit); anything else is store_unavailable.
inline result<std::uint64_t> unsigned_of(const redisReply* raw) {
  if (raw != nullptr && raw->type == REDIS_REPLY_INTEGER) {
    if (raw->integer < 0) return errc::store_unavailable;
    return static_cast<std::uint64_t>(raw->integer);
  }
  const std::string_view text = reply::text_of(raw);
  if (raw == nullptr || raw->type != REDIS_REPLY_STRING || text.empty() || text.size() > 19 ||
      (text.size() > 1 && text.front() == '0')) {
    return errc::store_unavailable;
  }
  constexpr std::uint64_t largest = 9223372036854775807u;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return errc::store_unavailable;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');  // 19 digits cannot wrap
  }
  if (value > largest) return errc::store_unavailable;
  return value;
}

}  // namespace detail

}  // namespace redis
JOT_END_NAMESPACE
