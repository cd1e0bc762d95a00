#pragma once

// redis::refresh_family_store: the refresh families of stores.hpp's contract on Redis, one hash
// per family (key layout and atomicity: the top of stores.hpp).

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
#include "jot/redis/detail/store_base.hpp"
#include "jot/redis/store_options.hpp"
#include "jot/result.hpp"
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

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
                      std::to_string(family.reuse_interval.count()), family.key_thumbprint},
                     false);
      if (!started) return started.error();
      if (started->type() != REDIS_REPLY_INTEGER) return errc::store_unavailable;
      if (started->get()->integer == 0) return errc::invalid_argument;
      return {};
    });
  }

  // Durable (WAIT) as revocations are, whatever the verdict: a rotation or a reuse detection that
  // a failover could undo is store_unavailable (docs/redis.md says what the caller does then).
  result<refresh_consumption> consume(std::string_view family_id, std::string_view token_id,
                                      const refresh_successor& successor,
                                      sys_seconds now) override {
    if (!jot::detail::is_valid_presentation(family_id, token_id, successor.id,
                                            successor.key_thumbprint)) {
      return errc::invalid_argument;
    }
    return jot::detail::run_store_operation([&]() -> result<refresh_consumption> {
      auto answer = run_script(consume_script_, key("family", family_id, true),
                               {std::string(token_id), successor.id, successor.claims,
                                seconds_text(now), successor.key_thumbprint},
                               true);
      if (!answer) return answer.error();
      return consumption_of(*answer, successor, now);
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
  // non-empty id, `previous` an id or empty (before the first rotation), `claims` any string (the
  // current token's claims, empty before the first rotation), `revoked` exactly '0' or '1',
  // `issued_at` and `expires_at` decimal integers, `idle_timeout` and `reuse_interval`
  // non-negative ones; integers of at most 15 digits, which Lua's numbers (doubles) hold exactly;
  // `key` empty or 43 base64url characters (detail::is_key_binding). Refused, say: a deleted
  // field, 'true', '1 ', '1e9', '0x10', '1.5', a key of 42 characters or with a '+'.
  static constexpr std::string_view family_prelude = R"lua(
local family_fields = {'current', 'issued_at', 'previous', 'claims', 'revoked', 'expires_at',
                       'idle_timeout', 'reuse_interval', 'key'}
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
  local f = {current = v[1], issued_at = integer_of(v[2]), previous = v[3], claims = v[4],
             revoked = flag_of(v[5]), expires_at = integer_of(v[6]),
             idle_timeout = integer_of(v[7], 0), reuse_interval = integer_of(v[8], 0), key = v[9]}
  if type(f.current) ~= 'string' or f.current == '' then return 'current' end
  if f.issued_at == nil then return 'issued_at' end
  if type(f.previous) ~= 'string' then return 'previous' end
  if type(f.claims) ~= 'string' then return 'claims' end
  if f.revoked == nil then return 'revoked' end
  if f.expires_at == nil then return 'expires_at' end
  if f.idle_timeout == nil then return 'idle_timeout' end
  if f.reuse_interval == nil then return 'reuse_interval' end
  if type(f.key) ~= 'string' or not (f.key == '' or string.match(f.key, '^[%w_%-]+$') and
     #f.key == 43) then
    return 'key'
  end
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
  // interval, DPoP key thumbprint (empty: none). 0 when the family exists already.
  static constexpr std::string_view start_source = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'current', ARGV[1], 'issued_at', ARGV[2], 'previous', '',
           'claims', '', 'revoked', '0', 'expires_at', ARGV[3], 'idle_timeout', ARGV[4],
           'reuse_interval', ARGV[5], 'key', ARGV[6])
redis.call('EXPIREAT', KEYS[1], ARGV[3])
return 1
)lua";

  // KEYS[1]: the family. ARGV: presented token id, successor id, successor claims, now, the
  // presentation's DPoP key thumbprint. Returns {verdict}, or {'replayed', successor id,
  // successor issued_at, successor claims}, decided by the
  // numbered rules of refresh_family_store::consume() in stores.hpp, in their order. A family that
  // does not read back (read_family) is an error reply, and nothing is written.
  static constexpr std::string_view consume_source = R"lua(
local f = read_family(KEYS[1])
if f == nil then return {'revoked'} end
if type(f) == 'string' then return unreadable(KEYS[1], f) end
local now = tonumber(ARGV[4])
if family_ended(f, now) then return {'expired'} end
if ARGV[5] ~= f.key then
  redis.call('HSET', KEYS[1], 'revoked', '1')
  return {'key_mismatch'}
end
if ARGV[1] == f.current then
  if f.revoked then return {'revoked'} end
  redis.call('HSET', KEYS[1], 'current', ARGV[2], 'issued_at', ARGV[4], 'previous', ARGV[1],
             'claims', ARGV[3])
  return {'rotated'}
end
if not f.revoked and f.reuse_interval > 0 and f.previous ~= '' and ARGV[1] == f.previous and
   now - f.issued_at < f.reuse_interval then
  return {'replayed', f.current, f.issued_at, f.claims}
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

  // The script's answer; a rotation hands out the successor offered, issued at `now`.
  static result<refresh_consumption> consumption_of(const reply& answer,
                                                    const refresh_successor& offered,
                                                    sys_seconds now) {
    const redisReply* raw = answer.get();
    if (answer.type() != REDIS_REPLY_ARRAY || raw->elements < 1) return errc::store_unavailable;
    const std::string_view verdict = reply::text_of(raw->element[0]);
    refresh_consumption consumed;
    if (raw->elements == 1) {
      if (verdict == "rotated") {
        consumed.verdict = refresh_verdict::rotated;
        consumed.successor = offered;
        consumed.successor.issued_at = now;
      } else if (verdict == "revoked") {
        consumed.verdict = refresh_verdict::revoked;
      } else if (verdict == "reused") {
        consumed.verdict = refresh_verdict::reused;
      } else if (verdict == "expired") {
        consumed.verdict = refresh_verdict::expired;
      } else if (verdict == "key_mismatch") {
        consumed.verdict = refresh_verdict::key_mismatch;
      } else {
        return errc::store_unavailable;
      }
      return consumed;
    }
    if (verdict != "replayed" || raw->elements != 4) return errc::store_unavailable;
    consumed.verdict = refresh_verdict::replayed;
    consumed.successor.id = std::string(reply::text_of(raw->element[1]));
    if (consumed.successor.id.empty()) return errc::store_unavailable;
    const auto issued_at = detail::unsigned_of(raw->element[2]);
    if (!issued_at) return issued_at.error();
    consumed.successor.issued_at =
        sys_seconds(std::chrono::seconds(static_cast<std::int64_t>(*issued_at)));
    consumed.successor.claims = std::string(reply::text_of(raw->element[3]));
    // A replay passed rule 3: the presentation's key is the family's.
    consumed.successor.key_thumbprint = offered.key_thumbprint;
    return consumed;
  }

  const detail::script start_script_{std::string(start_source)};
  const detail::script consume_script_{with_prelude(consume_source)};
  const detail::script revoke_script_{std::string(revoke_source)};
  const detail::script is_active_script_{with_prelude(is_active_source)};
};

}  // namespace redis
JOT_END_NAMESPACE
