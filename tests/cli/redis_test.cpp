// jot revoke and jot bump-version against real Redis servers (a standalone one and a cluster of
// 3 masters + 3 replicas, started by tests/redis/redis_servers.hpp): what they write is what the
// library's stores read, and every failure has its exit status and its one stderr line.

#include <chrono>
#include <memory>
#include <string>

#include <jot/redis/redis.hpp>

#include "cli_support.hpp"
#include "redis/redis_servers.hpp"

using namespace jot_cli_test;
using jot_redis_test::redis_cluster;
using jot_redis_test::redis_server;

namespace {

redis_server& server() {
  static redis_server instance;
  return instance;
}

redis_cluster& cluster() {
  static redis_cluster instance;
  return instance;
}

std::int64_t in_one_hour() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() +
         3600;
}

// The library's view of what the CLI wrote, through the same prefix.
jot::session_stores stores_of(std::shared_ptr<jot::redis::client> client,
                              const std::string& prefix) {
  jot::redis::store_options options;
  options.key_prefix = prefix;
  return jot::redis::make_stores(client, options);
}

std::shared_ptr<jot::redis::client> standalone_client() {
  return std::make_shared<jot::redis::connection_pool>(
      jot_redis_test::options_for(server().port()));
}

}  // namespace

TEST_CASE("jot revoke puts a token's jti on the blocklist until its exp", "[redis]") {
  const std::int64_t exp = in_one_hour();
  const std::string token = hs256_token({{"sub", "alice"}, {"jti", "jti-cli-1"}, {"exp", exp}});
  const auto stores = stores_of(standalone_client(), "cli-revoke:");
  CHECK_FALSE(stores.revocations->is_revoked("jti-cli-1").value());

  check_success(run_jot({"revoke", "--redis", server().url(), "--prefix", "cli-revoke:", token}),
                R"({"expires_at":)" + at(exp) + R"(,"jti":"jti-cli-1"})" + "\n");
  CHECK(stores.revocations->is_revoked("jti-cli-1").value());
  const long long pttl = server().integer({"PTTL", "cli-revoke:revoked:jti-cli-1"});
  // Until exp + the revocation margin, which outlasts any verifier's clock skew.
  const long long margin_ms = jot::default_revocation_margin.count() * 1000;
  CHECK(pttl > 3500 * 1000 + margin_ms);
  CHECK(pttl <= 3600 * 1000 + margin_ms);

  // From standard input, and by jti and expiry alone.
  const std::string second = hs256_token({{"jti", "jti-cli-2"}, {"exp", exp}});
  CHECK(run_jot({"revoke", "--redis", server().url(), "--prefix", "cli-revoke:"}, second + "\n")
            .status == 0);
  CHECK(stores.revocations->is_revoked("jti-cli-2").value());
  // From a file.
  const std::string in_file =
      write_file("revoke.jwt", hs256_token({{"jti", "jti-cli-4"}, {"exp", exp}}) + "\n");
  check_success(run_jot({"revoke", "--redis", server().url(), "--prefix", "cli-revoke:", in_file}),
                R"({"expires_at":)" + at(exp) + R"(,"jti":"jti-cli-4"})" + "\n");
  CHECK(stores.revocations->is_revoked("jti-cli-4").value());
  check_success(run_jot({"revoke", "--redis", server().url(), "--prefix", "cli-revoke:", "--jti",
                         "jti-cli-3", "--expires-at", at(exp)}),
                R"({"expires_at":)" + at(exp) + R"(,"jti":"jti-cli-3"})" + "\n");
  CHECK(stores.revocations->is_revoked("jti-cli-3").value());
}

TEST_CASE("jot revoke refuses tokens it cannot revoke with exit 1", "[redis]") {
  const std::string url = server().url();
  check_rejected(run_jot({"revoke", "--redis", url}, "a.b"), jot::errc::malformed_token);
  check_rejected(run_jot({"revoke", "--redis", url, hs256_token({{"exp", in_one_hour()}})}),
                 jot::errc::missing_claim);
  check_rejected(run_jot({"revoke", "--redis", url, hs256_token({{"jti", "x"}})}),
                 jot::errc::missing_claim);
  check_rejected(run_jot({"revoke", "--redis", url, hs256_token({{"jti", 7}, {"exp", 1}})}),
                 jot::errc::invalid_claim_type);
  check_rejected(run_jot({"revoke", "--redis", url, hs256_token({{"jti", "x"}, {"exp", "1"}})}),
                 jot::errc::invalid_claim_type);
}

TEST_CASE("jot bump-version ends every token of a subject", "[redis]") {
  const auto stores = stores_of(standalone_client(), "cli-bump:");
  check_success(
      run_jot({"bump-version", "--redis", server().url(), "--prefix", "cli-bump:", "user-42"}),
      R"({"subject":"user-42","version":1})"
      "\n");
  check_success(
      run_jot({"bump-version", "--redis", server().url(), "--prefix", "cli-bump:", "user-42"}),
      R"({"subject":"user-42","version":2})"
      "\n");
  CHECK(stores.versions->current("user-42").value() == 2u);
  // The default prefix is the library's.
  CHECK(run_jot({"bump-version", "--redis", server().url(), "user-42"}).status == 0);
  CHECK(stores_of(standalone_client(), "jot:").versions->current("user-42").value() == 1u);
}

TEST_CASE("jot revoke and bump-version report Redis failures with exit 2", "[redis]") {
  const std::string unavailable = key_error_line(jot::errc::store_unavailable, "--redis");
  // Nothing listens on the port.
  const std::string nowhere = "redis://127.0.0.1:" + std::to_string(jot_redis_test::free_port());
  check_exit_2(run_jot({"bump-version", "--redis", nowhere, "--timeout", "500", "user-1"}),
               unavailable);
  check_exit_2(run_jot({"revoke", "--redis", nowhere, "--jti", "j", "--expires-at", "2000000000"}),
               unavailable);
  // Durability asked of a server without replicas: the write is not acknowledged.
  check_exit_2(run_jot({"revoke", "--redis", server().url(), "--min-replicas", "1",
                        "--replica-timeout", "100", "--jti", "j", "--expires-at", "2000000000"}),
               unavailable);

  // A password-protected server: the password comes from a file, never from the command line.
  redis_server guarded({"--requirepass", "cli-pass"});
  const std::string password_file = write_file("redis-password", "cli-pass\n");
  check_exit_2(run_jot({"bump-version", "--redis", guarded.url(), "user-1"}), unavailable);
  check_exit_2(run_jot({"bump-version", "--redis", guarded.url(), "--redis-password-file",
                        write_file("wrong", "nope"), "user-1"}),
               unavailable);
  check_success(run_jot({"bump-version", "--redis", guarded.url(), "--redis-password-file",
                         password_file, "user-1"}),
                R"({"subject":"user-1","version":1})"
                "\n");
  check_success(run_jot({"bump-version", "--redis", "unix://" + guarded.unix_socket() + "?db=1",
                         "--redis-password-file", password_file, "user-1"}),
                R"({"subject":"user-1","version":1})"
                "\n");
}

TEST_CASE("jot revoke and bump-version refuse options they cannot honour", "[redis]") {
  const auto usage = [](const char* command, const char* text) {
    return usage_line(command, text);
  };
  check_exit_2(run_jot({"bump-version", "user-1"}),
               usage("bump-version", "--redis URL is required"));
  check_exit_2(run_jot({"bump-version", "--redis", "rediss://127.0.0.1:6379", "user-1"}),
               usage("bump-version",
                     "--redis: not a redis:// or unix:// URL this jot can use (no rediss://)"));
  check_exit_2(
      run_jot({"bump-version", "--redis", "redis://:secret@127.0.0.1:6379", "user-1"}),
      usage("bump-version", "--redis: put the password in --redis-password-file, not in the URL"));
  check_exit_2(run_jot({"bump-version", "--redis", server().url(), ""}),
               usage("bump-version", "SUBJECT must not be empty"));
  check_exit_2(run_jot({"revoke", "--redis", server().url(), "--jti", "j"}),
               usage("revoke", "give either a TOKEN or both --jti and --expires-at"));
  check_exit_2(run_jot({"revoke", "--redis", server().url(), "--jti", "", "--expires-at", "5"}),
               usage("revoke", "--jti must not be empty"));
}

TEST_CASE("jot revoke and bump-version work on a Redis Cluster, durably", "[redis]") {
  const std::string url = cluster().node(0).url();
  const auto client = std::make_shared<jot::redis::cluster_client>(cluster().options());
  const auto stores = stores_of(client, "cli-cluster:");
  for (int i = 0; i < 20; ++i) {  // jtis and subjects spread over the three masters
    const std::string jti = "jti-" + std::to_string(i), subject = "user-" + std::to_string(i);
    CHECK(run_jot({"revoke", "--redis", url, "--cluster", "--min-replicas", "1", "--prefix",
                   "cli-cluster:", "--jti", jti, "--expires-at", at(in_one_hour())})
              .status == 0);
    CHECK(run_jot({"bump-version", "--redis", url, "--cluster", "--min-replicas", "1", "--prefix",
                   "cli-cluster:", subject})
              .status == 0);
    CHECK(stores.revocations->is_revoked(jti).value());
    CHECK(stores.versions->current(subject).value() == 1u);
  }
}
