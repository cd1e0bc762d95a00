// jot::redis::dpop_replay_store against real servers: one first use per proof, across threads
// and across verifiers of separate processes' kind (each on its own connection pool), the TTL the
// key layout promises, and failing closed: a stopped server, a full one, an evicting one, a
// durability requirement the replicas do not meet.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <jot/dpop.hpp>
#include <jot/jot.hpp>
#include <jot/redis/connection_pool.hpp>
#include <jot/redis/dpop_replay_store.hpp>

#include "catch.hpp"
#include "redis_scenarios.hpp"
#include "redis_servers.hpp"

using namespace std::chrono_literals;
using jot::errc;
using jot_redis_test::fresh_options;
using jot_redis_test::options_for;
using jot_redis_test::real_now;
using jot_redis_test::redis_server;
using jot_redis_test::shared_client;
using jot_redis_test::shared_server;

namespace {

const std::error_code replay_ok{};

std::shared_ptr<jot::redis::dpop_replay_store> replay_store_on(
    const std::shared_ptr<jot::redis::client>& client, const jot::redis::store_options& options) {
  return std::make_shared<jot::redis::dpop_replay_store>(client, options);
}

jot::dpop::verifier verifier_on_store(std::shared_ptr<jot::dpop::replay_store> store) {
  return jot::dpop::verifier::builder{}.replay_store(std::move(store)).build().value();
}

const jot::dpop::proof_signer& replay_signer() {
  static const auto signer =
      jot::dpop::proof_signer::create(jot::signing_key::generate(jot::algorithm::es256).value())
          .value();
  return signer;
}

}  // namespace

TEST_CASE("redis dpop replay store: one first use per proof, expiring as the layout says",
          "[redis][dpop]") {
  const auto options = fresh_options();
  const auto store = replay_store_on(shared_client(), options);
  const jot::sys_seconds until = real_now() + 60s;
  CHECK(store->first_use("proof-1", until).value());
  CHECK_FALSE(store->first_use("proof-1", until).value());
  CHECK(store->first_use("proof-2", until).value());
  CHECK(store->first_use("", until).error() == errc::invalid_argument);
  // The end of the proof's acceptance plus replay_margin (60 s), a second of slack for the clock
  // tick between `until` and the server's reading.
  const auto pttl = shared_server().integer({"PTTL", options.key_prefix + "dpop:proof-1"});
  CHECK(pttl > (120s - 2s) / 1ms);
  CHECK(pttl <= 120s / 1ms);
  // Another prefix is another store.
  CHECK(replay_store_on(shared_client(), fresh_options())->first_use("proof-1", until).value());
}

TEST_CASE("redis dpop replay store: 16 threads with one proof make exactly one first use",
          "[redis][dpop][threads]") {
  const auto store = replay_store_on(shared_client(), fresh_options());
  const jot::sys_seconds until = real_now() + 60s;
  std::atomic<int> first{0}, again{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      const auto used = store->first_use("raced", until);
      if (used && *used) ++first;
      if (used && !*used) ++again;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(first == 1);
  CHECK(again == 15);
}

TEST_CASE("redis dpop replay store: a proof replayed to another server process is refused",
          "[redis][dpop]") {
  const auto options = fresh_options();
  // Two verifiers as two processes would have them: each its own pool, one Redis, one prefix.
  const auto first = verifier_on_store(replay_store_on(
      std::make_shared<jot::redis::connection_pool>(options_for(shared_server().port())), options));
  const auto second = verifier_on_store(replay_store_on(
      std::make_shared<jot::redis::connection_pool>(options_for(shared_server().port())), options));
  const std::string uri = "https://api.example/orders";
  const auto proof = replay_signer().sign("GET", uri).value();
  const jot::dpop::request request{"GET", uri, {proof}, std::nullopt};
  CHECK(first.verify(request).error() == replay_ok);
  CHECK(second.verify(request).error() == errc::dpop_proof_replayed);
  CHECK(first.verify(request).error() == errc::dpop_proof_replayed);
  const auto fresh = replay_signer().sign("GET", uri).value();
  CHECK(second.verify({"GET", uri, {fresh}, std::nullopt}).error() == replay_ok);
}

TEST_CASE("redis dpop replay store: a server that cannot answer refuses every proof",
          "[redis][dpop][faults]") {
  redis_server server;
  const auto client = std::make_shared<jot::redis::connection_pool>(options_for(server.port()));
  const auto store = replay_store_on(client, fresh_options());
  const auto verifier = verifier_on_store(store);
  const std::string uri = "https://api.example/orders";
  const jot::sys_seconds until = real_now() + 60s;
  REQUIRE(store->first_use("before", until).value());

  // Full (maxmemory with noeviction): the write is refused, the proof too.
  REQUIRE(server.ask({"CONFIG", "SET", "maxmemory", "1"}).text() == "OK");
  CHECK(store->first_use("during", until).error() == errc::store_full);
  const auto proof = replay_signer().sign("GET", uri).value();
  CHECK(verifier.verify({"GET", uri, {proof}, std::nullopt}).error() == errc::store_full);
  REQUIRE(server.ask({"CONFIG", "SET", "maxmemory", "0"}).text() == "OK");
  // The refused proof took no entry: accepted once the server has room.
  CHECK(verifier.verify({"GET", uri, {proof}, std::nullopt}).error() == replay_ok);

  // An evicting policy could drop entries, and with them replays: refused (store_evicts).
  REQUIRE(server.ask({"CONFIG", "SET", "maxmemory-policy", "volatile-lru"}).text() == "OK");
  const auto evicting_client =
      std::make_shared<jot::redis::connection_pool>(options_for(server.port()));
  CHECK(replay_store_on(evicting_client, fresh_options())->first_use("x", until).error() ==
        errc::store_evicts);
  REQUIRE(server.ask({"CONFIG", "SET", "maxmemory-policy", "noeviction"}).text() == "OK");

  // Stopped: store_unavailable, never "not seen".
  server.stop();
  CHECK(store->first_use("before", until).error() == errc::store_unavailable);
  const auto another = replay_signer().sign("GET", uri).value();
  CHECK(verifier.verify({"GET", uri, {another}, std::nullopt}).error() == errc::store_unavailable);
  // The same objects work again once it is back.
  server.start();
  CHECK(store->first_use("after", until).value_or(false));
}

TEST_CASE("redis dpop replay store: with the durability option an entry waits for a replica",
          "[redis][dpop][durability]") {
  redis_server master;
  auto options = fresh_options();
  options.min_replicas = 1;
  options.replica_timeout = 200ms;
  const auto client = std::make_shared<jot::redis::connection_pool>(options_for(master.port()));
  const jot::sys_seconds until = real_now() + 60s;
  // No replica: not acknowledged, so refused; and refused again on a retry.
  CHECK(replay_store_on(client, options)->first_use("proof-1", until).error() ==
        errc::store_unavailable);
  CHECK(replay_store_on(client, options)->first_use("proof-1", until).error() ==
        errc::store_unavailable);

  redis_server replica({"--replicaof", "127.0.0.1", std::to_string(master.port())});
  REQUIRE(jot_redis_test::eventually([&] {
    return replica.info_field({"INFO", "replication"}, "master_link_status") == "up";
  }));
  options.replica_timeout = 10s;  // patient under load, as in standalone_test.cpp
  const auto store = replay_store_on(client, options);
  CHECK(store->first_use("proof-2", until).value());
  CHECK_FALSE(store->first_use("proof-2", until).value());
  CHECK(replica.integer({"EXISTS", options.key_prefix + "dpop:proof-2"}) == 1);
}
