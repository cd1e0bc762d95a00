// The revocation benchmarks' implementations (revocation.hpp): jot's verifier as jot_impl.cpp
// builds it, with expect_that(jot::not_revoked(...)) in front of a memory_revocation_store, the
// jot::redis revocation store, or a revocation_cache over the latter. The Redis part is compiled
// only when jot_bench links jot::redis (JOT_BENCH_HAVE_REDIS).

#include "revocation.hpp"

#include <unistd.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <jot/jot.hpp>
#include <jot/session.hpp>
#ifdef JOT_BENCH_HAVE_REDIS
#include <jot/redis/redis.hpp>
#endif

#include "bench.hpp"
#include "fixture.hpp"
#include "jot_impl.hpp"

namespace jot_bench {
namespace {

// SplitMix64's output function: a fixed, well-spread sequence without a random engine, so that
// every run revokes the same jtis.
std::uint64_t mixed(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The i-th of the blocklist's other jtis, a version-4-shaped UUID: spread like random ones, so
// that the keys of an ordered map part in their first characters as real blocklists' keys do.
std::string other_jti(std::uint64_t i) {
  const std::uint64_t high = mixed(2 * i), low = mixed(2 * i + 1);
  char text[40];
  std::snprintf(text, sizeof text,
                "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-%04" PRIx64 "-%012" PRIx64, high >> 32,
                (high >> 16) & 0xffff, high & 0xfff, 0x8000 | ((low >> 48) & 0x3fff),
                low & ((std::uint64_t{1} << 48) - 1));
  return text;
}

jot::sys_seconds token_expiry() {
  return jot::sys_seconds(std::chrono::seconds(canonical_claims().expires_at));
}

// The verifier of `alg` checking `store`; nullptr when it cannot be built.
std::unique_ptr<token_implementation> verifier_with(const jws_algorithm& alg,
                                                    const key_material& key,
                                                    std::shared_ptr<jot::revocation_store> store) {
  auto policy = jot::validator::builder{}.expect_that(jot::not_revoked(std::move(store))).build();
  if (!policy) return nullptr;
  return make_jot_verifying_with(alg, key, std::move(*policy));
}

// Fills `store` with the revoked_jti_count other jtis, then reads the last one back; what went
// wrong, or nothing.
std::vector<std::string> fill(jot::revocation_store& store) {
  for (std::uint64_t i = 0; i < revoked_jti_count; ++i) {
    const auto revoked = store.revoke(other_jti(i), token_expiry());
    if (!revoked) return {"revoking the blocklist's jtis failed: " + revoked.error().message()};
  }
  const auto last = store.is_revoked(other_jti(revoked_jti_count - 1));
  if (!last || !*last) return {"the blocklist does not read back a jti it holds"};
  return {};
}

// A blocklist holding the token's own jti, for the checks.
std::vector<std::string> revoke_token(jot::revocation_store& store) {
  const auto revoked = store.revoke(canonical_jti, token_expiry());
  if (!revoked) return {"revoking the token's jti failed: " + revoked.error().message()};
  return {};
}

// The implementation checking `timed`, and its twin checking `revoked` (both already filled).
revocation_implementation implementation_of(std::string name, const jws_algorithm& alg,
                                            const key_material& key,
                                            std::shared_ptr<jot::revocation_store> timed,
                                            std::shared_ptr<jot::revocation_store> revoked) {
  revocation_implementation out{std::move(name),
                                {},
                                verifier_with(alg, key, std::move(timed)),
                                verifier_with(alg, key, std::move(revoked))};
  if (!out.timed || !out.revoked) out.failures.push_back("cannot be made");
  return out;
}

revocation_implementation make_memory(const jws_algorithm& alg, const key_material& key) {
  const std::string name = "jot-memory";
  auto timed = std::make_shared<jot::memory_revocation_store>();
  auto revoked = std::make_shared<jot::memory_revocation_store>();
  auto failures = fill(*timed);
  if (failures.empty()) failures = revoke_token(*revoked);
  if (!failures.empty()) return {name, std::move(failures), nullptr, nullptr};
  return implementation_of(name, alg, key, std::move(timed), std::move(revoked));
}

#ifdef JOT_BENCH_HAVE_REDIS

// The server's version from INFO, or "?" when the reply does not have it.
std::string redis_version(jot::redis::client& client) {
  const auto replies = client.execute({}, {{"INFO", "server"}});
  if (!replies || replies->empty()) return "?";
  const std::string_view info = replies->front().text();
  constexpr std::string_view field = "redis_version:";
  const auto at = info.find(field);
  if (at == std::string_view::npos) return "?";
  const auto start = at + field.size();
  return std::string(info.substr(start, info.find_first_of("\r\n", start) - start));
}

// jot-redis and jot-redis-cached, sharing one filled blocklist; each a failure when the server
// does not answer or a write fails.
void add_redis(const jws_algorithm& alg, const key_material& key, const redis_address& address,
               revocation_setup& setup) {
  const std::string where = address.host + ":" + std::to_string(address.port);
  jot::redis::connection_options options;
  options.host = address.host;
  options.port = address.port;
  const auto client = jot::redis::make_client(options);
  std::vector<std::string> failures;
  if (const auto ping = client->health_check(); !ping) {
    failures.push_back("Redis at " + where + " does not answer: " + ping.error().message());
  }
  setup.redis_server = "Redis " + redis_version(*client) + " at " + where;

  jot::redis::store_options timed_options;
  timed_options.key_prefix = "jot-bench:" + std::to_string(::getpid()) + ":";
  jot::redis::store_options revoked_options = timed_options;
  revoked_options.key_prefix += "check:";
  const auto timed = jot::redis::make_stores(client, timed_options).revocations;
  const auto revoked = jot::redis::make_stores(client, revoked_options).revocations;
  if (failures.empty()) failures = fill(*timed);
  if (failures.empty()) failures = revoke_token(*revoked);
  if (!failures.empty()) {
    setup.implementations.push_back({"jot-redis", failures, nullptr, nullptr});
    setup.implementations.push_back({"jot-redis-cached", std::move(failures), nullptr, nullptr});
    return;
  }
  setup.implementations.push_back(implementation_of("jot-redis", alg, key, timed, revoked));

  // Two caches, each in front of its own blocklist: the twin's starts empty, so it has to ask
  // Redis and learn the revocation made there, as a cache in another process would.
  auto timed_cache = jot::revocation_cache::create(timed, redis_cache_staleness);
  auto revoked_cache = jot::revocation_cache::create(revoked, redis_cache_staleness);
  if (!timed_cache || !revoked_cache) {
    setup.implementations.push_back({"jot-redis-cached", {"cannot be made"}, nullptr, nullptr});
    return;
  }
  setup.implementations.push_back(implementation_of(
      "jot-redis-cached", alg, key, std::move(*timed_cache), std::move(*revoked_cache)));
}

#endif

}  // namespace

std::optional<redis_address> parse_redis_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5) return std::nullopt;
  int value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return std::nullopt;
  return redis_address{std::string(text.substr(0, colon)), value};
}

revocation_setup make_jot_revocations(const jws_algorithm& alg, const key_material& key,
                                      const std::optional<redis_address>& redis) {
  revocation_setup setup;
  setup.implementations.push_back(make_memory(alg, key));
#ifdef JOT_BENCH_HAVE_REDIS
  if (redis) add_redis(alg, key, *redis, setup);
#else
  // main() refuses --redis in a build without jot::redis, so `redis` is never set here.
  static_cast<void>(redis);
#endif
  return setup;
}

}  // namespace jot_bench
