// The session benchmarks' operations (session.hpp): one jot::session_manager per kind of stores,
// configured as docs/sessions.md shows, with expect_active_session() so that authenticate runs
// every session check. The Redis part is compiled only when jot_bench links jot::redis
// (JOT_BENCH_HAVE_REDIS).

#include "session.hpp"

#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <jot/jot.hpp>
#include <jot/session.hpp>
#include <nlohmann/json.hpp>
#ifdef JOT_BENCH_HAVE_REDIS
#include <jot/redis/redis.hpp>
#endif

#include "bench.hpp"

namespace jot_bench {
namespace {

const std::string issuer = "https://auth.example.com";
const std::string audience = "https://api.example.com";
const std::string client_id = "web-app";
const std::string subject = "user-42";
// Longer than any run, short enough that a Redis server outside run-bench.sh forgets the keys
// soon after.
constexpr std::chrono::seconds lifetime = std::chrono::hours(1);
// A memory family store holds 100 000 families; the login benchmark gives its manager fresh stores
// after this many logins, so that the store never fills.
constexpr std::size_t logins_per_store = 50'000;

const nlohmann::json& application_claims() {
  static const nlohmann::json claims = {{"roles", {"admin", "user"}}};
  return claims;
}

std::optional<jot::signing_key> signing_key_of(const jws_algorithm& alg, const key_material& key) {
  const jot::algorithm jot_alg = jot::algorithm_from_name(alg.fully_specified_name).value();
  auto made = alg.family == strict_floor::signature_family::hmac
                  ? jot::signing_key::hmac(jot_alg, jot::secret_bytes(key.secret))
                  : jot::signing_key::from_pem(jot_alg, key.private_pem);
  if (!made) return std::nullopt;
  return std::move(*made);
}

// Makes the stores of one manager: fresh memory stores, or the same Redis ones each time.
using stores_factory = std::function<jot::session_stores()>;

std::optional<jot::session_manager> manager_with(const jot::signing_key& key,
                                                 const jot::session_stores& stores) {
  auto built = jot::session_manager::builder{}
                   .issuer(issuer)
                   .access_audience(audience)
                   .client_id(client_id)
                   .access_key(key)
                   .access_lifetime(lifetime)
                   .refresh_lifetime(lifetime)
                   .session_lifetime(lifetime)
                   .stores(stores)
                   .expect_active_session()
                   .build();
  if (!built) return std::nullopt;
  return std::move(*built);
}

// A session that refresh and authenticate work on: the manager, the current refresh token and
// the first access token (which stays valid: rotating does not end the session).
struct live_session {
  jot::session_manager manager;
  std::string access_token;
  std::string refresh_token;
};

// `outcome` failed with exactly `expected`.
template <typename T>
bool fails_with(const jot::result<T>& outcome, jot::errc expected) {
  return !outcome && outcome.error() == expected;
}

// The checks of session.hpp, on their own session of `manager`; what failed.
std::vector<std::string> check_manager(const jot::session_manager& manager) {
  std::vector<std::string> failures;
  const auto fail = [&failures](const char* what) { failures.emplace_back(what); };
  const auto first = manager.issue_pair(subject, application_claims());
  if (!first) return {"issue_pair failed: " + first.error().message()};
  const auto who = manager.authenticate(first->access_token);
  if (!who || who->claims().subject() != subject) fail("authenticate refuses a fresh login");
  const auto second = manager.refresh(first->refresh_token);
  if (!second) return {"refresh failed: " + second.error().message()};
  // Within the reuse interval the spent token replays: the same refresh token again.
  const auto replay = manager.refresh(first->refresh_token);
  if (!replay || replay->refresh_token != second->refresh_token) {
    fail("the spent refresh token does not replay its successor");
  }
  if (!manager.authenticate(second->access_token)) fail("authenticate refuses a refreshed token");
  if (!manager.revoke(second->access_token) ||
      !fails_with(manager.authenticate(second->access_token), jot::errc::token_revoked)) {
    fail("a revoked access token is not token_revoked");
  }
  if (!manager.end_session(second->refresh_token) ||
      !fails_with(manager.authenticate(first->access_token), jot::errc::token_revoked)) {
    fail("an ended session's access token is not token_revoked");
  }
  return failures;
}

session_stores_setup setup_of(std::string name, const jot::signing_key& key,
                              const stores_factory& make_stores) {
  session_stores_setup out{std::move(name), {}, {}, {}, {}};
  const auto checked = manager_with(key, make_stores());
  const auto timed = manager_with(key, make_stores());
  if (!checked || !timed) {
    out.failures.emplace_back("cannot be made");
    return out;
  }
  out.failures = check_manager(*checked);
  const auto pair = timed->issue_pair(subject, application_claims());
  if (!pair) out.failures.push_back("issue_pair failed: " + pair.error().message());
  if (!out.failures.empty()) return out;

  const auto session =
      std::make_shared<live_session>(live_session{*timed, pair->access_token, pair->refresh_token});
  out.refresh = [session] {
    auto next = session->manager.refresh(session->refresh_token);
    if (!next) return false;
    session->refresh_token = std::move(next->refresh_token);
    return true;
  };
  out.authenticate = [session] {
    const auto verified = session->manager.authenticate(session->access_token);
    return verified && verified->claims().subject() == subject;
  };
  // Logins on a manager of their own, replaced with fresh stores every logins_per_store logins.
  struct logins {
    jot::session_manager manager;
    std::size_t count = 0;
  };
  const auto login = std::make_shared<logins>(logins{*timed, 0});
  out.issue_pair = [login, key, make_stores] {
    if (++login->count == logins_per_store) {
      auto fresh = manager_with(key, make_stores());
      if (!fresh) return false;
      login->manager = std::move(*fresh);
      login->count = 0;
    }
    return login->manager.issue_pair(subject, application_claims()).has_value();
  };
  return out;
}

jot::session_stores memory_stores() {
  return {std::make_shared<jot::memory_revocation_store>(),
          std::make_shared<jot::memory_token_version_store>(),
          std::make_shared<jot::memory_refresh_family_store>()};
}

// The yardsticks (session.hpp), on a pair of the memory manager.
void add_yardsticks(const jot::signing_key& key, session_setup& setup) {
  const auto manager = manager_with(key, memory_stores());
  const auto pair = manager ? manager->issue_pair(subject, application_claims())
                            : jot::result<jot::token_pair>(jot::errc::invalid_argument);
  auto verifier = jot::verifier::builder{}
                      .add_key(key.verification_key().value())
                      .validator(jot::validator::builder{}
                                     .expect_issuer(issuer)
                                     .expect_audience(audience)
                                     .expect_type("at+jwt")
                                     .build())
                      .build();
  if (!pair || !verifier || !verifier->verify(pair->access_token)) {
    setup.failures.emplace_back("the plain verifier cannot be made or refuses the access token");
    return;
  }
  const std::string token = pair->access_token;
  // Reads the subject as the authenticate row does, so that the two differ by the manager's work.
  setup.plain_verify = [verifier = std::move(*verifier), token] {
    const auto verified = verifier.verify(token);
    return verified && verified->claims().subject() == subject;
  };

  // The two tokens as the manager writes them: the same claims, built per token.
  const jot::encoder access(key, std::string("at+jwt")), refresh(key, std::string("refresh+jwt"));
  const auto claims_of = [](bool is_access) {
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    jot::claims::builder builder(now);
    builder.issuer(issuer)
        .subject(subject)
        .audience(is_access ? audience : issuer)
        .jwt_id("AAAAAAAAAAAAAAAAAAAAAA")  // 22 characters, as random_token_id's
        .expires_at(now + lifetime)
        .claim("type", is_access ? "access" : "refresh")
        .claim("sid", "BBBBBBBBBBBBBBBBBBBBBB")
        .claim("ver", 0)
        .claim("auth_time", now.time_since_epoch().count());
    if (is_access) builder.claim("client_id", client_id);
    for (auto it = application_claims().begin(); it != application_claims().end(); ++it) {
      builder.claim(it.key(), it.value());
    }
    return builder.build();
  };
  setup.sign_pair = [access, refresh, claims_of] {
    const auto access_claims = claims_of(true);
    const auto refresh_claims = claims_of(false);
    if (!access_claims || !refresh_claims) return false;
    const auto a = access.sign(*access_claims);
    const auto r = refresh.sign(*refresh_claims);
    return a && r;
  };
}

#ifdef JOT_BENCH_HAVE_REDIS

// redis and redis-cached: the stores in the server at `address`, the second with its blocklist
// behind a revocation_cache (revocation.hpp's staleness).
void add_redis(const jot::signing_key& key, const redis_address& address, session_setup& setup) {
  jot::redis::connection_options options;
  options.host = address.host;
  options.port = address.port;
  const auto client = jot::redis::make_client(options);
  jot::redis::store_options store_options;
  store_options.key_prefix = "jot-bench-session:" + std::to_string(::getpid()) + ":";
  const jot::session_stores redis = jot::redis::make_stores(client, store_options);
  setup.stores.push_back(setup_of("redis", key, [redis] { return redis; }));

  auto cache = jot::revocation_cache::create(redis.revocations, redis_cache_staleness);
  if (!cache) {
    setup.stores.push_back({"redis-cached", {"cannot be made"}, {}, {}, {}});
    return;
  }
  jot::session_stores cached = redis;
  cached.revocations = std::move(*cache);
  setup.stores.push_back(setup_of("redis-cached", key, [cached] { return cached; }));
}

#endif

}  // namespace

session_setup make_session_benchmarks(const jws_algorithm& alg, const key_material& key,
                                      const std::optional<redis_address>& redis) {
  session_setup setup;
  const auto signing = signing_key_of(alg, key);
  if (!signing) {
    setup.failures.emplace_back("the key cannot be loaded");
    return setup;
  }
  add_yardsticks(*signing, setup);
  setup.stores.push_back(setup_of("memory", *signing, memory_stores));
#ifdef JOT_BENCH_HAVE_REDIS
  if (redis) add_redis(*signing, *redis, setup);
#else
  static_cast<void>(redis);  // main() refuses --redis in a build without jot::redis
#endif
  return setup;
}

}  // namespace jot_bench
