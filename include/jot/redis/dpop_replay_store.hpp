#pragma once

// The DPoP replay store (jot/dpop/replay_store.hpp) on Redis, for several processes that verify
// proofs for the same URIs: a proof replayed to another process is refused as it is to the first.
//
// Key layout (docs/redis.md), with the prefix P of store_options (default "jot:"):
//   P dpop:<proof id>   string "1", expiring at the proof's end of acceptance plus
//                       store_options::replay_margin (EXAT); the proof id is the verifier's
//                       fixed-size digest of the proof's key and jti
// One command decides: SET NX EXAT, which Redis runs atomically, so of any number of concurrent
// calls with one proof exactly one writes the key (first use) and every other finds it (replay).
// With store_options::min_replicas, the write is followed by WAIT as for the session stores;
// fewer replicas within replica_timeout is store_unavailable and the proof is refused (the key
// may be on the master: a retry of the proof is refused then too, never accepted twice).
// Fail closed: an error reply, a connection failure or a reply of another shape is an error
// (store_unavailable; store_full for a server out of memory; store_evicts for a server whose
// maxmemory-policy could drop the entries, connection_options::allow_evicting_policy).

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "jot/config.hpp"
#include "jot/dpop/replay_store.hpp"
#include "jot/errc.hpp"
#include "jot/redis/client.hpp"
#include "jot/redis/detail/store_base.hpp"
#include "jot/redis/store_options.hpp"
#include "jot/result.hpp"
#include "jot/session/stores.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

// Accepted DPoP proofs, one expiring key each; see the top of this file.
class dpop_replay_store final : public dpop::replay_store, detail::store_base {
 public:
  // Keeps its entries in the Redis that `redis` talks to; may share a client with the session
  // stores.
  dpop_replay_store(std::shared_ptr<client> redis, store_options options = {})
      : store_base(std::move(redis), std::move(options)) {}

  // SET P dpop:<id> 1 NX EXAT <until + replay_margin>: true when it wrote the key, false when the
  // key was there. Empty id: invalid_argument.
  result<bool> first_use(std::string_view proof_id, sys_seconds until) override {
    if (proof_id.empty()) return errc::invalid_argument;
    const auto margin = std::max(options_.replay_margin, std::chrono::seconds::zero());
    const sys_seconds end =
        until > sys_seconds::max() - margin ? sys_seconds::max() : until + margin;
    return jot::detail::run_store_operation([&]() -> result<bool> {
      const std::string name = key("dpop", proof_id, false);
      auto answer = send_one(name, {"SET", name, "1", "NX", "EXAT", seconds_text(end)}, true);
      if (!answer) return answer.error();
      if (answer->is_nil()) return false;
      if (answer->type() == REDIS_REPLY_STATUS && answer->text() == "OK") return true;
      return errc::store_unavailable;
    });
  }
};

}  // namespace redis
JOT_END_NAMESPACE
