// jot::redis against one real redis-server (started by redis_servers.hpp): the store contract
// suite unchanged, the session flows, refresh races between threads and processes, the TTLs the
// key layout promises, and every fault an operator meets: the server stopped and restarted, a
// full server, a stalled server, a wrong password, forgotten scripts, too few replicas.

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <jot/jot.hpp>
#include <jot/redis/connection_pool.hpp>
#include <jot/redis/stores.hpp>
#include <jot/session.hpp>
#include <jot/unverified.hpp>

#include "catch.hpp"
#include "redis_scenarios.hpp"
#include "redis_servers.hpp"
#include "sessions/store_contract.hpp"

using namespace std::chrono_literals;
using jot::errc;
using jot::sys_seconds;
using jot_redis_test::family_named;
using jot_redis_test::fresh_options;
using jot_redis_test::options_for;
using jot_redis_test::real_now;
using jot_redis_test::redis_server;
using jot_redis_test::shared_client;
using jot_redis_test::shared_server;

namespace {

jot::session_stores fresh_stores(const std::shared_ptr<jot::redis::client>& client) {
  return jot::redis::make_stores(client, fresh_options());
}

const std::error_code ok{};

}  // namespace

JOT_STORE_CONTRACT_TESTS(
    "redis standalone", [] { return fresh_stores(shared_client()).revocations; },
    [] { return fresh_stores(shared_client()).versions; },
    [] { return fresh_stores(shared_client()).families; })

TEST_CASE("redis standalone: the session flows hold across services", "[redis]") {
  jot_redis_test::check_session_flows(fresh_stores(shared_client()));
}

TEST_CASE("redis standalone: 16 threads refreshing one token make exactly one winner",
          "[redis][threads]") {
  jot_redis_test::check_thread_race(fresh_stores(shared_client()));
}

TEST_CASE("redis standalone: 2 processes refreshing one token make exactly one winner", "[redis]") {
  const auto options = fresh_options();
  const int port = shared_server().port();
  jot_redis_test::check_process_race(
      jot::redis::make_stores(shared_client(), options), [port, options] {
        return jot::redis::make_stores(
            std::make_shared<jot::redis::connection_pool>(options_for(port)), options);
      });
}

TEST_CASE("redis standalone: keys expire as the key layout says", "[redis]") {
  const auto options = fresh_options();
  const auto stores = jot::redis::make_stores(shared_client(), options);
  const sys_seconds now = real_now();
  REQUIRE(stores.revocations->revoke("jti-ttl", now + 1h).error() == ok);
  REQUIRE(stores.versions->bump("user-ttl").error() == ok);
  auto family = family_named("family-ttl");
  family.expires_at = family.created_at + 2h;
  REQUIRE(stores.families->start(family).error() == ok);

  const auto pttl = [&](const std::string& key) {
    return shared_server().integer({"PTTL", options.key_prefix + key});
  };
  // The token's own exp plus the revocation margin, the family's absolute lifetime (a second of
  // slack for the clock tick between `now` and the server's reading); a version never expires
  // (-1).
  const auto margin = jot::default_revocation_margin;
  CHECK(pttl("revoked:jti-ttl") > (1h + margin - 2s) / 1ms);
  CHECK(pttl("revoked:jti-ttl") <= (1h + margin) / 1ms);
  CHECK(pttl("family:{family-ttl}") > (2h - 2s) / 1ms);
  CHECK(pttl("family:{family-ttl}") <= 2h / 1ms);
  CHECK(pttl("version:{user-ttl}") == -1);

  // Revoking again with a later exp extends the entry; with an earlier one keeps it.
  REQUIRE(stores.revocations->revoke("jti-ttl", now + 3h).error() == ok);
  CHECK(pttl("revoked:jti-ttl") > (3h - 2s) / 1ms);
  REQUIRE(stores.revocations->revoke("jti-ttl", now + 30min).error() == ok);
  CHECK(pttl("revoked:jti-ttl") > (3h - 2s) / 1ms);
  // A token that expired a moment ago is still accepted by a verifier that allows clock skew:
  // its entry is written, and lives until exp + the margin.
  REQUIRE(stores.revocations->revoke("jti-skewed", now - 1s).error() == ok);
  CHECK(pttl("revoked:jti-skewed") > (margin - 3s) / 1ms);
  CHECK(pttl("revoked:jti-skewed") <= (margin - 1s) / 1ms);
  // One that expired longer ago than the margin needs no entry.
  REQUIRE(stores.revocations->revoke("jti-expired", now - margin - 1s).error() == ok);
  CHECK(pttl("revoked:jti-expired") == -2);
}

TEST_CASE("redis standalone: a stopped server fails closed and a restarted one is used again",
          "[redis][faults]") {
  // Persistence on, as an operator must configure it (docs/redis.md): a restart keeps the
  // revocations and versions.
  redis_server server({"--appendonly", "yes", "--appendfsync", "always"});
  auto options = options_for(server.port());
  const auto client = std::make_shared<jot::redis::connection_pool>(options);
  const auto stores = fresh_stores(client);
  const auto sessions = jot_redis_test::sessions_on(stores);
  const sys_seconds now = real_now();

  const auto pair = sessions.issue_pair("user-1").value();
  const auto revoked = sessions.issue_pair("user-1").value();
  REQUIRE(sessions.revoke(revoked.access_token).error() == ok);
  REQUIRE(client->health_check().error() == ok);

  server.stop();
  // Every read and write is an error, and verification rejects the token.
  CHECK(client->health_check().error() == errc::store_unavailable);
  CHECK(stores.revocations->is_revoked("jti").error() == errc::store_unavailable);
  CHECK(stores.revocations->revoke("jti", now + 1h).error() == errc::store_unavailable);
  CHECK(stores.versions->current("user-1").error() == errc::store_unavailable);
  CHECK(stores.versions->bump("user-1").error() == errc::store_unavailable);
  const auto family = family_named("family-while-down");
  CHECK(stores.families->start(family).error() == errc::store_unavailable);
  CHECK(stores.families->consume("f", "t0", {"t1", "{}", {}}, now).error() ==
        errc::store_unavailable);
  CHECK(stores.families->revoke("f").error() == errc::store_unavailable);
  CHECK(stores.families->is_active("f", now).error() == errc::store_unavailable);
  CHECK(sessions.authenticate(pair.access_token).error() == errc::store_unavailable);
  CHECK(sessions.refresh(pair.refresh_token).error() == errc::store_unavailable);
  CHECK(sessions.logout_everywhere("user-1").error() == errc::store_unavailable);

  // The same client objects work again once the server is back, and nothing was lost.
  server.start();
  CHECK(client->health_check().error() == ok);
  CHECK(sessions.authenticate(pair.access_token).error() == ok);
  CHECK(sessions.authenticate(revoked.access_token).error() == errc::token_revoked);
  CHECK(sessions.refresh(pair.refresh_token).error() == ok);

  // A crash (SIGKILL) rather than a clean shutdown: the same.
  const auto after_crash = sessions.issue_pair("user-1").value();
  server.kill();
  CHECK(sessions.authenticate(after_crash.access_token).error() == errc::store_unavailable);
  server.start();
  CHECK(sessions.authenticate(after_crash.access_token).error() == ok);
}

TEST_CASE("redis standalone: a full server is store_full, and nothing is half written",
          "[redis][faults]") {
  redis_server server;
  const auto client = std::make_shared<jot::redis::connection_pool>(options_for(server.port()));
  const auto stores = fresh_stores(client);
  const sys_seconds now = real_now();
  REQUIRE(stores.revocations->revoke("before", now + 1h).error() == ok);

  REQUIRE(server.ask({"CONFIG", "SET", "maxmemory-policy", "noeviction"}).text() == "OK");
  REQUIRE(server.ask({"CONFIG", "SET", "maxmemory", "1"}).text() == "OK");
  CHECK(stores.revocations->revoke("during", now + 1h).error() == errc::store_full);
  CHECK(stores.versions->bump("user-1").error() == errc::store_full);
  const auto family = family_named("family-1");
  CHECK(stores.families->start(family).error() == errc::store_full);
  // Reads still work.
  CHECK(stores.revocations->is_revoked("before").value());
  CHECK_FALSE(stores.revocations->is_revoked("during").value());
  CHECK(stores.versions->current("user-1").value() == 0u);

  REQUIRE(server.ask({"CONFIG", "SET", "maxmemory", "0"}).text() == "OK");
  CHECK(stores.families->start(family).error() == ok);
  CHECK(stores.versions->bump("user-1").value() == 1u);
}

TEST_CASE("redis standalone: a server that does not answer in time is store_unavailable",
          "[redis][faults]") {
  auto options = options_for(shared_server().port());
  options.command_timeout = 200ms;
  const auto client = std::make_shared<jot::redis::connection_pool>(options);
  const auto stores = fresh_stores(client);
  REQUIRE(stores.versions->bump("user-1").value() == 1u);
  // CLIENT PAUSE holds every client's commands (Redis 6.2+), as a stalled server would.
  REQUIRE(shared_server().ask({"CLIENT", "PAUSE", "1500", "ALL"}).text() == "OK");
  CHECK(stores.versions->current("user-1").error() == errc::store_unavailable);
  CHECK(stores.versions->bump("user-1").error() == errc::store_unavailable);
  REQUIRE(shared_server().ask({"CLIENT", "UNPAUSE"}).text() == "OK");
  CHECK(jot_redis_test::eventually([&] { return stores.versions->current("user-1").has_value(); },
                                   10s));
  // The bump held by the pause may have run when the pause ended: at least the first one counts.
  CHECK(stores.versions->current("user-1").value() >= 1u);
}

TEST_CASE("redis standalone: with the server stalled, every call returns within the bound",
          "[redis][faults][stall]") {
  redis_server server;
  auto options = options_for(server.port());
  options.connect_timeout = 200ms;
  options.command_timeout = 2000ms;
  options.pool_size = 4;  // 16 threads: most calls wait for a connection first
  // docs/redis.md, "Timeouts": the longest a call to one server can take.
  const auto bound = options.connect_timeout + options.command_timeout;
  const auto client = std::make_shared<jot::redis::connection_pool>(options);
  const auto stores = fresh_stores(client);
  REQUIRE(stores.versions->bump("user-1").value() == 1u);

  std::vector<jot_redis_test::timed_call> calls;
  {
    const jot_redis_test::suspension stall(server);
    calls = jot_redis_test::calls_from_threads(
        16, 5s, [&](int) { return stores.versions->current("user-1").error(); });
  }
  const auto slowest = jot_redis_test::print_latencies("redis standalone, server stalled", calls);
  CHECK(slowest <= bound + 1s);
  for (const auto& call : calls) CHECK(call.outcome == errc::store_unavailable);
  CHECK(jot_redis_test::eventually([&] { return stores.versions->current("user-1").has_value(); },
                                   10s));
}

TEST_CASE("redis pool: a call says whether its commands may have reached the server",
          "[redis][pool]") {
  // What the cluster router decides on (cluster.hpp): commands that may have reached a server
  // are never sent to another, commands that did not may be.
  using clock = std::chrono::steady_clock;
  const std::vector<jot::redis::command> incr = {{"INCR", "jot-attempt-test"}};
  const auto in_time = [&](jot::redis::connection_pool& pool) {
    return clock::now() + pool.budget(incr);
  };
  SECTION("answered: sent") {
    jot::redis::connection_pool pool(options_for(shared_server().port()));
    const auto answered = pool.try_execute(incr, in_time(pool));
    CHECK(answered.replies.error() == ok);
    CHECK(answered.may_have_run);
    // A deadline already past: no connection is taken, nothing is written.
    const auto late = pool.try_execute(incr, clock::now());
    CHECK(late.replies.error() == errc::store_unavailable);
    CHECK_FALSE(late.may_have_run);
  }
  SECTION("nobody listens: not sent") {
    jot::redis::connection_pool pool(options_for(jot_redis_test::free_port()));
    const auto refused = pool.try_execute(incr, in_time(pool));
    CHECK(refused.replies.error() == errc::store_unavailable);
    CHECK_FALSE(refused.may_have_run);
  }
  SECTION("a stalled server: written and unanswered is sent; no free connection is not") {
    redis_server server;
    auto options = options_for(server.port());
    options.pool_size = 1;
    options.command_timeout = 1000ms;
    jot::redis::connection_pool pool(options);
    REQUIRE(pool.execute({}, incr).error() == ok);  // the one connection, idle
    const jot_redis_test::suspension stall(server);
    std::optional<jot::redis::detail::attempt> written;
    std::thread holder([&] { written.emplace(pool.try_execute(incr, in_time(pool))); });
    std::this_thread::sleep_for(200ms);  // the holder has taken the connection by now
    const auto queued = pool.try_execute(incr, clock::now() + 300ms);
    holder.join();
    CHECK(written->replies.error() == errc::store_unavailable);
    CHECK(written->may_have_run);
    CHECK(queued.replies.error() == errc::store_unavailable);
    CHECK_FALSE(queued.may_have_run);
  }
}

TEST_CASE("redis standalone: unix socket, password, ACL user and database from a URL", "[redis]") {
  redis_server server(
      {"--requirepass", "s3cret:@/", "--user", "ops", "on", ">ops-pass", "~*", "&*", "+@all"});
  const std::string socket = server.unix_socket();

  auto connect = [](const std::string& url) {
    auto options = jot::redis::parse_url(url);
    REQUIRE(options.error() == std::error_code{});
    return std::make_shared<jot::redis::connection_pool>(*options);
  };
  const auto db2 = connect("unix://:s3cret%3A%40%2F@" + socket + "?db=2");
  const auto db3 =
      connect("redis://ops:ops-pass@127.0.0.1:" + std::to_string(server.port()) + "/3");
  REQUIRE(db2->health_check().error() == ok);
  REQUIRE(db3->health_check().error() == ok);
  jot::redis::store_options same_prefix;
  same_prefix.key_prefix = "shared:";
  jot::redis::token_version_store in_db2(db2, same_prefix), in_db3(db3, same_prefix);
  CHECK(in_db2.bump("user-1").value() == 1u);
  CHECK(in_db2.bump("user-1").value() == 2u);
  CHECK(in_db3.current("user-1").value() == 0u);  // another database

  for (const std::string& url : {"unix://:wrong@" + socket, "unix://" + socket,
                                 "redis://ops:wrong@127.0.0.1:" + std::to_string(server.port())}) {
    INFO(url);
    const auto refused = connect(url);
    CHECK(refused->health_check().error() == errc::store_unavailable);
    CHECK(jot::redis::token_version_store(refused).current("user-1").error() ==
          errc::store_unavailable);
  }
  // Nothing listens there.
  const int closed = jot_redis_test::free_port();
  CHECK(connect("redis://127.0.0.1:" + std::to_string(closed))->health_check().error() ==
        errc::store_unavailable);
}

TEST_CASE("redis standalone: scripts the server forgot are sent again in full", "[redis]") {
  const auto stores = fresh_stores(shared_client());
  const sys_seconds now = real_now();
  const auto family = family_named("family-1");
  REQUIRE(stores.families->start(family).error() == ok);
  REQUIRE(shared_server().ask({"SCRIPT", "FLUSH"}).text() == "OK");
  const auto consumed = stores.families->consume("family-1", "t0", {"t1", "{}", {}}, now);
  REQUIRE(consumed.error() == ok);
  CHECK(consumed->verdict == jot::refresh_verdict::rotated);
  REQUIRE(shared_server().ask({"SCRIPT", "FLUSH"}).text() == "OK");
  CHECK(stores.families->is_active("family-1", now).value());
}

TEST_CASE("redis standalone: with the durability option a write waits for its replicas",
          "[redis][durability]") {
  redis_server master;
  auto options = fresh_options();
  options.min_replicas = 1;
  options.replica_timeout = 200ms;
  const auto client = std::make_shared<jot::redis::connection_pool>(options_for(master.port()));
  const auto stores = jot::redis::make_stores(client, options);
  const sys_seconds now = real_now();

  // No replica: the write is made on the master but not acknowledged by one, so it is an error.
  CHECK(stores.revocations->revoke("jti-1", now + 1h).error() == errc::store_unavailable);
  CHECK(stores.versions->bump("user-1").error() == errc::store_unavailable);
  CHECK(stores.families->revoke("family-1").error() == errc::store_unavailable);
  // A rotation, and the family revocation of a detected reuse, are writes too: a failover could
  // undo either (a spent token current again, or a thief's session live again).
  const auto family = family_named("family-2");
  REQUIRE(stores.families->start(family).error() == ok);  // no WAIT: a lost start loses nothing
  CHECK(stores.families->consume("family-2", "t0", {"t1", "{}", {}}, now).error() ==
        errc::store_unavailable);
  CHECK(stores.families->consume("family-2", "t-stolen", {"t2", "{}", {}}, now).error() ==
        errc::store_unavailable);
  // Reads do not wait.
  CHECK(stores.versions->current("user-1").value() == 1u);
  // A WAIT gets its own timeout on top of the command timeout: answered (no replica) after
  // longer than the command timeout, not cut off by it.
  auto quick = options_for(master.port());
  quick.command_timeout = 200ms;
  jot::redis::connection_pool quick_pool(quick);
  const auto waited =
      quick_pool.execute({}, {{"SET", options.key_prefix + "waited", "1"}, {"WAIT", "1", "600"}});
  REQUIRE(waited.error() == ok);
  CHECK((*waited)[1].type() == REDIS_REPLY_INTEGER);

  redis_server replica({"--replicaof", "127.0.0.1", std::to_string(master.port())});
  REQUIRE(jot_redis_test::eventually([&] {
    return replica.info_field({"INFO", "replication"}, "master_link_status") == "up";
  }));
  // With a replica the writes succeed. A patient timeout here: under load (CI runs suites side by
  // side) an acknowledgement can take longer than the 200 ms that keeps the first half quick.
  auto patient = options;
  patient.replica_timeout = 10s;
  const auto patient_stores = jot::redis::make_stores(client, patient);
  CHECK(patient_stores.revocations->revoke("jti-2", now + 1h).error() == ok);
  CHECK(patient_stores.versions->bump("user-1").value_or(0) == 2u);
  CHECK(patient_stores.families->revoke("family-1").error() == ok);
  const auto family_3 = family_named("family-3");
  REQUIRE(patient_stores.families->start(family_3).error() == ok);
  CHECK(patient_stores.families->consume("family-3", "t-stolen", {"t1", "{}", {}}, now)
            .value()
            .verdict == jot::refresh_verdict::reused);
  // WAIT returned, so the replica has them already.
  CHECK(replica.integer({"EXISTS", options.key_prefix + "revoked:jti-2"}) == 1);
  CHECK(std::string(
            replica.ask({"HGET", options.key_prefix + "family:{family-3}", "revoked"}).text()) ==
        "1");
  CHECK(std::string(replica.ask({"GET", options.key_prefix + "version:{user-1}"}).text()) == "2");
}

TEST_CASE("redis standalone: a refresh that timed out on a stalled server can be retried",
          "[redis][faults]") {
  redis_server server;
  auto options = options_for(server.port());
  options.command_timeout = 300ms;
  const auto client = std::make_shared<jot::redis::connection_pool>(options);
  const auto store_options = fresh_options();
  // The families on the server that stalls, the other stores on the shared one: the refresh's
  // checks (blocklist, token version) pass, and the consume itself meets the stall.
  auto stores = fresh_stores(shared_client());
  stores.families = jot::redis::make_stores(client, store_options).families;
  const auto sessions = jot_redis_test::sessions_on(stores, jot::default_reuse_interval);
  // One refresh first, so that the server knows the consume script (EVALSHA finds it).
  const auto first = sessions.refresh(sessions.issue_pair("user-1").value().refresh_token).value();
  const std::string first_jti = jot::unverified::decode(first.refresh_token).value().payload["jti"];
  const std::string family_key = store_options.key_prefix + "family:{" + first.session_id + "}";

  // The consume reaches the stalled server and times out; the server runs it when it resumes.
  server.suspend();
  CHECK(sessions.refresh(first.refresh_token).error() == errc::store_unavailable);
  server.resume();
  REQUIRE(jot_redis_test::eventually(
      [&] {
        return server.ask({"HGET", family_key, "previous"}).text() == first_jti;
      },
      jot_redis_test::start_deadline));

  // So the token is spent; the client's retry gets the successor the lost attempt was given,
  // as often as it retries, and the session goes on.
  const auto retried = sessions.refresh(first.refresh_token).value();
  const auto again = sessions.refresh(first.refresh_token).value();
  CHECK(jot::unverified::decode(again.refresh_token).value().payload["jti"] ==
        jot::unverified::decode(retried.refresh_token).value().payload["jti"]);
  CHECK(sessions.authenticate(retried.access_token).error() == ok);
  CHECK(sessions.refresh(retried.refresh_token).error() == ok);
}

TEST_CASE("redis standalone: 10 000 revocations and checks", "[redis][volume]") {
  jot_redis_test::check_many_revocations(fresh_stores(shared_client()), "redis standalone");
}

#ifdef JOT_REDIS_EXAMPLE
TEST_CASE("redis standalone: examples/redis_sessions runs against the server", "[redis]") {
  ::setenv("JOT_REDIS_URL", shared_server().url().c_str(), 1);
  const auto ran = jot_test::run_program({JOT_REDIS_EXAMPLE}, {});
  ::unsetenv("JOT_REDIS_URL");
  INFO(ran.err);
  CHECK(ran.status == 0);
  CHECK(ran.out ==
        "api accepts the access token: yes\n"
        "the spent refresh token again: refresh token was already used; its session is revoked\n"
        "after logout everywhere: token version is no longer current\n");
}
#endif
