// jot::redis against one real redis-server, for what a store must survive beyond the contract:
// two revokes of one jti interleaved command by command, session data changed by hand in Redis
// (every field a script reads, with wrong types and values), and allocations that fail while a
// pooled connection is in use.
//
// Replaces the global operator new and delete for the whole jot_redis_tests binary, so that a
// test can make the next C++ allocation of its own thread throw std::bad_alloc. Unarmed, they are
// malloc and free; other threads are never failed.

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <jot/redis/connection_pool.hpp>
#include <jot/redis/stores.hpp>

#include "catch.hpp"
#include "redis_scenarios.hpp"
#include "redis_servers.hpp"

// Only with exceptions: the failing allocation is a thrown std::bad_alloc (the no-exceptions
// build runs this suite without the pool case).
#ifndef JOT_NO_EXCEPTIONS
namespace {

// How many more allocations of this thread succeed before one throws; negative: none throws.
thread_local long allocations_before_failure = -1;

}  // namespace

void* operator new(std::size_t size) {
  if (allocations_before_failure == 0) {
    allocations_before_failure = -1;  // one failure per arming
    throw std::bad_alloc();
  }
  if (allocations_before_failure > 0) --allocations_before_failure;
  if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
  throw std::bad_alloc();
}
// Every other unaligned form allocates and frees with the same malloc and free, so that no block
// crosses from one family to another (the sanitizers' own operator new for the nothrow or array
// forms, freed by the delete above, is an alloc-dealloc mismatch). The aligned forms stay the
// runtime's, new and delete alike. Only the plain form is ever failed.
void* operator new[](std::size_t size) { return ::operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }
void operator delete[](void* block) noexcept { std::free(block); }
void operator delete[](void* block, std::size_t) noexcept { std::free(block); }
void operator delete(void* block, const std::nothrow_t&) noexcept { std::free(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { std::free(block); }
#endif

namespace {

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

const std::error_code no_error{};

// A client that sends each command of a pipeline on its own, and runs `between` once, right
// after the first command of the next call: another client's commands land at that point, which
// reproduces by hand an interleaving that real concurrency produces only now and then.
class interleaving_client final : public jot::redis::client {
 public:
  explicit interleaving_client(std::shared_ptr<jot::redis::client> inner)
      : inner_(std::move(inner)) {}

  std::function<void()> between;

  jot::result<std::vector<jot::redis::reply>> execute(
      std::string_view key, const std::vector<jot::redis::command>& commands) override {
    std::vector<jot::redis::reply> replies;
    for (std::size_t i = 0; i < commands.size(); ++i) {
      auto one = inner_->execute(key, {commands[i]});
      if (!one) return one.error();
      replies.push_back(std::move(one->front()));
      if (i == 0 && between) {
        const auto run = std::move(between);
        between = nullptr;
        run();
      }
    }
    return replies;
  }
  jot::result<void> health_check() override { return inner_->health_check(); }

 private:
  std::shared_ptr<jot::redis::client> inner_;
};

long long pttl_of(const std::string& key) { return shared_server().integer({"PTTL", key}); }

}  // namespace

TEST_CASE("redis revoke: two revokes of one jti keep the later expiry in any interleaving",
          "[redis][race]") {
  const auto options = fresh_options();
  const auto interleaved = std::make_shared<interleaving_client>(shared_client());
  jot::redis::revocation_store first(interleaved, options);
  jot::redis::revocation_store second(shared_client(), options);
  const sys_seconds now = real_now();

  SECTION("the later revoke lands inside the earlier's commands") {
    // The revoke with the later expiry starts; the one with the earlier expiry runs whole right
    // after its first command.
    interleaved->between = [&] { REQUIRE(second.revoke("jti-a", now + 1h).error() == no_error); };
    REQUIRE(first.revoke("jti-a", now + 3h).error() == no_error);
    CHECK(pttl_of(options.key_prefix + "revoked:jti-a") > (3h - 2s) / 1ms);
  }
  SECTION("the earlier revoke lands inside the later's commands") {
    interleaved->between = [&] { REQUIRE(second.revoke("jti-b", now + 3h).error() == no_error); };
    REQUIRE(first.revoke("jti-b", now + 1h).error() == no_error);
    CHECK(pttl_of(options.key_prefix + "revoked:jti-b") > (3h - 2s) / 1ms);
  }
  SECTION("a past expiry inside a revoke changes nothing") {
    interleaved->between = [&] { REQUIRE(second.revoke("jti-c", now - 1h).error() == no_error); };
    REQUIRE(first.revoke("jti-c", now + 2h).error() == no_error);
    CHECK(pttl_of(options.key_prefix + "revoked:jti-c") > (2h - 2s) / 1ms);
    REQUIRE(first.revoke("jti-c", now - 1s).error() == no_error);
    CHECK(pttl_of(options.key_prefix + "revoked:jti-c") > (2h - 2s) / 1ms);
    REQUIRE(first.revoke("jti-d", now - jot::default_revocation_margin - 1s).error() == no_error);
    CHECK(pttl_of(options.key_prefix + "revoked:jti-d") == -2);
  }
}

TEST_CASE("redis families: a field changed by hand is store_unavailable, never a live session",
          "[redis][corruption]") {
  struct corruption {
    const char* field;
    const char* value;  // nullptr: the field is deleted
  };
  // Every field the scripts read, with what start() and consume() never write.
  const std::vector<corruption> table = {
      {"revoked", "true"},
      {"revoked", "1 "},
      {"revoked", " 1"},
      {"revoked", "yes"},
      {"revoked", ""},
      {"revoked", "2"},
      {"revoked", nullptr},
      {"claims", nullptr},
      {"current", ""},
      {"current", nullptr},
      {"previous", nullptr},
      {"issued_at", ""},
      {"issued_at", "soon"},
      {"issued_at", "1e9"},
      {"issued_at", "0x10"},
      {"issued_at", " 100"},
      {"issued_at", "100.5"},
      {"issued_at", "99999999999999999999"},
      {"issued_at", nullptr},
      {"expires_at", ""},
      {"expires_at", "never"},
      {"expires_at", "inf"},
      {"expires_at", "nan"},
      {"expires_at", "1e300"},
      {"expires_at", "99999999999999999999"},
      {"expires_at", nullptr},
      {"idle_timeout", "-1"},
      {"idle_timeout", "ten"},
      {"idle_timeout", "1.5"},
      {"idle_timeout", ""},
      {"idle_timeout", nullptr},
      {"reuse_interval", "-1"},
      {"reuse_interval", "ten"},
      {"reuse_interval", "0x1"},
      {"reuse_interval", ""},
      {"reuse_interval", nullptr},
      {"key", nullptr},
      {"key", "not a thumbprint"},
      {"key", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4"},   // 42 characters
      {"key", "0ZcOCORZNYy+DWpqq30jZyJGHTN0d2HglBV3uiguA4I"},  // '+' is not base64url
      {"key", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I "},
  };
  const auto options = fresh_options();
  const auto stores = jot::redis::make_stores(shared_client(), options);
  const sys_seconds now = real_now();
  int n = 0;
  for (const auto& bad : table) {
    for (const bool ended : {true, false}) {
      const std::string id = "family-" + std::to_string(++n);
      INFO(bad.field << " = " << (bad.value ? "'" + std::string(bad.value) + "'" : "(deleted)")
                     << (ended ? ", after the session was ended" : ", on a live session"));
      auto family = family_named(id);
      family.reuse_interval = 10s;
      REQUIRE(stores.families->start(family).error() == no_error);
      // One rotation, so that `previous` and `claims` hold a token and its successor's claims.
      REQUIRE(stores.families->consume(id, "t0", {"t1", "{}", {}}, now).value().verdict ==
              jot::refresh_verdict::rotated);
      if (ended) REQUIRE(stores.families->revoke(id).error() == no_error);
      const std::string key = options.key_prefix + "family:{" + id + "}";
      if (bad.value == nullptr) {
        REQUIRE(shared_server().integer({"HDEL", key, bad.field}) == 1);
      } else {
        REQUIRE(shared_server().integer({"HSET", key, bad.field, bad.value}) == 0);
      }
      CHECK(stores.families->is_active(id, now).error() == errc::store_unavailable);
      // The current token, the one just spent (a replay within the reuse interval) and an
      // unknown one.
      CHECK(stores.families->consume(id, "t1", {"t2", "{}", {}}, now).error() ==
            errc::store_unavailable);
      CHECK(stores.families->consume(id, "t0", {"t3", "{}", {}}, now).error() ==
            errc::store_unavailable);
      CHECK(stores.families->consume(id, "tx", {"t4", "{}", {}}, now).error() ==
            errc::store_unavailable);
    }
  }

  SECTION("a family key that is not a hash") {
    const std::string key = options.key_prefix + "family:{family-string}";
    REQUIRE(shared_server().ask({"SET", key, "1"}).text() == "OK");
    CHECK(stores.families->is_active("family-string", now).error() == errc::store_unavailable);
    CHECK(stores.families->consume("family-string", "t0", {"t1", "{}", {}}, now).error() ==
          errc::store_unavailable);
  }
  SECTION("the values start() and consume() write are accepted as they are") {
    auto family = family_named("family-ok");
    family.idle_timeout = 0s;
    REQUIRE(stores.families->start(family).error() == no_error);
    CHECK(stores.families->is_active("family-ok", now).value());
    CHECK(stores.families->consume("family-ok", "t0", {"t1", "{}", {}}, now).value().verdict ==
          jot::refresh_verdict::rotated);
    REQUIRE(stores.families->revoke("family-ok").error() == no_error);
    CHECK_FALSE(stores.families->is_active("family-ok", now).value());
    CHECK(stores.families->consume("family-ok", "t1", {"t2", "{}", {}}, now).value().verdict ==
          jot::refresh_verdict::revoked);
    // A family that does not exist is no error: it is not active, and its tokens are refused.
    CHECK_FALSE(stores.families->is_active("family-none", now).value());
    CHECK(stores.families->consume("family-none", "t0", {"t1", "{}", {}}, now).value().verdict ==
          jot::refresh_verdict::revoked);
  }
}

TEST_CASE("redis versions: a counter changed by hand is store_unavailable", "[redis][corruption]") {
  const auto options = fresh_options();
  const auto stores = jot::redis::make_stores(shared_client(), options);
  const std::vector<std::string> table = {"",
                                          "abc",
                                          "1.5",
                                          "012",
                                          "-3",
                                          "+3",
                                          " 5",
                                          "5 ",
                                          "1e3",
                                          "0x10",
                                          "9223372036854775808",
                                          "99999999999999999999"};
  int n = 0;
  for (const auto& bad : table) {
    INFO("ver = '" << bad << "'");
    const std::string subject = "user-" + std::to_string(++n);
    REQUIRE(shared_server()
                .ask({"SET", options.key_prefix + "version:{" + subject + "}", bad})
                .text() == "OK");
    CHECK(stores.versions->current(subject).error() == errc::store_unavailable);
    CHECK(stores.versions->bump(subject).error() == errc::store_unavailable);
  }
  SECTION("a key that is not a string") {
    REQUIRE(shared_server().integer(
                {"HSET", options.key_prefix + "version:{user-hash}", "ver", "1"}) == 1);
    CHECK(stores.versions->current("user-hash").error() == errc::store_unavailable);
    CHECK(stores.versions->bump("user-hash").error() == errc::store_unavailable);
  }
  SECTION("the largest counter is still read") {
    REQUIRE(shared_server()
                .ask({"SET", options.key_prefix + "version:{user-max}", "9223372036854775806"})
                .text() == "OK");
    CHECK(stores.versions->current("user-max").value() == 9223372036854775806u);
    CHECK(stores.versions->bump("user-max").value() == 9223372036854775807u);
  }
}

#ifndef JOT_NO_EXCEPTIONS

TEST_CASE("redis pool: an allocation failing while a connection is in use frees its place",
          "[redis][pool]") {
  auto settings = options_for(shared_server().port());
  settings.pool_size = 1;  // a lost place shows at once: nothing is left to serve
  settings.connect_timeout = 200ms;
  settings.command_timeout = 300ms;
  settings.database = 1;  // opening sends SELECT, which allocates: opening can fail too
  const std::vector<jot::redis::command> commands = {{"SET", "jot-pool-test", "1"},
                                                     {"GET", "jot-pool-test"}};
  // Fails the first, second, ... allocation of one call, until a call makes fewer than that:
  // each failure is an error, and the next call on the same pool is served.
  const auto fail_each_allocation = [&](bool connection_idle) {
    bool failed_somewhere = true;
    long before = 0;
    for (; failed_somewhere && before < 200; ++before) {
      INFO((connection_idle ? "an idle connection, " : "no connection yet, ")
           << "allocations before the failure: " << before);
      jot::redis::connection_pool pool(settings);
      if (connection_idle) REQUIRE(pool.execute({}, commands).error() == no_error);
      allocations_before_failure = before;
      const auto injected = pool.execute({}, commands);
      failed_somewhere = allocations_before_failure < 0;
      allocations_before_failure = -1;
      if (failed_somewhere) CHECK(injected.error() == errc::out_of_memory);
      const auto next = pool.execute({}, commands);
      REQUIRE(next.error() == no_error);
      CHECK((*next)[1].text() == "1");
    }
    CHECK_FALSE(failed_somewhere);
    return before;
  };

  SECTION("while an idle connection is used") { CHECK(fail_each_allocation(true) > 1); }
  SECTION("while a new connection is opened and used") { CHECK(fail_each_allocation(false) > 1); }
}
#endif

TEST_CASE("redis revoke: an entry outlives its token's exp by the configured margin",
          "[redis][margin]") {
  // A verifier with allow_clock_skew(s) accepts a token until exp + s: a revocation made inside
  // that window must be written, and none may end before it.
  auto options = fresh_options();
  options.revocation_margin = 120s;
  jot::redis::revocation_store store(shared_client(), options);
  const sys_seconds now = real_now();
  REQUIRE(store.revoke("jti-inside", now - 60s).error() == no_error);
  CHECK(store.is_revoked("jti-inside").value());
  CHECK(pttl_of(options.key_prefix + "revoked:jti-inside") > (60s - 2s) / 1ms);
  CHECK(pttl_of(options.key_prefix + "revoked:jti-inside") <= 60s / 1ms);
  REQUIRE(store.revoke("jti-live", now + 1h).error() == no_error);
  CHECK(pttl_of(options.key_prefix + "revoked:jti-live") > (1h + 120s - 2s) / 1ms);
  REQUIRE(store.revoke("jti-outside", now - 121s).error() == no_error);
  CHECK_FALSE(store.is_revoked("jti-outside").value());

  // A negative margin counts as none.
  options.revocation_margin = -30s;
  jot::redis::revocation_store strict(shared_client(), options);
  REQUIRE(strict.revoke("jti-past", now - 1s).error() == no_error);
  CHECK_FALSE(strict.is_revoked("jti-past").value());
}
