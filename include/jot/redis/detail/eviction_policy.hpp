#pragma once

// Whether a Redis server may evict jot's keys, read from its maxmemory-policy. Every key jot
// writes is one some evicting policy drops: the volatile-* policies evict keys that have an
// expiry, as every blocklist entry and refresh family has, and the allkeys-* policies evict any
// key, the token versions included. A dropped entry is a revoked token accepted again, a dropped
// version a logged-out user's old tokens working again; so noeviction is the one safe policy
// (docs/redis.md, "Eviction").

#include <algorithm>
#include <string_view>

#include "jot/config.hpp"
#include "jot/errc.hpp"
#include "jot/redis/client.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace redis {
namespace detail {

// INFO's memory section, which holds a "maxmemory_policy:<name>" line: INFO rather than CONFIG
// GET, which managed services (ElastiCache, Memorystore...) disable while they allow INFO.
inline command eviction_policy_query() { return {"INFO", "memory"}; }

// The verdict on the reply to eviction_policy_query(): success for noeviction, store_evicts for
// any other policy, and store_unavailable (fail closed) for an error reply, a reply that is not
// text, or text without exactly one maxmemory_policy line holding a policy name.
inline result<void> refuse_eviction(const reply& info) {
  if (info.type() != REDIS_REPLY_STRING) return errc::store_unavailable;
  constexpr std::string_view field = "maxmemory_policy:";
  std::string_view text = info.text(), policy;
  int found = 0;
  while (!text.empty()) {  // INFO ends each "name:value" line with CRLF
    const auto end = text.find("\r\n");
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 2);
    if (line.substr(0, field.size()) == field) {
      policy = line.substr(field.size());
      ++found;
    }
  }
  const bool is_name = !policy.empty() && std::all_of(policy.begin(), policy.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (found != 1 || !is_name) return errc::store_unavailable;
  if (policy != "noeviction") return errc::store_evicts;
  return {};
}

}  // namespace detail
}  // namespace redis
JOT_END_NAMESPACE
