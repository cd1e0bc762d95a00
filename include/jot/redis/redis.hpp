#pragma once

// jot::redis, the optional Redis session stores (CMake target jot::redis, hiredis 0.14): every
// header of include/jot/redis/, and make_client to pick the client a URL and a deployment need.
// docs/redis.md is the operators' page (key layout, memory, failover, durability).
//
//   auto options = jot::redis::parse_url("redis://10.0.0.5:6379/0").value();
//   auto stores = jot::redis::make_stores(jot::redis::make_client(options));
//   auto sessions = jot::session_manager::builder{}
//                       ...
//                       .revocation_store(stores.revocations)
//                       .token_version_store(stores.versions)
//                       .refresh_family_store(stores.families)
//                       .build();

#include <memory>

#include "jot/redis/client.hpp"
#include "jot/redis/cluster.hpp"
#include "jot/redis/connection_pool.hpp"
#include "jot/redis/dpop_replay_store.hpp"
#include "jot/redis/key_slot.hpp"
#include "jot/redis/options.hpp"
#include "jot/redis/refresh_family_store.hpp"
#include "jot/redis/store_options.hpp"
#include "jot/redis/stores.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {

// A pool of connections to the server `options` names, or, with `cluster`, a router over the
// Redis Cluster that server belongs to (it is the first node asked for the slot map). Connects
// lazily: call health_check() to know at start-up whether Redis answers.
inline std::shared_ptr<client> make_client(const connection_options& options,
                                           bool cluster = false) {
  if (!cluster) return std::make_shared<connection_pool>(options);
  cluster_options routed;
  routed.node = options;
  return std::make_shared<cluster_client>(std::move(routed));
}

}  // namespace redis
JOT_END_NAMESPACE
