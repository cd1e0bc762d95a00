// jot::redis on a real Redis Cluster of 3 masters + 3 replicas (redis_servers.hpp), started once
// for this binary: the store contract suite unchanged, the session flows and refresh races, and
// the cluster's own faults in this order, each leaving the cluster whole for the next: a slot
// migrated between masters (ASK, then MOVED), a replica promoted with CLUSTER FAILOVER, a master
// stalled with SIGSTOP (every call within the bound of docs/redis.md; a command written to it is
// not sent to its promoted replica), and a master killed with SIGKILL (a revocation written with
// the durability option survives it).

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <jot/jot.hpp>
#include <jot/redis/cluster.hpp>
#include <jot/redis/stores.hpp>
#include <jot/session.hpp>

#include "catch.hpp"
#include "redis_scenarios.hpp"
#include "redis_servers.hpp"
#include "sessions/store_contract.hpp"

using namespace std::chrono_literals;
using jot::errc;
using jot::sys_seconds;
using jot_redis_test::eventually;
using jot_redis_test::family_named;
using jot_redis_test::fresh_options;
using jot_redis_test::real_now;
using jot_redis_test::redis_cluster;

namespace {

redis_cluster& cluster() {
  static redis_cluster instance;
  return instance;
}

std::shared_ptr<jot::redis::cluster_client> shared_client() {
  static const auto client = std::make_shared<jot::redis::cluster_client>(cluster().options());
  return client;
}

jot::session_stores fresh_stores() {
  return jot::redis::make_stores(shared_client(), fresh_options());
}

// Another master than `node`.
int other_master(int node) {
  for (int i = 0; i < redis_cluster::size; ++i) {
    if (i != node && cluster().node(i).running() &&
        cluster().node(i).info_field({"INFO", "replication"}, "role") == "master") {
      return i;
    }
  }
  return -1;
}

// Every running node's CLUSTER SLOTS (but node `except`'s) names node `owner` as the master of
// `slot`.
bool all_nodes_see(int slot, int owner, int except = -1) {
  const int owner_port = cluster().node(owner).port();
  for (int i = 0; i < redis_cluster::size; ++i) {
    if (!cluster().node(i).running() || i == except) continue;
    const auto slots = cluster().node(i).ask({"CLUSTER", "SLOTS"});
    if (slots.type() != REDIS_REPLY_ARRAY) return false;
    bool seen = false;
    for (std::size_t r = 0; r < slots.get()->elements; ++r) {
      const redisReply* range = slots.get()->element[r];
      if (range->element[0]->integer <= slot && slot <= range->element[1]->integer) {
        seen = range->element[2]->element[1]->integer == owner_port;
      }
    }
    if (!seen) return false;
  }
  return true;
}

// How many INCR commands node `i` ran (INFO commandstats: "cmdstat_incr:calls=N,..."); a
// command refused with a redirection is counted apart, in rejected_calls.
long long incr_calls(int i) {
  const std::string stats = cluster().node(i).info_field({"INFO", "commandstats"}, "cmdstat_incr");
  if (stats.empty()) return 0;
  return std::stoll(stats.substr(stats.find('=') + 1));
}

const std::error_code ok{};

}  // namespace

JOT_STORE_CONTRACT_TESTS(
    "redis cluster", [] { return fresh_stores().revocations; },
    [] { return fresh_stores().versions; }, [] { return fresh_stores().families; })

TEST_CASE("redis cluster: key_slot agrees with the servers' CLUSTER KEYSLOT", "[redis]") {
  for (int i = 0; i < 300; ++i) {
    std::string key = "jot:revoked:jti-" + std::to_string(i * 7919);
    if (i % 3 == 1) key = "jot:family:{" + std::to_string(i) + "}";
    if (i % 3 == 2) key = "p{" + std::to_string(i) + "}{x}";
    INFO(key);
    CHECK(jot::redis::key_slot(key) == cluster().node(0).integer({"CLUSTER", "KEYSLOT", key}));
  }
}

TEST_CASE("redis cluster: the session flows hold across services", "[redis]") {
  jot_redis_test::check_session_flows(fresh_stores());
  CHECK(shared_client()->health_check().error() == ok);
}

TEST_CASE("redis cluster: 16 threads refreshing one token make exactly one winner",
          "[redis][threads]") {
  jot_redis_test::check_thread_race(fresh_stores());
}

TEST_CASE("redis cluster: 2 processes refreshing one token make exactly one winner", "[redis]") {
  const auto options = fresh_options();
  const auto cluster_options = cluster().options();
  jot_redis_test::check_process_race(
      jot::redis::make_stores(shared_client(), options), [cluster_options, options] {
        return jot::redis::make_stores(
            std::make_shared<jot::redis::cluster_client>(cluster_options), options);
      });
}

TEST_CASE("redis cluster: a master that may evict keys is store_evicts for its slots",
          "[redis][eviction]") {
  const auto options = fresh_options();
  const std::string tag = "evicting";
  const int master = cluster().master_of(jot::redis::key_slot(tag));
  REQUIRE(master >= 0);
  std::string elsewhere = "elsewhere";  // a subject whose slot another master serves
  while (cluster().master_of(jot::redis::key_slot(elsewhere)) == master) elsewhere += "+";
  const auto set_policy = [](jot_redis_test::redis_server& node, const char* policy) {
    return node.ask({"CONFIG", "SET", "maxmemory-policy", policy}).text() == "OK";
  };
  // Every node gets noeviction back, whatever happens here, for the tests after this one.
  struct restore_policies {
    ~restore_policies() {
      for (int i = 0; i < redis_cluster::size; ++i) {
        cluster().node(i).ask({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
      }
    }
  } restored;

  REQUIRE(set_policy(cluster().node(master), "allkeys-lru"));
  // A new client opens its connections to that master now; the shared one opened them before.
  const auto client = std::make_shared<jot::redis::cluster_client>(cluster().options());
  const auto stores = jot::redis::make_stores(client, options);
  CHECK(client->health_check().error() == errc::store_evicts);
  CHECK(shared_client()->health_check().error() == errc::store_evicts);
  CHECK(stores.versions->bump(tag).error() == errc::store_evicts);
  CHECK(stores.revocations->revoke("{" + tag + "}-jti", real_now() + 1h).error() ==
        errc::store_evicts);
  CHECK(stores.families->start(family_named(tag)).error() == errc::store_evicts);
  CHECK(stores.versions->bump(elsewhere).value() == 1u);  // the other masters serve
  auto opted_out = cluster().options();
  opted_out.node.allow_evicting_policy = true;
  const auto allowed =
      jot::redis::make_stores(std::make_shared<jot::redis::cluster_client>(opted_out), options);
  CHECK(allowed.versions->bump(tag).value() == 1u);

  // Every node evicting: no node gives the slot map either, and the cause is still named.
  for (int i = 0; i < redis_cluster::size; ++i) {
    REQUIRE(set_policy(cluster().node(i), "volatile-lru"));
  }
  const auto refused = std::make_shared<jot::redis::cluster_client>(cluster().options());
  CHECK(refused->health_check().error() == errc::store_evicts);
  CHECK(jot::redis::make_stores(refused, options).versions->bump(elsewhere).error() ==
        errc::store_evicts);

  for (int i = 0; i < redis_cluster::size; ++i) {
    REQUIRE(set_policy(cluster().node(i), "noeviction"));
  }
  CHECK(client->health_check().error() == ok);
  CHECK(shared_client()->health_check().error() == ok);
  CHECK(stores.versions->bump(tag).value() == 2u);
}

TEST_CASE("redis cluster: a slot migrated between masters is followed through ASK and MOVED",
          "[redis][faults]") {
  const auto options = fresh_options();
  const auto client = shared_client();
  const auto stores = jot::redis::make_stores(client, options);
  const sys_seconds expiry = real_now() + 1h;
  // The hash tag puts the family, the subject's version and these jtis in one slot.
  const std::string tag = "migrating";
  const int slot = jot::redis::key_slot(tag);
  const std::string family_key = options.key_prefix + "family:{" + tag + "}";
  const std::string version_key = options.key_prefix + "version:{" + tag + "}";
  const std::string old_jti = "{" + tag + "}-old", new_jti = "{" + tag + "}-new";
  REQUIRE(stores.families->start(family_named(tag)).error() == ok);
  REQUIRE(stores.versions->bump(tag).value() == 1u);
  REQUIRE(stores.revocations->revoke(old_jti, expiry).error() == ok);

  const int source = cluster().master_of(slot);
  REQUIRE(source >= 0);
  const int target = other_master(source);
  REQUIRE(target >= 0);
  auto& source_node = cluster().node(source);
  auto& target_node = cluster().node(target);
  const std::string slot_text = std::to_string(slot);
  const auto count_keys = [&](jot_redis_test::redis_server& node) {
    return node.integer({"CLUSTER", "COUNTKEYSINSLOT", slot_text});
  };
  const long long keys_before = count_keys(source_node);
  REQUIRE(keys_before >= 3);

  // The steps of the specification's "Live reconfiguration".
  REQUIRE(target_node.ask({"CLUSTER", "SETSLOT", slot_text, "IMPORTING", cluster().id_of(source)})
              .text() == "OK");
  REQUIRE(source_node.ask({"CLUSTER", "SETSLOT", slot_text, "MIGRATING", cluster().id_of(target)})
              .text() == "OK");
  const auto before = client->statistics();
  // A new key of a migrating slot is made on the target: the source answers ASK.
  CHECK(stores.revocations->revoke(new_jti, expiry).error() == ok);
  CHECK(client->statistics().ask > before.ask);
  CHECK(count_keys(target_node) == 1);
  // Keys not moved yet are still the source's.
  CHECK(stores.revocations->is_revoked(old_jti).value());
  CHECK(stores.versions->current(tag).value() == 1u);

  // Move every key of the slot (other tests' keys may share it); the source answers ASK for
  // all of them now, the target serves them to a client that says ASKING.
  const auto keys = source_node.ask({"CLUSTER", "GETKEYSINSLOT", slot_text, "1000"});
  REQUIRE(keys.type() == REDIS_REPLY_ARRAY);
  jot::redis::command migrate = {
      "MIGRATE", "127.0.0.1", std::to_string(target_node.port()), "", "0", "5000", "KEYS"};
  for (std::size_t i = 0; i < keys.get()->elements; ++i) {
    migrate.emplace_back(jot::redis::reply::text_of(keys.get()->element[i]));
  }
  REQUIRE(source_node.ask(migrate).text() == "OK");
  CHECK(count_keys(source_node) == 0);
  const auto asked = client->statistics().ask;
  CHECK(stores.revocations->is_revoked(old_jti).value());
  CHECK(stores.revocations->is_revoked(new_jti).value());
  CHECK(stores.versions->bump(tag).value() == 2u);
  const auto rotated = stores.families->consume(tag, "t0", {"t1", "{}", {}}, real_now());
  REQUIRE(rotated.error() == ok);
  CHECK(rotated->verdict == jot::refresh_verdict::rotated);
  CHECK(client->statistics().ask >= asked + 4);

  // The slot is the target's: told to the target, the source, then every other master.
  REQUIRE(
      target_node.ask({"CLUSTER", "SETSLOT", slot_text, "NODE", cluster().id_of(target)}).text() ==
      "OK");
  REQUIRE(
      source_node.ask({"CLUSTER", "SETSLOT", slot_text, "NODE", cluster().id_of(target)}).text() ==
      "OK");
  for (int i = 0; i < redis_cluster::size; ++i) {
    if (i != source && i != target &&
        cluster().node(i).info_field({"INFO", "replication"}, "role") == "master") {
      cluster().node(i).ask({"CLUSTER", "SETSLOT", slot_text, "NODE", cluster().id_of(target)});
    }
  }
  REQUIRE(eventually([&] { return all_nodes_see(slot, target) && cluster().healthy(); }));
  // The client still thinks the source owns the slot: the source answers MOVED, the client reads
  // the map again and goes to the target from now on.
  const auto moved = client->statistics().moved;
  CHECK(stores.revocations->is_revoked(old_jti).value());
  CHECK(client->statistics().moved == moved + 1);
  CHECK(stores.versions->current(tag).value() == 2u);
  CHECK(stores.families->consume(tag, "t1", {"t2", "{}", {}}, real_now()).value().verdict ==
        jot::refresh_verdict::rotated);
  CHECK(client->statistics().moved == moved + 1);
}

TEST_CASE("redis cluster: a replica promoted with CLUSTER FAILOVER takes over", "[redis][faults]") {
  const auto options = fresh_options();
  const auto client = shared_client();
  const auto stores = jot::redis::make_stores(client, options);
  const std::string tag = "failover";
  const int slot = jot::redis::key_slot(tag);
  REQUIRE(stores.families->start(family_named(tag)).error() == ok);
  REQUIRE(stores.versions->bump(tag).value() == 1u);
  REQUIRE(stores.revocations->revoke("{" + tag + "}-jti", real_now() + 1h).error() == ok);

  const int master = cluster().master_of(slot);
  REQUIRE(master >= 0);
  const int replica = cluster().replica_of(master);
  REQUIRE(replica >= 0);
  // A manual failover: the replica catches up with its master first, so nothing is lost.
  REQUIRE(cluster().node(replica).ask({"CLUSTER", "FAILOVER"}).text() == "OK");
  REQUIRE(eventually([&] { return all_nodes_see(slot, replica) && cluster().healthy(); }));

  // The old master is a replica now and answers MOVED; the client follows to the new master.
  const auto moved = client->statistics().moved;
  CHECK(stores.revocations->is_revoked("{" + tag + "}-jti").value());
  CHECK(client->statistics().moved > moved);
  CHECK(stores.versions->bump(tag).value() == 2u);
  CHECK(stores.families->consume(tag, "t0", {"t1", "{}", {}}, real_now()).value().verdict ==
        jot::refresh_verdict::rotated);
}

TEST_CASE("redis cluster: with a master stalled, every call returns within the bound",
          "[redis][faults][stall]") {
  // The master that stalls is the client's one seed and the master whose address sorts first:
  // a client asking the nodes it knows for the slot map in a fixed order (its seeds, or by
  // address) asks it first, the worst case for such a client.
  int stalled = -1;
  for (int i = 0; i < redis_cluster::size; ++i) {
    if (cluster().node(i).info_field({"INFO", "replication"}, "role") == "master" &&
        (stalled < 0 || cluster().node(i).endpoint() < cluster().node(stalled).endpoint())) {
      stalled = i;
    }
  }
  REQUIRE(stalled >= 0);
  auto settings = cluster().options();
  settings.node.port = cluster().node(stalled).port();
  settings.more_seeds.clear();
  settings.node.connect_timeout = 1000ms;
  settings.node.command_timeout = 1000ms;
  // docs/redis.md, "Timeouts": the longest a cluster call can take.
  const auto bound = 2 * (settings.node.connect_timeout + settings.node.command_timeout);
  const auto client = std::make_shared<jot::redis::cluster_client>(settings);
  const auto stores = jot::redis::make_stores(client, fresh_options());
  // 16 subjects, 8 on the master that stalls and 8 on the others.
  std::vector<std::string> subjects;
  std::vector<bool> on_stalled;
  int mine = 0, others = 0;
  for (int i = 0; subjects.size() < 16 && i < 1000; ++i) {
    const std::string subject = "stall-" + std::to_string(i);
    const bool stalls = cluster().master_of(jot::redis::key_slot(subject)) == stalled;
    if ((stalls ? mine : others) == 8) continue;
    ++(stalls ? mine : others);
    subjects.push_back(subject);
    on_stalled.push_back(stalls);
    REQUIRE(stores.versions->bump(subject).value() == 1u);  // reads the map, opens connections
  }
  REQUIRE(subjects.size() == 16u);

  std::vector<jot_redis_test::timed_call> calls;
  {
    const jot_redis_test::suspension stall(cluster().node(stalled));
    calls = jot_redis_test::calls_from_threads(
        16, 8s, [&](int thread) { return stores.versions->current(subjects[thread]).error(); });
  }
  std::vector<jot_redis_test::timed_call> stalled_calls, other_calls;
  std::vector<std::error_code> last(subjects.size());
  int other_errors = 0;
  for (const auto& call : calls) {
    (on_stalled[static_cast<std::size_t>(call.thread)] ? stalled_calls : other_calls)
        .push_back(call);
    if (call.outcome && call.outcome != errc::store_unavailable) ++other_errors;
    last[static_cast<std::size_t>(call.thread)] = call.outcome;
  }
  const auto slowest = std::max(
      jot_redis_test::print_latencies("redis cluster, stalled master's slots", stalled_calls),
      jot_redis_test::print_latencies("redis cluster, other masters' slots", other_calls));
  CHECK(slowest <= bound + 1s);
  // Failures are store_unavailable: the stalled master's slots until its replica is promoted,
  // every slot while the cluster is down for the election (docs/redis.md). Before the stall
  // ended, every thread was served again, the stalled master's slots by the promoted replica.
  CHECK(other_errors == 0);
  for (std::size_t thread = 0; thread < subjects.size(); ++thread) {
    INFO("thread " << thread << (on_stalled[thread] ? ", stalled master" : ", another master"));
    CHECK(last[thread] == ok);
  }
  // The stalled master comes back as a replica of the one promoted in its place.
  CHECK(eventually([&] { return cluster().healthy(); }));
}

TEST_CASE("redis cluster: a command that may have run is never sent to a new master",
          "[redis][faults][stall]") {
  auto settings = cluster().options();
  settings.node.command_timeout = 1000ms;
  const auto client = std::make_shared<jot::redis::cluster_client>(settings);
  const auto stores = jot::redis::make_stores(client, fresh_options());
  const std::string subject = "once";
  const int slot = jot::redis::key_slot(subject);
  const int master = cluster().master_of(slot);
  REQUIRE(master >= 0);
  const int replica = cluster().replica_of(master);
  REQUIRE(replica >= 0);
  // The client reads the map (the master serves the slot) and keeps a connection to the master.
  REQUIRE(stores.versions->bump(subject).value() == 1u);
  {
    const jot_redis_test::suspension stall(cluster().node(master));
    REQUIRE(eventually([&] { return all_nodes_see(slot, replica, master); }));
    const long long ran_on_replica = incr_calls(replica);
    // The INCR is written to the stalled master, whose answer never comes: it may run there
    // when the master resumes, so it is not sent to the new master, although the map read
    // after the failure names it.
    CHECK(stores.versions->bump(subject).error() == errc::store_unavailable);
    CHECK(incr_calls(replica) == ran_on_replica);
    // That map read sends the next command to the new master.
    CHECK(stores.versions->bump(subject).value() == 2u);
    CHECK(incr_calls(replica) == ran_on_replica + 1);
  }
  // The old master resumes as a replica of the new one and takes its data: the INCR it held ran
  // there at most, and is gone.
  CHECK(eventually([&] { return cluster().healthy(); }));
  CHECK(stores.versions->current(subject).value() == 2u);
}

TEST_CASE("redis cluster: 10 000 revocations and checks", "[redis][volume]") {
  jot_redis_test::check_many_revocations(fresh_stores(), "redis cluster");
}

// Last: it kills a master (and restarts it as a replica, so the cluster ends whole).
TEST_CASE("redis cluster: a killed master is replaced and durable writes survive it",
          "[redis][faults][durability]") {
  auto options = fresh_options();
  options.min_replicas = 1;
  options.replica_timeout = 2000ms;
  const auto client = shared_client();
  const auto stores = jot::redis::make_stores(client, options);
  const std::string tag = "killed";
  const std::string jti = "{" + tag + "}-jti";
  const int slot = jot::redis::key_slot(tag);
  const int master = cluster().master_of(slot);
  REQUIRE(master >= 0);
  const int replica = cluster().replica_of(master);
  REQUIRE(replica >= 0);

  // Acknowledged by the replica (WAIT) before success is reported.
  REQUIRE(stores.families->start(family_named(tag)).error() == ok);
  REQUIRE(stores.revocations->revoke(jti, real_now() + 1h).error() == ok);
  REQUIRE(stores.versions->bump(tag).value() == 1u);
  REQUIRE(stores.families->revoke(tag).error() == ok);
  const auto sessions = jot_redis_test::sessions_on(stores);
  const auto pair = sessions.issue_pair(tag).value();
  // A second client whose map names the master, and which is not used until it is replaced.
  const auto stale_client = std::make_shared<jot::redis::cluster_client>(cluster().options());
  REQUIRE(stale_client->read_slot_map().error() == ok);

  cluster().node(master).kill();
  // Until the replica is promoted every answer is store_unavailable, never "not revoked"; then
  // the new master answers, and holds what was written before the kill.
  std::vector<std::error_code> failures;
  const bool answered = eventually([&] {
    const auto revoked = stores.revocations->is_revoked(jti);
    if (!revoked) failures.push_back(revoked.error());
    return revoked && *revoked;
  });
  REQUIRE(answered);
  for (const auto& failure : failures) CHECK(failure == errc::store_unavailable);
  CHECK(cluster().master_of(slot) == replica);
  // The killed master refuses connections: nothing was written, so the stale client reads the
  // map again and sends the command to the new master within the same call.
  const auto stale_stores = jot::redis::make_stores(stale_client, options);
  CHECK(stale_stores.revocations->is_revoked(jti).value());
  CHECK(stores.versions->current(tag).value() == 1u);
  CHECK_FALSE(stores.families->is_active(tag, real_now()).value());
  // The new master has no replica left to acknowledge a durable write: refused. The bump was
  // still made on the master (docs/redis.md: retrying is safe), and rejects the pair.
  CHECK(stores.versions->bump(tag).error() == errc::store_unavailable);
  CHECK(stores.versions->current(tag).value() == 2u);
  CHECK(sessions.authenticate(pair.access_token).error() == errc::token_version_mismatch);

  // The old master comes back as a replica of the new one, and durable writes succeed again.
  cluster().node(master).start();
  CHECK(eventually([&] { return cluster().healthy(); }));
  CHECK(client->health_check().error() == ok);
  CHECK(stores.versions->bump(tag).value() == 3u);
}
