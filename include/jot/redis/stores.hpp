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
// family revocations, refresh consumptions (a rotation, or the family revocation of a detected
// reuse) and version bumps are followed by WAIT N on the same connection and report success only
// once N replicas hold them; fewer within replica_timeout is store_unavailable (the write may
// still have been made on the master: retrying it is safe, as revoking is idempotent, one bump
// more only rejects the same tokens again, and a refresh retried inside the reuse interval gets
// the successor the first attempt was given, or rotates if a failover lost that attempt).
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
#include "jot/redis/detail/store_base.hpp"
#include "jot/redis/refresh_family_store.hpp"
#include "jot/redis/store_options.hpp"
#include "jot/result.hpp"
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

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
