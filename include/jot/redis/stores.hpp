#pragma once

// The three session stores of stores.hpp on Redis, for a deployment of many processes: each
// store talks to a `client` (one server: connection_pool; a Redis Cluster: cluster_client).
//
// Key layout (docs/redis.md), with the configurable prefix P (default "jot:"):
//   P revoked:<jti>          string "1"; expires at the token's own exp plus
//                            store_options::revocation_margin (EXAT), so a revoked token costs
//                            memory only while a verifier could still accept it; revoked again,
//                            it keeps the later of the two ends
//   P version:{<subject>}    integer (INCR); never expires: a lost version would make the
//                            subject's older tokens valid again
//   P family:{<family id>}   hash of one refresh family (current and previous token, times,
//                            flags); expires at the family's absolute lifetime (EXAT)
// A family's whole state is one key, and every script touches that key alone, so each script
// runs on the single cluster node that owns the key's slot. The braces make the subject or the
// family id the hash tag (Redis Cluster specification, "Hash tags"), so keys added for a subject
// or a family later land in the same slot as these.
//
// Atomicity: a revocation is one Lua script, which Redis runs atomically (EVAL, "Script
// execution"): no other client's command runs between its reading of the expiry and its write,
// so of two revokes of one jti the later expiry wins whatever their order. A bump is INCR;
// start, consume, revoke and is_active of families are each one Lua script too, as consume()'s
// one rotation per token needs. Scripts are sent by their SHA-1 (EVALSHA) and, when the server
// does not know them yet (NOSCRIPT: a new server, a restart, SCRIPT FLUSH, another cluster node),
// once in full with EVAL.
//
// Durability: replication is asynchronous, so a write acknowledged by a master that dies before
// its replicas copied it is lost on failover. With store_options::min_replicas = N, revocations,
// family revocations and version bumps are followed by WAIT N on the same connection and report
// success only once N replicas hold them; fewer within replica_timeout is store_unavailable (the
// write may still have been made on the master: retrying it is safe, as revoking is idempotent
// and one bump more only rejects the same tokens again).
//
// Fail closed: every failure is an error result (stores.hpp's contract), never "not revoked".
// That includes data the stores did not write: a family field or a version counter changed or
// deleted by hand, or a key of another type, is store_unavailable, never a live session.

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

#include "jot/claims.hpp"
#include "jot/config.hpp"
#include "jot/errc.hpp"
#include "jot/redis/client.hpp"
#include "jot/result.hpp"
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

// What the three Redis stores share: their key prefix and their durability requirement.
struct store_options {
  // Put in front of every key, so that several applications (or tests) share one Redis.
  std::string key_prefix = "jot:";
  // Durability: how many replicas must acknowledge a revocation or a bump before it succeeds
  // (WAIT). 0: the master's acknowledgement is enough.
  int min_replicas = 0;
  // How long to WAIT for them.
  std::chrono::milliseconds replica_timeout{1000};
  // How long a blocklist entry outlives its token's exp: at least the clock skew any verifier of
  // the deployment allows, plus how far Redis's clock may run ahead of the verifiers' (Redis
  // expires keys by its own clock). A negative margin counts as zero.
  std::chrono::seconds revocation_margin = default_revocation_margin;
};

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

// The jti blocklist: one key per revoked jti, expiring at the token's exp + the margin.
class revocation_store final : public jot::revocation_store, detail::store_base {
 public:
  // Keeps its entries in the Redis that `redis` talks to (make_client() picks a standalone pool
  // or a cluster client); the three stores may share one client.
  revocation_store(std::shared_ptr<client> redis, store_options options = {})
      : store_base(std::move(redis), std::move(options)) {}

  // One script (revoke_source): the entry ends at expires_at + store_options::revocation_margin;
  // an existing entry keeps the later of its end and that one, a missing one is written. An end
  // in the past (by the server's clock) writes nothing, which is right: no verifier accepts the
  // token any more. Empty jti: invalid_argument.
  result<void> revoke(std::string_view jti, sys_seconds expires_at) override {
    if (jti.empty()) return errc::invalid_argument;
    const auto margin = std::max(options_.revocation_margin, std::chrono::seconds::zero());
    const sys_seconds end =
        expires_at > sys_seconds::max() - margin ? sys_seconds::max() : expires_at + margin;
    return jot::detail::run_store_operation([&]() -> result<void> {
      auto revoked =
          run_script(revoke_script_, key("revoked", jti, false), {seconds_text(end)}, true);
      if (!revoked) return revoked.error();
      if (revoked->type() != REDIS_REPLY_INTEGER) return errc::store_unavailable;
      return {};
    });
  }

  result<bool> is_revoked(std::string_view jti) override {
    if (jti.empty()) return false;  // revoke() never stores one
    return jot::detail::run_store_operation([&]() -> result<bool> {
      const std::string name = key("revoked", jti, false);
      auto answer = send_one(name, {"EXISTS", name}, false);
      if (!answer) return answer.error();
      if (answer->type() != REDIS_REPLY_INTEGER) return errc::store_unavailable;
      return answer->get()->integer != 0;
    });
  }

 private:
  // KEYS[1]: the entry. ARGV[1]: when it ends (the token's exp + the margin). Atomic, so no other
  // revoke of the same jti runs between the reading of the expiry (EXPIRETIME: -2 no key, -1 no
  // expiry) and the write: the later expiry wins in every order. An entry without expiry (written
  // by hand) stays as it is, revoked for good. Reads come first: Redis refuses a script's first
  // write that could grow memory on a full server (OOM, store_full), but not a write after another
  // write. 1 when the entry is there, 0 when the expiry is past and nothing was written.
  static constexpr std::string_view revoke_source = R"lua(
local at = tonumber(ARGV[1])
if at <= tonumber(redis.call('TIME')[1]) then return 0 end
local expiry = redis.call('EXPIRETIME', KEYS[1])
if expiry == -2 then
  redis.call('SET', KEYS[1], '1', 'EXAT', ARGV[1])
elseif expiry >= 0 and expiry < at then
  redis.call('EXPIREAT', KEYS[1], ARGV[1])
end
return 1
)lua";

  const detail::script revoke_script_{std::string(revoke_source)};
};

// Token versions: one integer per subject, INCR to bump.
class token_version_store final : public jot::token_version_store, detail::store_base {
 public:
  // As revocation_store's constructor.
  token_version_store(std::shared_ptr<client> redis, store_options options = {})
      : store_base(std::move(redis), std::move(options)) {}

  result<std::uint64_t> current(std::string_view subject) override {
    if (subject.empty()) return std::uint64_t{0};  // bump() refuses it
    return jot::detail::run_store_operation([&]() -> result<std::uint64_t> {
      const std::string name = key("version", subject, true);
      auto answer = send_one(name, {"GET", name}, false);
      if (!answer) return answer.error();
      if (answer->is_nil()) return std::uint64_t{0};
      return detail::unsigned_of(answer->get());
    });
  }

  // Empty subject: invalid_argument.
  result<std::uint64_t> bump(std::string_view subject) override {
    if (subject.empty()) return errc::invalid_argument;
    return jot::detail::run_store_operation([&]() -> result<std::uint64_t> {
      const std::string name = key("version", subject, true);
      auto answer = send_one(name, {"INCR", name}, true);
      if (!answer) return answer.error();
      return detail::unsigned_of(answer->get());
    });
  }
};

// Refresh families, one hash per family, every operation one Lua script; consume() keeps the
// rules of refresh_family_store::consume() in stores.hpp.
class refresh_family_store final : public jot::refresh_family_store, detail::store_base {
 public:
  // As revocation_store's constructor.
  refresh_family_store(std::shared_ptr<client> redis, store_options options = {})
      : store_base(std::move(redis), std::move(options)) {}

  result<void> start(const refresh_family& family) override {
    if (!jot::detail::is_valid_family(family)) return errc::invalid_argument;
    return jot::detail::run_store_operation([&]() -> result<void> {
      auto started =
          run_script(start_script_, key("family", family.id, true),
                     {family.token_id, seconds_text(family.created_at),
                      seconds_text(family.expires_at), std::to_string(family.idle_timeout.count()),
                      std::to_string(family.reuse_interval.count())},
                     false);
      if (!started) return started.error();
      if (started->type() != REDIS_REPLY_INTEGER) return errc::store_unavailable;
      if (started->get()->integer == 0) return errc::invalid_argument;
      return {};
    });
  }

  result<refresh_consumption> consume(std::string_view family_id, std::string_view token_id,
                                      std::string_view successor_id, sys_seconds now) override {
    if (family_id.empty() || token_id.empty() || successor_id.empty() || successor_id == token_id) {
      return errc::invalid_argument;
    }
    return jot::detail::run_store_operation([&]() -> result<refresh_consumption> {
      auto answer =
          run_script(consume_script_, key("family", family_id, true),
                     {std::string(token_id), std::string(successor_id), seconds_text(now)}, false);
      if (!answer) return answer.error();
      return consumption_of(*answer);
    });
  }

  // Durable (WAIT) as revocations are.
  result<void> revoke(std::string_view family_id) override {
    if (family_id.empty()) return errc::invalid_argument;
    return jot::detail::run_store_operation([&]() -> result<void> {
      auto revoked = run_script(revoke_script_, key("family", family_id, true), {}, true);
      if (!revoked) return revoked.error();
      return {};
    });
  }

  result<bool> is_active(std::string_view family_id, sys_seconds now) override {
    if (family_id.empty()) return false;  // start() never stores one
    return jot::detail::run_store_operation([&]() -> result<bool> {
      auto answer =
          run_script(is_active_script_, key("family", family_id, true), {seconds_text(now)}, false);
      if (!answer) return answer.error();
      if (answer->type() != REDIS_REPLY_INTEGER) return errc::store_unavailable;
      return answer->get()->integer == 1;
    });
  }

 private:
  // Shared by the scripts that read a family. read_family() returns nil when the key does not
  // exist, a table of the fields (times and durations as numbers, flags as booleans) when every
  // field holds what start() and consume() write, and otherwise the name of the first field that
  // does not, which the scripts answer with an error reply (store_unavailable: fail closed). A key
  // of another type fails HMGET (WRONGTYPE), an error reply too. What is accepted: `current` a
  // non-empty id, `previous` an id or empty (empty only while `replay` is '0'), `replay` and
  // `revoked` exactly '0' or '1', `issued_at` and `expires_at` decimal integers, `idle_timeout`
  // and `reuse_interval` non-negative ones; integers of at most 15 digits, which Lua's numbers
  // (doubles) hold exactly. Refused, say: a deleted field, 'true', '1 ', '1e9', '0x10', '1.5'.
  static constexpr std::string_view family_prelude = R"lua(
local family_fields = {'current', 'issued_at', 'previous', 'replay', 'revoked', 'expires_at',
                       'idle_timeout', 'reuse_interval'}
local function integer_of(value, minimum)
  if type(value) ~= 'string' or not string.match(value, '^%-?%d+$') then return nil end
  if #string.gsub(value, '^%-', '') > 15 then return nil end
  local number = tonumber(value)
  if minimum ~= nil and number < minimum then return nil end
  return number
end
local function flag_of(value)
  if value == '1' then return true end
  if value == '0' then return false end
  return nil
end
local function read_family(key)
  if redis.call('EXISTS', key) == 0 then return nil end
  local v = redis.call('HMGET', key, unpack(family_fields))
  local f = {current = v[1], issued_at = integer_of(v[2]), previous = v[3], replay = flag_of(v[4]),
             revoked = flag_of(v[5]), expires_at = integer_of(v[6]),
             idle_timeout = integer_of(v[7], 0), reuse_interval = integer_of(v[8], 0)}
  if type(f.current) ~= 'string' or f.current == '' then return 'current' end
  if f.issued_at == nil then return 'issued_at' end
  if type(f.previous) ~= 'string' then return 'previous' end
  if f.replay == nil or (f.replay and f.previous == '') then return 'replay' end
  if f.revoked == nil then return 'revoked' end
  if f.expires_at == nil then return 'expires_at' end
  if f.idle_timeout == nil then return 'idle_timeout' end
  if f.reuse_interval == nil then return 'reuse_interval' end
  return f
end
local function unreadable(key, field)
  return redis.error_reply('JOTDATA ' .. key .. ': field ' .. field .. ' is not what jot writes')
end
local function family_ended(f, now)
  local ends = f.expires_at
  if f.idle_timeout > 0 and f.idle_timeout < f.expires_at - f.issued_at then
    ends = f.issued_at + f.idle_timeout
  end
  return now >= ends
end
)lua";

  // KEYS[1]: the family. ARGV: first token id, created_at, expires_at, idle timeout, reuse
  // interval. 0 when the family exists already.
  static constexpr std::string_view start_source = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'current', ARGV[1], 'issued_at', ARGV[2], 'previous', '',
           'replay', '0', 'revoked', '0', 'expires_at', ARGV[3], 'idle_timeout', ARGV[4],
           'reuse_interval', ARGV[5])
redis.call('EXPIREAT', KEYS[1], ARGV[3])
return 1
)lua";

  // KEYS[1]: the family. ARGV: presented token id, successor id, now. Returns {verdict} or
  // {verdict, successor id, successor issued_at}, decided by the numbered rules of
  // refresh_family_store::consume() in stores.hpp, in their order. A family that does not read
  // back (read_family) is an error reply, and nothing is written.
  static constexpr std::string_view consume_source = R"lua(
local f = read_family(KEYS[1])
if f == nil then return {'revoked'} end
if type(f) == 'string' then return unreadable(KEYS[1], f) end
local now = tonumber(ARGV[3])
if family_ended(f, now) then return {'expired'} end
if ARGV[1] == f.current then
  if f.revoked then return {'revoked'} end
  local replay = '0'
  if f.reuse_interval > 0 then replay = '1' end
  redis.call('HSET', KEYS[1], 'current', ARGV[2], 'issued_at', ARGV[3], 'previous', ARGV[1],
             'replay', replay)
  return {'rotated', ARGV[2], ARGV[3]}
end
if not f.revoked and f.replay and ARGV[1] == f.previous and
   now - f.issued_at < f.reuse_interval then
  redis.call('HSET', KEYS[1], 'replay', '0')
  return {'replayed', f.current, f.issued_at}
end
redis.call('HSET', KEYS[1], 'revoked', '1')
return {'reused'}
)lua";

  // Marks the family revoked whatever its other fields hold: ending a session never fails on
  // data that does not read back.
  static constexpr std::string_view revoke_source = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'revoked', '1') end
return 1
)lua";

  // ARGV[1]: now. 1 when the family exists, is not revoked and has not ended; an error reply when
  // it does not read back (read_family).
  static constexpr std::string_view is_active_source = R"lua(
local f = read_family(KEYS[1])
if f == nil then return 0 end
if type(f) == 'string' then return unreadable(KEYS[1], f) end
if f.revoked or family_ended(f, tonumber(ARGV[1])) then return 0 end
return 1
)lua";

  static std::string with_prelude(std::string_view body) {
    std::string source(family_prelude);
    source.append(body);
    return source;
  }

  static result<refresh_consumption> consumption_of(const reply& answer) {
    const redisReply* raw = answer.get();
    if (answer.type() != REDIS_REPLY_ARRAY || raw->elements < 1) return errc::store_unavailable;
    const std::string_view verdict = reply::text_of(raw->element[0]);
    refresh_consumption consumed;
    if (verdict == "revoked" || verdict == "reused" || verdict == "expired") {
      consumed.verdict = verdict == "revoked"  ? refresh_verdict::revoked
                         : verdict == "reused" ? refresh_verdict::reused
                                               : refresh_verdict::expired;
      return consumed;
    }
    if ((verdict != "rotated" && verdict != "replayed") || raw->elements != 3) {
      return errc::store_unavailable;
    }
    consumed.verdict = verdict == "rotated" ? refresh_verdict::rotated : refresh_verdict::replayed;
    consumed.successor_id = std::string(reply::text_of(raw->element[1]));
    const auto issued_at = detail::unsigned_of(raw->element[2]);
    if (!issued_at) return issued_at.error();
    consumed.successor_issued_at =
        sys_seconds(std::chrono::seconds(static_cast<std::int64_t>(*issued_at)));
    return consumed;
  }

  const detail::script start_script_{std::string(start_source)};
  const detail::script consume_script_{with_prelude(consume_source)};
  const detail::script revoke_script_{std::string(revoke_source)};
  const detail::script is_active_script_{with_prelude(is_active_source)};
};

// The three stores on one client, for the session manager's builder:
//   builder.stores(jot::redis::make_stores(client));
inline session_stores make_stores(const std::shared_ptr<client>& redis,
                                  const store_options& options = {}) {
  return {std::make_shared<revocation_store>(redis, options),
          std::make_shared<token_version_store>(redis, options),
          std::make_shared<refresh_family_store>(redis, options)};
}

}  // namespace redis
JOT_END_NAMESPACE
