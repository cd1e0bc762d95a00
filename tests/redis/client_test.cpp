// The parts of jot::redis that need no server: URL parsing and the cluster's key slots.

#include <string>
#include <system_error>

#include <jot/redis/cluster.hpp>
#include <jot/redis/options.hpp>

#include "catch.hpp"

using jot::errc;

TEST_CASE("parse_url reads host, port, credentials, database and unix sockets", "[redis][url]") {
  struct row {
    const char* url;
    const char* host;
    int port;
    const char* socket;
    const char* username;
    const char* password;
    int database;
  };
  const row rows[] = {
      {"redis://cache", "cache", 6379, "", "", "", 0},
      {"redis://10.0.0.5:7000", "10.0.0.5", 7000, "", "", "", 0},
      {"redis://10.0.0.5:7000/", "10.0.0.5", 7000, "", "", "", 0},
      {"redis://:pw@cache:6380/2", "cache", 6380, "", "", "pw", 2},
      {"redis://ops:p%40ss%3Aw%2Fd@cache/15", "cache", 6379, "", "ops", "p@ss:w/d", 15},
      {"redis://:a@b@cache", "cache", 6379, "", "", "a@b", 0},
      {"redis://[::1]:6390/1", "::1", 6390, "", "", "", 1},
      {"redis://[::1]", "::1", 6379, "", "", "", 0},
      {"unix:///run/redis/redis.sock", "127.0.0.1", 6379, "/run/redis/redis.sock", "", "", 0},
      {"unix://:pw@/run/redis.sock?db=4", "127.0.0.1", 6379, "/run/redis.sock", "", "pw", 4},
      {"unix://ops:pw@/run/redis.sock", "127.0.0.1", 6379, "/run/redis.sock", "ops", "pw", 0},
  };
  for (const row& r : rows) {
    INFO(r.url);
    const auto options = jot::redis::parse_url(r.url);
    REQUIRE(options.error() == std::error_code{});
    CHECK(options->host == r.host);
    CHECK(options->port == r.port);
    CHECK(options->unix_socket == r.socket);
    CHECK(options->username == r.username);
    CHECK(options->password == r.password);
    CHECK(options->database == r.database);
  }
}

TEST_CASE("parse_url refuses what it cannot honour, TLS included", "[redis][url]") {
  for (const char* url : {
           "",
           "cache:6379",
           "rediss://cache:6379",  // TLS: hiredis 0.14 has none, never fall back to clear text
           "http://cache",
           "redis://",
           "redis://:6379",
           "redis://cache:",
           "redis://cache:0",
           "redis://cache:65536",
           "redis://cache:63x79",
           "redis://cache/x",
           "redis://cache/-1",
           "redis://user@cache",  // a user without a password
           "redis://:p%4@cache",
           "redis://:p%zz@cache",
           "redis://[::1",
           "redis://[::1]x",
           "redis://[::1]:",
           "unix://",
           "unix:///",
           "unix://host/path.sock",
           "unix:///run/redis.sock?db=x",
           "unix:///run/redis.sock?database=1",
       }) {
    INFO(url);
    CHECK(jot::redis::parse_url(url).error() == errc::invalid_argument);
  }
}

TEST_CASE("key_slot follows the Redis Cluster specification", "[redis][cluster]") {
  // The specification's CRC16 check value, and its hash tag examples.
  static_assert(jot::redis::detail::crc16("123456789") == 0x31C3);
  CHECK(jot::redis::key_slot("123456789") == 0x31C3 % 16384);
  CHECK(jot::redis::key_slot("{user1000}.following") ==
        jot::redis::key_slot("{user1000}.followers"));
  CHECK(jot::redis::key_slot("foo{}{bar}") == jot::redis::detail::crc16("foo{}{bar}") % 16384);
  CHECK(jot::redis::key_slot("foo{{bar}}zap") == jot::redis::key_slot("{bar"));
  CHECK(jot::redis::key_slot("foo{bar}{zap}") == jot::redis::key_slot("bar"));
  CHECK(jot::redis::key_slot("jot:family:{abc}") == jot::redis::key_slot("abc"));
  // Slots a server computes (CLUSTER KEYSLOT), for keys with and without tags.
  CHECK(jot::redis::key_slot("foo") == 12182);
  CHECK(jot::redis::key_slot("somekey") == 11058);
  CHECK(jot::redis::key_slot("") == 0);
}
