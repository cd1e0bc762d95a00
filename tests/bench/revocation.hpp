#pragma once

// The revocation benchmarks: jot verifying the fixture's jti token with
// expect_that(jot::not_revoked(...)), the blocklist in this process's memory, in Redis, and in
// Redis behind a revocation_cache. Each blocklist holds revoked_jti_count other jtis, so that a
// lookup searches a populated store rather than an empty one. Measured for HS256 alone: its
// signature is the cheapest, so there a lookup's cost shows most. Named
// verify_revocation/<ALG>/<impl>, against verify_jti/<ALG>/jot (the plain verifier on the same
// token).

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench.hpp"

namespace jot_bench {

inline constexpr std::size_t revoked_jti_count = 10'000;
// The revocation_cache's max_staleness in jot-redis-cached: a token revoked through another
// process stays accepted here for up to this long, and each jti costs one Redis round trip per
// this long (revocation_cache.hpp).
inline constexpr std::chrono::milliseconds redis_cache_staleness{5000};

// jot_bench --redis=HOST:PORT: the server the Redis blocklist lives on.
struct redis_address {
  std::string host;
  int port = 0;
};
// nullopt unless `text` is HOST:PORT with a non-empty host and a port in 1-65535.
std::optional<redis_address> parse_redis_address(std::string_view text);

struct revocation_implementation {
  std::string name;  // <impl> in verify_revocation/<ALG>/<impl>
  // What went wrong making it; when not empty, the two implementations may be null.
  std::vector<std::string> failures;
  // The timed one: its blocklist holds revoked_jti_count jtis, none of them the token's.
  std::unique_ptr<token_implementation> timed;
  // For the checks alone: the same kind of blocklist, but a separate one that holds the token's
  // own jti, so that checking rejection does not add an entry to the timed blocklist.
  std::unique_ptr<token_implementation> revoked;
};

struct revocation_setup {
  std::vector<revocation_implementation> implementations;
  std::string redis_server;  // "Redis 7.0.15 at 127.0.0.1:6379"; empty without `redis`
};

// jot-memory, and with `redis` jot-redis and jot-redis-cached (which share one blocklist), for
// tokens of `alg` signed with `key` whose jti is canonical_jti. The Redis keys carry a prefix of
// this process's own and expire with the canonical token, so that runs sharing a server do not
// see each other's entries and leave nothing behind for long.
revocation_setup make_jot_revocations(const jws_algorithm& alg, const key_material& key,
                                      const std::optional<redis_address>& redis);

}  // namespace jot_bench
