// jot::redis refuses a Redis server that may evict keys (detail/eviction_policy.hpp): an evicting
// policy drops blocklist entries, refresh families and token versions without a word, and with
// them revocations. Against real servers started with allkeys-lru, volatile-lru and noeviction,
// a policy changed at runtime, and the explicit opt-out; and the reading of INFO's text itself.

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <jot/jot.hpp>
#include <jot/redis/connection_pool.hpp>
#include <jot/redis/detail/eviction_policy.hpp>
#include <jot/redis/stores.hpp>
#include <jot/session.hpp>

#include "catch.hpp"
#include "redis_scenarios.hpp"
#include "redis_servers.hpp"

using namespace std::chrono_literals;
using jot::errc;
using jot_redis_test::options_for;
using jot_redis_test::redis_server;

namespace eviction_test {

// A server with a 100 MB maxmemory and `policy`.
std::vector<std::string> limited_to_100mb(const std::string& policy) {
  return {"--maxmemory", "100mb", "--maxmemory-policy", policy};
}

std::shared_ptr<jot::redis::connection_pool> pool_for(const redis_server& server,
                                                      bool allow_evicting_policy = false) {
  auto options = options_for(server.port());
  options.allow_evicting_policy = allow_evicting_policy;
  return std::make_shared<jot::redis::connection_pool>(options);
}

jot::session_stores stores_on(const std::shared_ptr<jot::redis::client>& client) {
  return jot::redis::make_stores(client, jot_redis_test::fresh_options());
}

// Every store operation, and the session manager's, on `stores` fails with `expected`.
void check_every_call_fails(const jot::session_stores& stores, errc expected) {
  const jot::sys_seconds now = jot_redis_test::real_now();
  CHECK(stores.revocations->revoke("jti-1", now + 1h).error() == expected);
  CHECK(stores.revocations->is_revoked("jti-1").error() == expected);
  CHECK(stores.versions->bump("user-1").error() == expected);
  CHECK(stores.versions->current("user-1").error() == expected);
  CHECK(stores.families->start(jot_redis_test::family_named("family-1")).error() == expected);
  CHECK(stores.families->consume("family-1", "t0", {"t1", "{}", {}}, now).error() == expected);
  CHECK(stores.families->revoke("family-1").error() == expected);
  CHECK(stores.families->is_active("family-1", now).error() == expected);
  const auto sessions = jot_redis_test::sessions_on(stores);
  CHECK(sessions.issue_pair("user-1").error() == expected);
  CHECK(sessions.logout_everywhere("user-1").error() == expected);
}

// Every store operation on `stores` works.
void check_every_call_works(const jot::session_stores& stores) {
  const jot::sys_seconds now = jot_redis_test::real_now();
  CHECK(stores.revocations->revoke("jti-1", now + 1h).error() == std::error_code{});
  CHECK(stores.revocations->is_revoked("jti-1").value());
  CHECK(stores.versions->bump("user-1").value() == 1u);
  CHECK(stores.families->start(jot_redis_test::family_named("family-1")).error() ==
        std::error_code{});
  CHECK(stores.families->is_active("family-1", now).value());
  const auto sessions = jot_redis_test::sessions_on(stores);
  const auto pair = sessions.issue_pair("user-2");
  REQUIRE(pair.error() == std::error_code{});
  CHECK(sessions.authenticate(pair->access_token).error() == std::error_code{});
}

// A reply as hiredis reads it from `wire` (RESP, the Redis protocol).
jot::redis::reply reply_from(const std::string& wire) {
  redisReader* reader = redisReaderCreate();
  REQUIRE(reader != nullptr);
  void* raw = nullptr;
  const bool read = redisReaderFeed(reader, wire.data(), wire.size()) == REDIS_OK &&
                    redisReaderGetReply(reader, &raw) == REDIS_OK && raw != nullptr;
  redisReaderFree(reader);
  REQUIRE(read);
  return jot::redis::reply(static_cast<redisReply*>(raw));
}

// INFO's text as a bulk string reply.
jot::redis::reply info_reply(const std::string& text) {
  return reply_from("$" + std::to_string(text.size()) + "\r\n" + text + "\r\n");
}

}  // namespace eviction_test

using eviction_test::check_every_call_fails;
using eviction_test::check_every_call_works;
using eviction_test::limited_to_100mb;
using eviction_test::pool_for;
using eviction_test::stores_on;

TEST_CASE("redis eviction: a server that may evict keys is store_evicts, for every call",
          "[redis][eviction]") {
  for (const char* policy : {"allkeys-lru", "volatile-lru"}) {
    INFO(policy);
    redis_server server(limited_to_100mb(policy));
    const auto client = pool_for(server);
    CHECK(client->health_check().error() == errc::store_evicts);
    check_every_call_fails(stores_on(client), errc::store_evicts);
    // The same from a URL, which never opts out.
    const auto from_url = std::make_shared<jot::redis::connection_pool>(
        jot::redis::parse_url(server.url() + "/2").value());
    CHECK(from_url->health_check().error() == errc::store_evicts);
    CHECK(stores_on(from_url).versions->bump("user-1").error() == errc::store_evicts);
    // Refused before any store command was sent: no database holds a key.
    CHECK(server.ask({"INFO", "keyspace"}).text().find("keys=") == std::string_view::npos);
  }
}

TEST_CASE("redis eviction: allow_evicting_policy uses such a server all the same",
          "[redis][eviction]") {
  redis_server server(limited_to_100mb("allkeys-lru"));
  const auto client = pool_for(server, true);
  CHECK(client->health_check().error() == std::error_code{});
  check_every_call_works(stores_on(client));
}

TEST_CASE("redis eviction: noeviction, with or without maxmemory, is used", "[redis][eviction]") {
  redis_server server(limited_to_100mb("noeviction"));
  const auto client = pool_for(server);
  CHECK(client->health_check().error() == std::error_code{});
  check_every_call_works(stores_on(client));
  // Redis's default (maxmemory 0, noeviction), the shared server of the other tests.
  CHECK(jot_redis_test::shared_client()->health_check().error() == std::error_code{});
}

TEST_CASE("redis eviction: a policy changed at runtime shows in health_check and new connections",
          "[redis][eviction]") {
  redis_server server;
  const auto client = pool_for(server);
  const auto stores = stores_on(client);
  REQUIRE(client->health_check().error() == std::error_code{});
  REQUIRE(stores.versions->bump("user-1").value() == 1u);

  REQUIRE(server.ask({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}).text() == "OK");
  // The pool's connection, opened before the change, is asked again.
  CHECK(client->health_check().error() == errc::store_evicts);
  CHECK(pool_for(server)->health_check().error() == errc::store_evicts);
  check_every_call_fails(stores_on(pool_for(server)), errc::store_evicts);

  REQUIRE(server.ask({"CONFIG", "SET", "maxmemory-policy", "noeviction"}).text() == "OK");
  CHECK(client->health_check().error() == std::error_code{});
  CHECK(stores_on(pool_for(server)).versions->bump("user-1").value() == 1u);
}

TEST_CASE("redis eviction: the session checks report store_evicts and never fail open on it",
          "[redis][eviction][sessions]") {
  // Tokens issued on a sound server, then checked by services whose stores are on an evicting
  // one: each check names the cause, and the blocklist's fail-open does not cover it.
  const auto sound = stores_on(jot_redis_test::shared_client());
  const auto pair = jot_redis_test::sessions_on(sound).issue_pair("user-1").value();
  redis_server server(limited_to_100mb("volatile-lru"));
  const auto evicting = stores_on(pool_for(server));

  const auto check = [&](jot::session_stores stores, bool fail_open) {
    auto builder = jot::session_manager::builder{}
                       .issuer("https://auth.example.com")
                       .access_audience("https://api.example.com")
                       .client_id("web-app")
                       .access_key(jot_redis_test::access_key())
                       .stores(stores)
                       .expect_active_session();
    if (fail_open) builder.allow_unavailable_revocation_store();
    return builder.build().value().authenticate(pair.access_token).error();
  };
  CHECK(check(sound, false) == std::error_code{});
  CHECK(check({evicting.revocations, sound.versions, sound.families}, false) == errc::store_evicts);
  CHECK(check({evicting.revocations, sound.versions, sound.families}, true) == errc::store_evicts);
  CHECK(check({sound.revocations, evicting.versions, sound.families}, false) == errc::store_evicts);
  CHECK(check({sound.revocations, sound.versions, evicting.families}, false) == errc::store_evicts);
  // A server that cannot answer is still store_unavailable, and failed open when asked.
  server.stop();
  CHECK(check({evicting.revocations, sound.versions, sound.families}, false) ==
        errc::store_unavailable);
  CHECK(check({evicting.revocations, sound.versions, sound.families}, true) == std::error_code{});
}

TEST_CASE("redis eviction: the policy is read strictly from INFO's text", "[redis][eviction]") {
  using eviction_test::info_reply;
  using eviction_test::reply_from;
  using jot::redis::detail::refuse_eviction;
  const std::string before = "# Memory\r\nused_memory:1000\r\nmaxmemory:0\r\n";
  const std::string after = "allocator_frag_ratio:1.00\r\n";
  CHECK(refuse_eviction(info_reply(before + "maxmemory_policy:noeviction\r\n" + after)).error() ==
        std::error_code{});
  CHECK(refuse_eviction(info_reply("maxmemory_policy:noeviction")).error() == std::error_code{});
  for (const char* policy :
       {"allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu",
        "volatile-random", "volatile-ttl", "some-future-one"}) {
    INFO(policy);
    CHECK(refuse_eviction(info_reply(before + "maxmemory_policy:" + policy + "\r\n" + after))
              .error() == errc::store_evicts);
  }
  // Fail closed on anything else.
  const std::string unreadable[] = {
      before + after,                                                    // no policy line
      before + "maxmemory_policy:\r\n",                                  // no value
      before + "maxmemory_policy:noeviction \r\n",                       // not a policy name
      before + "maxmemory_policy:NOEVICTION\r\n",                        // nor this
      before + "maxmemory_policy:noeviction\n",                          // not a CRLF line
      "xmaxmemory_policy:noeviction\r\n",                                // not at a line's start
      "maxmemory_policy:noeviction\r\nmaxmemory_policy:noeviction\r\n",  // twice
      "",
  };
  for (const std::string& text : unreadable) {
    INFO(text);
    CHECK(refuse_eviction(info_reply(text)).error() == errc::store_unavailable);
  }
  const std::string not_text[] = {
      "+maxmemory_policy:noeviction\r\n",  // a status reply
      "-ERR unknown command 'INFO'\r\n",   // error replies
      "-NOPERM this user has no permissions to run the 'info' command\r\n",
      ":1\r\n",   // an integer
      "$-1\r\n",  // nil
  };
  for (const std::string& wire : not_text) {
    INFO(wire);
    CHECK(refuse_eviction(reply_from(wire)).error() == errc::store_unavailable);
  }
}
