// The session flows (session_manager.hpp) with the memory stores, and with stores that fail: a
// pair per login, refresh tokens that work once, reuse detection, the reuse interval, the three
// ways to revoke, and nothing lost when a store cannot answer.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "faulty_stores.hpp"
#include "test_support.hpp"
#include "unit/unit_support.hpp"

#include <jot/jot.hpp>
#include <jot/session.hpp>
#include <jot/unverified.hpp>

using jot::errc;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t start_time = 1'800'000'000;

// A clock the test moves by hand; safe to read from many threads.
class manager_clock {
 public:
  std::chrono::system_clock::time_point now() const {
    return jot_test::at(start_time + offset_.load());
  }
  void advance(std::chrono::seconds by) { offset_ += by.count(); }
  std::function<std::chrono::system_clock::time_point()> function() const {
    return [this] { return now(); };
  }

 private:
  std::atomic<std::int64_t> offset_{0};
};

const jot::signing_key& access_key() {
  static const auto key =
      jot::signing_key::generate(jot::algorithm::es256).value().with_key_id("access-1").value();
  return key;
}

const jot::signing_key& refresh_key() {
  static const auto key =
      jot::signing_key::generate(jot::algorithm::hs256).value().with_key_id("refresh-1").value();
  return key;
}

// The stores of one test, each behind a switch that makes it fail.
using stores = jot_test::faulty_memory_stores;

jot::session_manager::builder builder_for(const manager_clock& clock, const stores& s) {
  jot::session_manager::builder builder;
  builder.issuer("https://auth.example.com")
      .access_audience("https://api.example.com")
      .client_id("web-app")
      .access_key(access_key())
      .refresh_key(refresh_key())
      .stores({s.revocations, s.versions, s.families})
      .allow_custom_clock(clock.function());
  return builder;
}

// What a token says, read without verifying it: the tests look at what the manager wrote.
jot::unverified::token inspect(const std::string& token) {
  return jot::unverified::decode(token).value();
}

std::string jti_of(const std::string& token) { return inspect(token).payload.at("jti"); }

errc code_of(const std::error_code& code) { return static_cast<errc>(code.value()); }

template <typename T>
errc error_of(const jot::result<T>& outcome) {
  REQUIRE_FALSE(outcome);
  return code_of(outcome.error());
}

}  // namespace

TEST_CASE("issue_pair makes an RFC 9068 access token and a refresh token of their own type",
          "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).build().value();
  const auto pair =
      sessions.issue_pair("user-42", {{"roles", {"admin", "ops"}}, {"scope", "orders:read"}})
          .value();

  CHECK(pair.access_expires_at == jot::sys_seconds(std::chrono::seconds(start_time)) + 15min);
  CHECK(pair.refresh_expires_at ==
        jot::sys_seconds(std::chrono::seconds(start_time)) + std::chrono::hours(24 * 7));

  const auto access = inspect(pair.access_token);
  CHECK(access.header.at("typ") == "at+jwt");
  CHECK(access.header.at("kid") == "access-1");
  const auto& a = access.payload;
  CHECK(a.at("iss") == "https://auth.example.com");
  CHECK(a.at("sub") == "user-42");
  CHECK(a.at("aud") == "https://api.example.com");
  CHECK(a.at("client_id") == "web-app");
  CHECK(a.at("type") == "access");
  CHECK(a.at("sid") == pair.session_id);
  CHECK(a.at("ver") == 0);
  CHECK(a.at("iat") == start_time);
  CHECK(a.at("auth_time") == start_time);
  CHECK(a.at("exp") == start_time + 15 * 60);
  CHECK(a.at("roles") == nlohmann::json({"admin", "ops"}));
  CHECK(a.at("jti").get<std::string>().size() == 22);  // 128 random bits, base64url

  const auto refresh = inspect(pair.refresh_token);
  CHECK(refresh.header.at("typ") == "refresh+jwt");
  CHECK(refresh.header.at("kid") == "refresh-1");
  const auto& r = refresh.payload;
  CHECK(r.at("aud") == "https://auth.example.com");  // the issuer: only the manager reads it
  CHECK(r.at("type") == "refresh");
  CHECK(r.at("sid") == pair.session_id);
  CHECK_FALSE(r.contains("client_id"));
  CHECK(r.at("jti") != a.at("jti"));

  const auto verified = sessions.authenticate(pair.access_token).value();
  CHECK(*verified.claims().subject() == "user-42");
  CHECK(*verified.claims().find("scope") == "orders:read");

  // Two logins are two sessions with ids of their own.
  const auto second = sessions.issue_pair("user-42").value();
  CHECK(second.session_id != pair.session_id);
  CHECK(jti_of(second.access_token) != jti_of(pair.access_token));
}

TEST_CASE("an access token never refreshes and a refresh token never authenticates", "[sessions]") {
  manager_clock clock;
  stores s;
  SECTION("with a key for each kind") {
    const auto sessions = builder_for(clock, s).build().value();
    const auto pair = sessions.issue_pair("user-42").value();
    CHECK(error_of(sessions.refresh(pair.access_token)) == errc::type_mismatch);
    CHECK(error_of(sessions.authenticate(pair.refresh_token)) == errc::type_mismatch);
  }
  SECTION("with one key for both") {
    auto builder = builder_for(clock, s);
    builder.refresh_key(access_key());
    const auto sessions = builder.build().value();
    const auto pair = sessions.issue_pair("user-42").value();
    CHECK(error_of(sessions.refresh(pair.access_token)) == errc::type_mismatch);
    CHECK(error_of(sessions.authenticate(pair.refresh_token)) == errc::type_mismatch);
  }
  SECTION("a plain verifier of the access key refuses both session kinds unless it expects one") {
    const auto sessions = builder_for(clock, s).build().value();
    const auto pair = sessions.issue_pair("user-42").value();
    const auto plain = jot::verifier::builder{}
                           .add_key(access_key().verification_key().value())
                           .validator(jot::validator::builder{}
                                          .expect_audience("https://api.example.com")
                                          .allow_custom_clock(clock.function())
                                          .build())
                           .build()
                           .value();
    CHECK(error_of(plain.verify(pair.access_token)) == errc::type_mismatch);
    CHECK(error_of(plain.verify(pair.refresh_token)) == errc::type_mismatch);
  }
}

TEST_CASE("a rejected session token names the claim it lacks", "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).build().value();
  const auto pair = sessions.issue_pair("user-42").value();
  // The manager's own token, signed again by its key without one claim.
  const auto without = [](const std::string& token, const char* claim,
                          const jot::signing_key& key) {
    const auto parts = inspect(token);
    auto payload = parts.payload;
    payload.erase(claim);
    return jot_test::sign_raw(parts.header.dump(), payload.dump(), key);
  };
  for (const char* claim : {"sid", "ver", "jti", "exp"}) {
    INFO(claim);
    const auto access = sessions.authenticate(without(pair.access_token, claim, access_key()));
    CHECK(error_of(access) == errc::missing_claim);
    CHECK(access.error_claim() == claim);
    const auto refreshed = sessions.refresh(without(pair.refresh_token, claim, refresh_key()));
    CHECK(error_of(refreshed) == errc::missing_claim);
    CHECK(refreshed.error_claim() == claim);
  }
  // A manager's session checks name theirs too: a `sid` of the wrong type.
  const auto parts = inspect(pair.access_token);
  auto payload = parts.payload;
  payload["sid"] = 7;
  const auto typed =
      sessions.authenticate(jot_test::sign_raw(parts.header.dump(), payload.dump(), access_key()));
  CHECK(error_of(typed) == errc::claim_mismatch);
  CHECK(typed.error_claim() == "sid");
  // The other facts, in access and refresh tokens alike: `ver` an integer >= 0, `auth_time` a
  // NumericDate (a fraction is one: RFC 7519 section 2), and present.
  const std::pair<const char*, nlohmann::json> faults[] = {
      {"ver", -1},
      {"ver", "0"},
      {"ver", 0.5},
      {"ver", nullptr},
      {"auth_time", "2026-12-07"},
      {"auth_time", true},
      {"auth_time", nlohmann::json::array({1})}};
  const auto with_fault = [](const std::string& token, const char* claim,
                             const nlohmann::json& value, const jot::signing_key& key) {
    const auto parts = inspect(token);
    auto payload = parts.payload;
    payload[claim] = value;
    return jot_test::sign_raw(parts.header.dump(), payload.dump(), key);
  };
  for (const auto& fault : faults) {
    INFO(fault.first << " = " << fault.second.dump());
    const auto access = sessions.authenticate(
        with_fault(pair.access_token, fault.first, fault.second, access_key()));
    CHECK(error_of(access) == errc::claim_mismatch);
    CHECK(access.error_claim() == fault.first);
    const auto refreshed =
        sessions.refresh(with_fault(pair.refresh_token, fault.first, fault.second, refresh_key()));
    CHECK(error_of(refreshed) == errc::claim_mismatch);
    CHECK(refreshed.error_claim() == fault.first);
  }
  const auto no_auth_time =
      sessions.authenticate(without(pair.access_token, "auth_time", access_key()));
  CHECK(error_of(no_auth_time) == errc::missing_claim);
  CHECK(no_auth_time.error_claim() == "auth_time");
  const auto auth_time = inspect(pair.access_token).payload.at("auth_time").get<double>();
  CHECK(sessions.authenticate(
      with_fault(pair.access_token, "auth_time", auth_time + 0.5, access_key())));
}

TEST_CASE("authenticate requires the manager's own client_id (RFC 9068 section 2.2)",
          "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).build().value();
  const auto pair = sessions.issue_pair("user-42").value();
  const auto parts = inspect(pair.access_token);
  // The manager's own token, signed again by its key with another `client_id` or none.
  const auto with_client = [&parts](const std::optional<nlohmann::json>& client_id) {
    auto payload = parts.payload;
    payload.erase("client_id");
    if (client_id) payload["client_id"] = *client_id;
    return jot_test::sign_raw(parts.header.dump(), payload.dump(), access_key());
  };
  const auto missing = sessions.authenticate(with_client(std::nullopt));
  CHECK(error_of(missing) == errc::missing_claim);
  CHECK(missing.error_claim() == "client_id");
  for (const nlohmann::json& other : {nlohmann::json(7), nlohmann::json("other-app"),
                                      nlohmann::json(""), nlohmann::json({"web-app"})}) {
    INFO(other.dump());
    const auto refused = sessions.authenticate(with_client(other));
    CHECK(error_of(refused) == errc::claim_mismatch);
    CHECK(refused.error_claim() == "client_id");
  }
  CHECK(sessions.authenticate(with_client(nlohmann::json("web-app"))));
  // A refresh writes it into the new access token; refresh tokens never carry it.
  const auto next = sessions.refresh(pair.refresh_token).value();
  CHECK(inspect(next.access_token).payload.at("client_id") == "web-app");
  CHECK_FALSE(inspect(next.refresh_token).payload.contains("client_id"));
  CHECK(sessions.authenticate(next.access_token));
}

TEST_CASE("a refresh token works once; presenting it again ends its session", "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).build().value();
  const auto first = sessions.issue_pair("user-42", {{"roles", {"admin"}}}).value();

  clock.advance(60s);
  const auto second = sessions.refresh(first.refresh_token).value();
  CHECK(second.session_id == first.session_id);
  CHECK(second.refresh_token != first.refresh_token);
  CHECK(second.access_token != first.access_token);
  CHECK(second.access_expires_at == clock.now() + 15min);
  const auto renewed = sessions.authenticate(second.access_token).value();
  CHECK(*renewed.claims().find("roles") == nlohmann::json({"admin"}));  // carried over
  CHECK(*renewed.claims().find("auth_time") == start_time);             // the login's time

  // The spent token again, after the reuse interval: someone else has a copy. The session ends,
  // for both holders; the spent token stays a reuse.
  clock.advance(jot::default_reuse_interval);
  CHECK(error_of(sessions.refresh(first.refresh_token)) == errc::refresh_token_reused);
  CHECK(error_of(sessions.refresh(second.refresh_token)) == errc::token_revoked);
  CHECK(error_of(sessions.refresh(first.refresh_token)) == errc::refresh_token_reused);
  // Access tokens live on until they expire, unless the manager checks the session.
  CHECK(sessions.authenticate(second.access_token));

  // Another session of the same user is untouched.
  const auto other = sessions.issue_pair("user-42").value();
  CHECK(sessions.refresh(other.refresh_token));
}

TEST_CASE("with expect_active_session, a reuse also ends the access tokens of the session",
          "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).expect_active_session().build().value();
  const auto first = sessions.issue_pair("user-42").value();
  const auto second = sessions.refresh(first.refresh_token).value();
  CHECK(sessions.authenticate(first.access_token));
  CHECK(sessions.authenticate(second.access_token));

  clock.advance(jot::default_reuse_interval);
  CHECK(error_of(sessions.refresh(first.refresh_token)) == errc::refresh_token_reused);
  CHECK(error_of(sessions.authenticate(first.access_token)) == errc::token_revoked);
  CHECK(error_of(sessions.authenticate(second.access_token)) == errc::token_revoked);
}

TEST_CASE("inside the reuse interval the token spent just before gets the same successor",
          "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).reuse_interval(10s).build().value();
  const auto first = sessions.issue_pair("user-42", {{"roles", {"reader"}}}).value();
  clock.advance(100s);
  // The refresh that spends `first` gives the session new claims.
  const auto second =
      sessions.refresh(first.refresh_token, nlohmann::json{{"roles", {"admin"}}}).value();

  SECTION("every retry inside the interval, then the successor keeps working") {
    clock.advance(9s);
    for (int retry = 0; retry < 3; ++retry) {
      // A retry that asks for other claims still gets what the first presentation got.
      const auto retried =
          sessions.refresh(first.refresh_token, nlohmann::json{{"roles", {"other"}}}).value();
      // The same successor: same jti, issue time and claims; HS256 signs them to the same bytes.
      CHECK(retried.refresh_token == second.refresh_token);
      CHECK(retried.refresh_expires_at == second.refresh_expires_at);
      CHECK(jti_of(retried.access_token) != jti_of(second.access_token));  // a fresh access token
      CHECK(inspect(retried.access_token).payload.at("roles") == nlohmann::json({"admin"}));
      CHECK(sessions.authenticate(retried.access_token));
    }
    CHECK(sessions.refresh(second.refresh_token));
  }
  SECTION("at the end of the interval it is a reuse") {
    clock.advance(10s);
    CHECK(error_of(sessions.refresh(first.refresh_token)) == errc::refresh_token_reused);
    CHECK(error_of(sessions.refresh(second.refresh_token)) == errc::token_revoked);
  }
  SECTION("an older token is a reuse even inside the interval") {
    const auto third = sessions.refresh(second.refresh_token).value();
    CHECK(error_of(sessions.refresh(first.refresh_token)) == errc::refresh_token_reused);
    CHECK(error_of(sessions.refresh(third.refresh_token)) == errc::token_revoked);
  }
}

TEST_CASE("a refresh whose answer was lost after the store spent the token can be retried",
          "[sessions]") {
  manager_clock clock;
  stores s;
  // The default reuse interval: a retry is safe without configuring anything.
  const auto sessions = builder_for(clock, s).build().value();
  const auto first = sessions.issue_pair("user-42").value();

  s.families->lose_consume_answers = true;
  CHECK(error_of(sessions.refresh(first.refresh_token)) == errc::store_unavailable);
  s.families->lose_consume_answers = false;

  // The client retries a few seconds later (and once more, its answer lost too): each retry gets
  // the successor the lost attempt was given, and the session goes on.
  clock.advance(5s);
  const auto retried = sessions.refresh(first.refresh_token).value();
  clock.advance(5s);
  const auto again = sessions.refresh(first.refresh_token).value();
  CHECK(again.refresh_token == retried.refresh_token);
  CHECK(sessions.authenticate(retried.access_token));
  const auto next = sessions.refresh(retried.refresh_token).value();
  CHECK(jti_of(next.refresh_token) != jti_of(retried.refresh_token));
  CHECK(sessions.authenticate(next.access_token));
}

TEST_CASE("sixteen threads race to refresh one token: exactly one new pair",
          "[sessions][threads]") {
  const auto interval = GENERATE(0s, 30s);
  CAPTURE(interval.count());
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).reuse_interval(interval).build().value();
  const auto pair = sessions.issue_pair("user-42").value();

  constexpr int racers = 16;
  std::vector<jot::result<jot::token_pair>> outcomes(racers, errc::invalid_argument);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < racers; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < racers) std::this_thread::yield();
      outcomes[i] = sessions.refresh(pair.refresh_token);
    });
  }
  for (auto& thread : threads) thread.join();

  std::vector<std::string> successors;
  int reused = 0;
  for (const auto& outcome : outcomes) {
    if (outcome) {
      successors.push_back(outcome->refresh_token);
    } else {
      CHECK(code_of(outcome.error()) == errc::refresh_token_reused);
      ++reused;
    }
  }
  // Without an interval one thread wins and the other fifteen are reuses, which end the session.
  // With one, the others count as the winner's retries (tabs of one browser) and receive the same
  // refresh token, and the session goes on.
  const std::size_t winners = interval == 0s ? 1 : racers;
  REQUIRE(successors.size() == winners);
  CHECK(reused == racers - static_cast<int>(winners));
  for (const auto& successor : successors) CHECK(jti_of(successor) == jti_of(successors.front()));
  const auto next = sessions.refresh(successors.front());
  if (interval == 0s) {
    CHECK(error_of(next) == errc::token_revoked);
  } else {
    CHECK(next);
  }
}

TEST_CASE("revoke puts one token on the blocklist until it expires", "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).build().value();
  const auto pair = sessions.issue_pair("user-42").value();
  const auto other = sessions.refresh(pair.refresh_token).value();

  SECTION("an access token") {
    REQUIRE(sessions.revoke(pair.access_token));
    CHECK(error_of(sessions.authenticate(pair.access_token)) == errc::token_revoked);
    CHECK(sessions.authenticate(other.access_token));  // only that one
  }
  SECTION("a refresh token") {
    REQUIRE(sessions.revoke(other.refresh_token));
    CHECK(error_of(sessions.refresh(other.refresh_token)) == errc::token_revoked);
  }
  SECTION("an expired token needs nothing") {
    clock.advance(16min);
    const int calls = s.revocations->calls.load();
    CHECK(sessions.revoke(pair.access_token));
    CHECK(s.revocations->calls.load() == calls);
  }
  SECTION("a token of someone else's key is refused, and nothing is written") {
    const auto stranger =
        jot::signing_key::generate(jot::algorithm::es256).value().with_key_id("access-1").value();
    const auto forged = jot::encoder(stranger, std::string("at+jwt"))
                            .sign(jot::claims::builder(clock.now())
                                      .issuer("https://auth.example.com")
                                      .subject("user-42")
                                      .audience("https://api.example.com")
                                      .jwt_id("chosen-by-attacker")
                                      .expires_in(10min)
                                      .build()
                                      .value())
                            .value();
    const int calls = s.revocations->calls.load();
    CHECK(error_of(sessions.revoke(forged)) == errc::invalid_signature);
    CHECK(s.revocations->calls.load() == calls);
  }
  SECTION("garbage") { CHECK(error_of(sessions.revoke("not.a.token")) == errc::invalid_base64); }
}

TEST_CASE("end_session and end_session_by_id end a session", "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).expect_active_session().build().value();
  const auto pair = sessions.issue_pair("user-42").value();
  const auto untouched = sessions.issue_pair("user-42").value();

  SECTION("by its refresh token (logout)") { REQUIRE(sessions.end_session(pair.refresh_token)); }
  SECTION("by its access token") { REQUIRE(sessions.end_session(pair.access_token)); }
  SECTION("by its id") { REQUIRE(sessions.end_session_by_id(pair.session_id)); }

  CHECK(error_of(sessions.refresh(pair.refresh_token)) == errc::token_revoked);
  CHECK(error_of(sessions.authenticate(pair.access_token)) == errc::token_revoked);
  CHECK(sessions.authenticate(untouched.access_token));
  CHECK(sessions.refresh(untouched.refresh_token));
}

TEST_CASE("an expired access token still ends its session", "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).build().value();
  const auto pair = sessions.issue_pair("user-42").value();
  clock.advance(16min);
  REQUIRE(error_of(sessions.authenticate(pair.access_token)) == errc::token_expired);
  REQUIRE(sessions.end_session(pair.access_token));
  CHECK(error_of(sessions.refresh(pair.refresh_token)) == errc::token_revoked);
  // Not for a forged one: an expired token of someone else's key is refused before its expiry.
  const auto stranger =
      jot::signing_key::generate(jot::algorithm::es256).value().with_key_id("access-1").value();
  const auto forged = jot::encoder(stranger, std::string("at+jwt"))
                          .sign(jot::claims::builder(clock.now() - 1h)
                                    .issuer("https://auth.example.com")
                                    .subject("user-42")
                                    .audience("https://api.example.com")
                                    .expires_in(10min)
                                    .build()
                                    .value())
                          .value();
  CHECK(error_of(sessions.end_session(forged)) == errc::invalid_signature);
}

TEST_CASE("logout_everywhere rejects every token issued to the subject before it", "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).build().value();
  const auto phone = sessions.issue_pair("user-42").value();
  const auto laptop = sessions.issue_pair("user-42").value();
  const auto someone_else = sessions.issue_pair("user-7").value();

  CHECK(sessions.logout_everywhere("user-42").value() == 1);
  for (const auto* pair : {&phone, &laptop}) {
    CHECK(error_of(sessions.authenticate(pair->access_token)) == errc::token_version_mismatch);
    CHECK(error_of(sessions.refresh(pair->refresh_token)) == errc::token_version_mismatch);
  }
  CHECK(sessions.authenticate(someone_else.access_token));

  const auto again = sessions.issue_pair("user-42").value();
  CHECK(inspect(again.access_token).payload.at("ver") == 1);
  CHECK(sessions.authenticate(again.access_token));
  const auto refreshed = sessions.refresh(again.refresh_token).value();
  CHECK(sessions.authenticate(refreshed.access_token));
}

TEST_CASE("lifetimes: tokens expire, a session ends at its lifetime or after idling",
          "[sessions]") {
  manager_clock clock;
  stores s;
  SECTION("an access token expires after its lifetime") {
    const auto sessions = builder_for(clock, s).build().value();
    const auto pair = sessions.issue_pair("user-42").value();
    clock.advance(15min);
    CHECK(error_of(sessions.authenticate(pair.access_token)) == errc::token_expired);
  }
  SECTION("no refresh token outlives its session") {
    const auto sessions = builder_for(clock, s)
                              .refresh_lifetime(std::chrono::hours(24 * 7))
                              .session_lifetime(std::chrono::hours(24 * 8))
                              .build()
                              .value();
    const auto first = sessions.issue_pair("user-42").value();
    clock.advance(std::chrono::hours(24 * 5));
    const auto second = sessions.refresh(first.refresh_token).value();
    CHECK(second.refresh_expires_at ==
          jot::sys_seconds(std::chrono::seconds(start_time)) + std::chrono::hours(24 * 8));
    clock.advance(std::chrono::hours(24 * 3));
    CHECK(error_of(sessions.refresh(second.refresh_token)) == errc::token_expired);
  }
  SECTION("an idle session ends though its refresh token has not expired") {
    const auto sessions = builder_for(clock, s).idle_timeout(std::chrono::hours(1)).build().value();
    const auto first = sessions.issue_pair("user-42").value();
    clock.advance(59min);
    const auto second = sessions.refresh(first.refresh_token).value();
    clock.advance(61min);
    CHECK(error_of(sessions.refresh(second.refresh_token)) == errc::session_expired);
  }
}

TEST_CASE("refresh may replace the application's claims", "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).build().value();
  const auto first = sessions.issue_pair("user-42", {{"roles", {"admin"}}}).value();
  const auto second =
      sessions.refresh(first.refresh_token, nlohmann::json{{"roles", {"viewer"}}}).value();
  const auto access = sessions.authenticate(second.access_token).value();
  CHECK(*access.claims().find("roles") == nlohmann::json({"viewer"}));
  const auto third = sessions.refresh(second.refresh_token).value();
  const auto carried = sessions.authenticate(third.access_token).value();
  CHECK(*carried.claims().find("roles") == nlohmann::json({"viewer"}));
}

TEST_CASE("the application's claims follow the claims builder's rules", "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).build().value();
  CHECK(error_of(sessions.issue_pair("user-42", {{"sid", "mine"}})) == errc::reserved_claim);
  CHECK(error_of(sessions.issue_pair("user-42", {{"ver", 9}})) == errc::reserved_claim);
  CHECK(error_of(sessions.issue_pair("user-42", {{"type", "refresh"}})) == errc::reserved_claim);
  CHECK(error_of(sessions.issue_pair("user-42", {{"exp", 1}})) == errc::reserved_claim);
  CHECK(error_of(sessions.issue_pair("user-42", {{"password", "x"}})) == errc::sensitive_claim);
  CHECK(error_of(sessions.issue_pair("user-42", nlohmann::json::array())) ==
        errc::invalid_argument);
  CHECK(error_of(sessions.issue_pair(std::string("user\xff"))) == errc::invalid_argument);
  CHECK(error_of(sessions.issue_pair("")) == errc::invalid_argument);
  // None of the refusals started a session.
  CHECK(s.families->calls.load() == 0);
}

TEST_CASE("the builder refuses an incomplete or inconsistent configuration", "[sessions]") {
  manager_clock clock;
  stores s;
  CHECK(error_of(jot::session_manager::builder{}.access_key(access_key()).build()) ==
        errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).issuer("").build()) == errc::invalid_argument);
  // Every access token carries its client (RFC 9068 section 2.2): none, or an empty one, is
  // refused.
  CHECK(error_of(builder_for(clock, s).client_id("").build()) == errc::invalid_argument);
  CHECK(error_of(jot::session_manager::builder{}
                     .issuer("https://auth.example.com")
                     .access_audience("https://api.example.com")
                     .access_key(access_key())
                     .build()) == errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).access_audience("").build()) == errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).reuse_interval(61s).build()) == errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).reuse_interval(-1s).build()) == errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).access_lifetime(0s).build()) == errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).access_lifetime(std::chrono::hours(24 * 8)).build()) ==
        errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).session_lifetime(std::chrono::hours(24)).build()) ==
        errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).idle_timeout(-1s).build()) == errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).allow_clock_skew(3600s).build()) == errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).revocation_store(nullptr).build()) ==
        errc::invalid_argument);
  CHECK(error_of(builder_for(clock, s).stores(jot::session_stores{}).build()) ==
        errc::invalid_argument);
  // A second accepted key without a kid cannot be told apart from the first.
  CHECK(error_of(builder_for(clock, s)
                     .accept_access_key(jot::signing_key::generate(jot::algorithm::es256)
                                            .value()
                                            .verification_key()
                                            .value())
                     .build()) == errc::missing_key_id);
  // Defaults: memory stores, one key for both kinds, a reuse interval of 30 s.
  const auto minimal = jot::session_manager::builder{}
                           .issuer("https://auth.example.com")
                           .access_audience("https://api.example.com")
                           .client_id("web-app")
                           .access_key(access_key())
                           .build()
                           .value();
  const auto pair = minimal.issue_pair("user-42").value();
  const auto renewed = minimal.refresh(pair.refresh_token).value();
  CHECK(jti_of(minimal.refresh(pair.refresh_token).value().refresh_token) ==
        jti_of(renewed.refresh_token));
}

TEST_CASE("after a key rotation tokens of the previous key stay valid until they expire",
          "[sessions]") {
  manager_clock clock;
  stores s;
  const auto old_sessions = builder_for(clock, s).build().value();
  const auto old_pair = old_sessions.issue_pair("user-42").value();

  const auto new_access =
      jot::signing_key::generate(jot::algorithm::es256).value().with_key_id("access-2").value();
  const auto sessions = builder_for(clock, s)
                            .access_key(new_access)
                            .accept_access_key(access_key().verification_key().value())
                            .build()
                            .value();
  CHECK(sessions.authenticate(old_pair.access_token));
  const auto next = sessions.refresh(old_pair.refresh_token).value();
  CHECK(inspect(next.access_token).header.at("kid") == "access-2");
  CHECK(sessions.authenticate(next.access_token));
}

TEST_CASE("a store that cannot answer rejects, and loses nothing", "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).expect_active_session().build().value();
  const auto pair = sessions.issue_pair("user-42").value();
  const bool throw_instead = GENERATE(false, true);
  CAPTURE(throw_instead);
#ifdef JOT_NO_EXCEPTIONS
  if (throw_instead) return;
#endif
  s.revocations->throw_instead = throw_instead;
  s.versions->throw_instead = throw_instead;
  s.families->throw_instead = throw_instead;

  SECTION("refresh family store: a refresh that could not be recorded leaves the token current") {
    s.families->fail_writes = true;
    CHECK(error_of(sessions.refresh(pair.refresh_token)) == errc::store_unavailable);
    CHECK(error_of(sessions.issue_pair("user-42")) == errc::store_unavailable);
    s.families->fail_writes = false;
    s.families->fail_reads = true;
    CHECK(error_of(sessions.authenticate(pair.access_token)) == errc::store_unavailable);
    s.families->fail_reads = false;
    const auto next = sessions.refresh(pair.refresh_token).value();  // not spent before
    CHECK(sessions.authenticate(next.access_token));
  }
  SECTION("revocation store: checks fail closed, a revoke that failed is not reported done") {
    s.revocations->fail_reads = true;
    CHECK(error_of(sessions.authenticate(pair.access_token)) == errc::store_unavailable);
    CHECK(error_of(sessions.refresh(pair.refresh_token)) == errc::store_unavailable);
    s.revocations->fail_reads = false;
    s.revocations->fail_writes = true;
    CHECK(error_of(sessions.revoke(pair.access_token)) == errc::store_unavailable);
    s.revocations->fail_writes = false;
    CHECK(sessions.authenticate(pair.access_token));  // it was not revoked: say so, and retry
    REQUIRE(sessions.revoke(pair.access_token));
    CHECK(error_of(sessions.authenticate(pair.access_token)) == errc::token_revoked);
  }
  SECTION("token version store") {
    s.versions->fail_reads = true;
    CHECK(error_of(sessions.authenticate(pair.access_token)) == errc::store_unavailable);
    CHECK(error_of(sessions.refresh(pair.refresh_token)) == errc::store_unavailable);
    CHECK(error_of(sessions.issue_pair("user-42")) == errc::store_unavailable);
    s.versions->fail_reads = false;
    s.versions->fail_writes = true;
    CHECK(error_of(sessions.logout_everywhere("user-42")) == errc::store_unavailable);
    s.versions->fail_writes = false;
    CHECK(sessions.authenticate(pair.access_token));
    CHECK(sessions.refresh(pair.refresh_token));
  }
}

TEST_CASE("allow_unavailable_revocation_store fails open for authenticate only", "[sessions]") {
  manager_clock clock;
  stores s;
  const auto sessions = builder_for(clock, s).allow_unavailable_revocation_store().build().value();
  const auto pair = sessions.issue_pair("user-42").value();
  const auto revoked = sessions.issue_pair("user-42").value();
  REQUIRE(sessions.revoke(revoked.access_token));

  s.revocations->fail_reads = true;
  CHECK(sessions.authenticate(pair.access_token));
  CHECK(sessions.authenticate(revoked.access_token));  // the price: see docs/sessions.md
  CHECK(error_of(sessions.refresh(pair.refresh_token)) == errc::store_unavailable);
  s.revocations->fail_reads = false;
  CHECK(error_of(sessions.authenticate(revoked.access_token)) == errc::token_revoked);
  // Only the blocklist fails open: the version check still fails closed.
  s.versions->fail_reads = true;
  CHECK(error_of(sessions.authenticate(pair.access_token)) == errc::store_unavailable);
}

TEST_CASE("a full revocation store is an error to the caller and keeps what it holds",
          "[sessions]") {
  manager_clock clock;
  stores s;
  s.revocations = std::make_shared<jot_test::faulty_revocation_store>(
      std::make_shared<jot::memory_revocation_store>(1));
  const auto sessions = builder_for(clock, s).build().value();
  const auto first = sessions.issue_pair("user-42").value();
  const auto second = sessions.issue_pair("user-42").value();
  REQUIRE(sessions.revoke(first.access_token));
  CHECK(error_of(sessions.revoke(second.access_token)) == errc::store_full);
  CHECK(error_of(sessions.authenticate(first.access_token)) == errc::token_revoked);
  CHECK(sessions.authenticate(second.access_token));
}

TEST_CASE("logins and logouts never fill the memory family store", "[sessions]") {
  manager_clock clock;
  stores s;
  s.families = std::make_shared<jot_test::faulty_refresh_family_store>(
      std::make_shared<jot::memory_refresh_family_store>(2));
  const auto sessions = builder_for(clock, s).build().value();
  // Before the fix the third login was store_full: logged-out sessions held their places for
  // their whole lifetime (30 days), with no session live.
  for (int i = 0; i < 5; ++i) {
    INFO("login " << i);
    const auto pair = sessions.issue_pair("user-42");
    REQUIRE(pair.error() == std::error_code{});
    REQUIRE(sessions.end_session(pair->access_token));
    CHECK(error_of(sessions.refresh(pair->refresh_token)) == errc::token_revoked);
    clock.advance(1s);
  }
  const auto live = sessions.issue_pair("user-42");
  const auto other = sessions.issue_pair("user-7");
  REQUIRE(live.error() == std::error_code{});
  REQUIRE(other.error() == std::error_code{});
  // Two live sessions fill it: a third login is refused and neither live session is touched.
  CHECK(error_of(sessions.issue_pair("user-9")) == errc::store_full);
  CHECK(sessions.refresh(live->refresh_token));
  CHECK(sessions.refresh(other->refresh_token));
}

TEST_CASE("a token revoked under clock skew stays revoked while the skew accepts it",
          "[sessions]") {
  manager_clock clock;
  stores s;
  // A small blocklist on the manager's clock, so that purges happen in the test.
  s.revocations = std::make_shared<jot_test::faulty_revocation_store>(
      std::make_shared<jot::memory_revocation_store>(2, clock.function()));
  const auto sessions = builder_for(clock, s).allow_clock_skew(300s).build().value();
  const auto early = sessions.issue_pair("user-42").value();
  const auto late_revoked = sessions.issue_pair("user-42").value();
  REQUIRE(sessions.revoke(early.access_token));

  // Past exp, inside the skew: the verifier still accepts the tokens, so revoking one must write
  // an entry that lasts (before the fix the memory store kept it only until exp).
  REQUIRE(early.access_expires_at == jot::sys_seconds(std::chrono::seconds(start_time)) + 15min);
  clock.advance(15min + 150s);
  REQUIRE(sessions.authenticate(late_revoked.access_token));
  REQUIRE(sessions.revoke(late_revoked.access_token));
  const auto fresh = sessions.issue_pair("user-42").value();
  // The store is full, and neither entry of the skew window may make room.
  CHECK(sessions.revoke(fresh.access_token).error() == errc::store_full);
  CHECK(error_of(sessions.authenticate(early.access_token)) == errc::token_revoked);
  CHECK(error_of(sessions.authenticate(late_revoked.access_token)) == errc::token_revoked);
  CHECK(sessions.authenticate(fresh.access_token));

  // Once the skew is over the token is expired anyway.
  clock.advance(150s);
  CHECK(error_of(sessions.authenticate(early.access_token)) == errc::token_expired);
}

TEST_CASE("sessions work with ordered_json claims", "[sessions]") {
  manager_clock clock;
  const auto sessions = jot::basic_session_manager<nlohmann::ordered_json>::builder{}
                            .issuer("https://auth.example.com")
                            .access_audience("https://api.example.com")
                            .client_id("web-app")
                            .access_key(access_key())
                            .allow_custom_clock(clock.function())
                            .build()
                            .value();
  nlohmann::ordered_json claims;
  claims["zeta"] = 1;
  claims["alpha"] = 2;
  const auto pair = sessions.issue_pair("user-42", claims).value();
  const auto next = sessions.refresh(pair.refresh_token).value();
  const auto verified = sessions.authenticate(next.access_token).value();
  const auto& json = verified.claims().json();
  std::vector<std::string> names;
  for (auto it = json.begin(); it != json.end(); ++it) names.push_back(it.key());
  const auto zeta = std::find(names.begin(), names.end(), "zeta");
  REQUIRE(zeta != names.end());
  CHECK(std::next(zeta) != names.end());
  CHECK(*std::next(zeta) == "alpha");
}
