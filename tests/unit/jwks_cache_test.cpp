#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "test_support.hpp"
#include "unit_support.hpp"

#include <jot/jot.hpp>
#include <jot/jwks_refresher.hpp>

using jot::algorithm;
using namespace std::chrono_literals;

namespace {

// A JWKS endpoint stand-in: serves what it was last given, counts fetches, can be made to fail.
struct fake_endpoint {
  std::mutex mutex;
  std::string jwks;
  bool failing = false;
  std::atomic<int> fetches{0};

  void publish(const std::vector<jot::signing_key>& keys) {
    std::vector<jot::verification_key> public_keys;
    for (const auto& key : keys) public_keys.push_back(key.verification_key().value());
    std::lock_guard<std::mutex> lock(mutex);
    jwks = jot::key_set::from_keys(public_keys).value().to_jwks().value().dump();
  }
  jot::result<std::string> fetch() {
    ++fetches;
    std::lock_guard<std::mutex> lock(mutex);
    if (failing) return jot::errc::keys_unavailable;
    return jwks;
  }
};

struct fake_clock {
  std::atomic<std::int64_t> seconds{1000};
  std::chrono::steady_clock::time_point now() const {
    return std::chrono::steady_clock::time_point(std::chrono::seconds(seconds.load()));
  }
};

// A cache of `endpoint` on `clock` with the default validator: a set 600 s old is fetched again,
// and fetches are at least 30 s apart.
jot::jwks_cache cache_of(fake_endpoint& endpoint, const fake_clock& clock) {
  return jot::jwks_cache([&endpoint] { return endpoint.fetch(); },
                         jot::validator::builder{}.build().value(),
                         {600s, 30s, std::nullopt, [&clock] { return clock.now(); }});
}

}  // namespace

TEST_CASE("the JWKS cache fetches once and serves from memory within max age", "[jwks_cache]") {
  fake_endpoint endpoint;
  fake_clock clock;
  const auto a = jot_test::es256_key_named("a");
  endpoint.publish({a});
  jot::jwks_cache cache = cache_of(endpoint, clock);
  const auto token = jot_test::short_lived_token(a);
  for (int i = 0; i < 10; ++i) CHECK(cache.verify(token));
  CHECK(endpoint.fetches == 1);
  clock.seconds += 599;
  CHECK(cache.verify(token));
  CHECK(endpoint.fetches == 1);
  clock.seconds += 1;  // max age reached
  CHECK(cache.verify(token));
  CHECK(endpoint.fetches == 2);
}

TEST_CASE("an unknown kid refetches once, limited by the cooldown", "[jwks_cache]") {
  fake_endpoint endpoint;
  fake_clock clock;
  const auto a = jot_test::es256_key_named("a"), b = jot_test::es256_key_named("b");
  endpoint.publish({a});
  jot::jwks_cache cache = cache_of(endpoint, clock);
  CHECK(cache.verify(jot_test::short_lived_token(a)));
  CHECK(endpoint.fetches == 1);
  // The issuer rotated to b: the first b token refetches and verifies.
  endpoint.publish({a, b});
  clock.seconds += 31;
  CHECK(cache.verify(jot_test::short_lived_token(b)));
  CHECK(endpoint.fetches == 2);
  // Made-up kids within the cooldown do not reach the endpoint.
  for (int i = 0; i < 20; ++i) {
    CHECK(cache
              .verify(jot_test::short_lived_token(
                  jot_test::es256_key_named("forged-" + std::to_string(i))))
              .error() == jot::errc::unknown_key_id);
  }
  CHECK(endpoint.fetches == 2);
  clock.seconds += 30;
  CHECK(cache.verify(jot_test::short_lived_token(jot_test::es256_key_named("forged"))).error() ==
        jot::errc::unknown_key_id);
  CHECK(endpoint.fetches == 3);
}

TEST_CASE("a failing endpoint keeps the last good key set in service", "[jwks_cache]") {
  fake_endpoint endpoint;
  fake_clock clock;
  const auto a = jot_test::es256_key_named("a");
  endpoint.publish({a});
  jot::jwks_cache cache = cache_of(endpoint, clock);
  const auto token = jot_test::short_lived_token(a);
  CHECK(cache.verify(token));
  endpoint.failing = true;
  clock.seconds += 700;  // stale, and the refetch fails
  CHECK(cache.verify(token));
  CHECK(endpoint.fetches == 2);
  CHECK(cache.verify(token));
  CHECK(endpoint.fetches == 2);  // not retried within the cooldown
  // A malformed document counts as a failed fetch too.
  endpoint.failing = false;
  {
    std::lock_guard<std::mutex> lock(endpoint.mutex);
    endpoint.jwks = R"({"keys":"not an array"})";
  }
  clock.seconds += 31;
  CHECK(cache.verify(token));
  CHECK(endpoint.fetches == 3);
  CHECK(cache.keys().value().find("a") != nullptr);
}

TEST_CASE("with no key set yet, a failing endpoint is keys_unavailable", "[jwks_cache]") {
#ifndef JOT_NO_EXCEPTIONS  // an endpoint that throws, as a fetch function may
  auto down = []() -> jot::result<std::string> { throw std::runtime_error("down"); };
#else
  auto down = []() -> jot::result<std::string> { return jot::errc::keys_unavailable; };
#endif
  jot::jwks_cache cache(down, jot::validator::builder{}.build().value());
  CHECK(cache.verify("a.b.c").error() == jot::errc::keys_unavailable);
  jot::jwks_cache empty([]() -> jot::result<std::string> { return std::string(R"({"keys":[]})"); },
                        jot::validator::builder{}.build().value());
  CHECK(empty.verify("a.b.c").error() == jot::errc::no_keys);
}

TEST_CASE("the cache applies the verifier policy it was given", "[jwks_cache]") {
  fake_endpoint endpoint;
  const auto a = jot_test::es256_key_named("a");
  endpoint.publish({a});
  const auto policy = jot::validator::builder{}.expect_issuer("https://issuer.example").build();
  jot::jwks_cache cache([&] { return endpoint.fetch(); }, policy.value());
  CHECK(cache.verify(jot_test::short_lived_token(a)).error() == jot::errc::missing_claim);
}

TEST_CASE("the cache passes on the claim a rejection names", "[jwks_cache]") {
  fake_endpoint endpoint;
  fake_clock clock;
  const auto a = jot_test::es256_key_named("a"), b = jot_test::es256_key_named("b");
  endpoint.publish({a});
  const auto policy = jot::validator::builder{}.expect_claim("tenant").build();
  jot::jwks_cache cache([&] { return endpoint.fetch(); }, policy.value(),
                        {600s, 30s, std::nullopt, [&] { return clock.now(); }});
  const auto cached = cache.verify(jot_test::short_lived_token(a));
  CHECK(cached.error() == jot::errc::missing_claim);
  CHECK(cached.error_claim() == "tenant");
  // The same after the refetch an unknown kid triggers (the second verification).
  endpoint.publish({a, b});
  clock.seconds += 31;
  const auto refetched = cache.verify(jot_test::short_lived_token(b));
  CHECK(endpoint.fetches == 2);
  CHECK(refetched.error() == jot::errc::missing_claim);
  CHECK(refetched.error_claim() == "tenant");
}

TEST_CASE("threads share one JWKS cache while the issuer rotates", "[jwks_cache][threads]") {
  fake_endpoint endpoint;
  fake_clock clock;
  std::vector<jot::signing_key> keys{jot_test::es256_key_named("k0")};
  endpoint.publish(keys);
  jot::jwks_cache cache([&] { return endpoint.fetch(); }, jot::validator::builder{}.build().value(),
                        {600s, 0s, std::nullopt, [&] { return clock.now(); }});
  std::vector<std::string> tokens{jot_test::short_lived_token(keys[0])};
  for (int i = 1; i < 4; ++i) {
    keys.push_back(jot_test::es256_key_named("k" + std::to_string(i)));
    tokens.push_back(jot_test::short_lived_token(keys.back()));
  }
  std::atomic<int> ok{0}, unknown{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 400; ++i) {
        const auto verdict = cache.verify(tokens[static_cast<std::size_t>((t + i) % 4)]);
        if (verdict) {
          ++ok;
        } else if (verdict.error() == jot::errc::unknown_key_id) {
          ++unknown;
        } else {
          ++other;
        }
      }
    });
  }
  for (std::size_t published = 2; published <= keys.size(); ++published) {
    endpoint.publish({keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(published)});
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& thread : threads) thread.join();
  CHECK(other == 0);
  CHECK(ok > 0);
  CHECK(ok + unknown == 8 * 400);
  // Once everything is published, every token verifies.
  for (const auto& token : tokens) CHECK(cache.verify(token));
}

TEST_CASE("a new kid refetches even when its algorithm is not in the cached set",
          "[jwks_cache][rotation]") {
  fake_endpoint endpoint;
  fake_clock clock;
  const auto es = jot_test::es256_key_named("es-1");
  const auto ed =
      jot::signing_key::generate(algorithm::ed25519).value().with_key_id("ed-1").value();
  endpoint.publish({es});
  jot::jwks_cache cache = cache_of(endpoint, clock);
  CHECK(cache.verify(jot_test::short_lived_token(es)));
  CHECK(endpoint.fetches == 1);
  // The issuer rotates to an Ed25519 key: the first token with its kid fetches the new set.
  endpoint.publish({es, ed});
  clock.seconds += 31;
  const auto rotated = cache.verify(jot_test::short_lived_token(ed));
  CHECK(rotated.error() == std::error_code{});
  CHECK(endpoint.fetches == 2);
  // Within the cooldown, a made-up kid with an algorithm the set lacks is an unknown kid and
  // does not reach the endpoint; a known kid with such an algorithm is still not allowed.
  const auto rs = jot::signing_key::generate(algorithm::rs256).value();
  CHECK(cache.verify(jot_test::short_lived_token(rs.with_key_id("rs-1").value())).error() ==
        jot::errc::unknown_key_id);
  CHECK(endpoint.fetches == 2);
  CHECK(cache.verify(jot_test::short_lived_token(rs.with_key_id("es-1").value())).error() ==
        jot::errc::algorithm_not_allowed);
  CHECK(endpoint.fetches == 2);
}

TEST_CASE("the cache takes a validator built and checked before it exists", "[jwks_cache]") {
  // The contradiction fails where the policy is built, at start-up, not in every verify().
  CHECK(jot::validator::builder{}.expect_audience("api").ignore_audience().build().error() ==
        jot::errc::invalid_argument);
}

TEST_CASE("an ordered_json JWKS cache verifies and keeps the claims' member order",
          "[jwks_cache][ordered_json]") {
  using ordered = nlohmann::ordered_json;
  fake_endpoint endpoint;
  const auto a = jot_test::es256_key_named("a");
  endpoint.publish({a});
  jot::basic_jwks_cache<ordered> cache(
      [&] { return endpoint.fetch(); },
      jot::basic_validator_builder<ordered>{}.expect_subject("s").build().value());
  auto claims = jot::basic_claims_builder<ordered>{}
                    .subject("s")
                    .claim("zeta", 1)
                    .claim("alpha", 2)
                    .expires_in(10min)
                    .build()
                    .value();
  const auto token = jot::basic_encoder<ordered>{a}.sign(claims).value();
  const auto verified = cache.verify(token);
  REQUIRE(verified);
  CHECK(verified->claims().json().dump() == claims.json().dump());
}

TEST_CASE("a JWKS of keys without kid needs allow_missing_kid in the cache options",
          "[jwks_cache]") {
  fake_endpoint endpoint;
  const auto first = jot::signing_key::generate(algorithm::es256).value();
  const auto second = jot::signing_key::generate(algorithm::es256).value();
  endpoint.publish({first, second});
  const auto validator = jot::validator::builder{}.build().value();
  jot::jwks_cache strict([&] { return endpoint.fetch(); }, validator);
  CHECK(strict.verify(jot_test::short_lived_token(second)).error() == jot::errc::missing_key_id);
  jot::jwks_cache_options options;
  options.allow_missing_kid = true;
  jot::jwks_cache lenient([&] { return endpoint.fetch(); }, validator, options);
  CHECK(lenient.verify(jot_test::short_lived_token(second)).error() == std::error_code{});
  CHECK(lenient.verify(jot_test::short_lived_token(first)).error() == std::error_code{});
}

TEST_CASE("a JWKS cache refuses a JWKS holding an HMAC secret unless allowed", "[jwks_cache]") {
  const std::string secret(32, 's');
  const nlohmann::json oct = {
      {"kty", "oct"}, {"kid", "h"}, {"alg", "HS256"}, {"k", jot::base64url_encode(secret)}};
  const std::string jwks = nlohmann::json{{"keys", {oct}}}.dump();
  const auto signer =
      jot::signing_key::hs256(jot::secret_bytes(secret)).value().with_key_id("h").value();
  const auto token = jot_test::short_lived_token(signer);
  const auto validator = jot::validator::builder{}.build().value();

  // Before the fix the cache loaded the secret and accepted a token anyone could forge.
  jot::jwks_cache strict([&]() -> jot::result<std::string> { return jwks; }, validator);
  CHECK(strict.verify(token).error() == jot::errc::symmetric_key_in_jwks);
  CHECK(strict.keys().error() == jot::errc::symmetric_key_in_jwks);

  jot::jwks_cache_options options;
  options.allow_symmetric_keys = true;
  jot::jwks_cache lenient([&]() -> jot::result<std::string> { return jwks; }, validator, options);
  CHECK(lenient.verify(token).error() == std::error_code{});
}

TEST_CASE("a refresh that finds an HMAC secret keeps the last good key set", "[jwks_cache]") {
  fake_endpoint endpoint;
  fake_clock clock;
  const auto a = jot_test::es256_key_named("a");
  endpoint.publish({a});
  jot::jwks_cache cache = cache_of(endpoint, clock);
  const auto token = jot_test::short_lived_token(a);
  REQUIRE(cache.verify(token));
  {
    std::lock_guard<std::mutex> lock(endpoint.mutex);
    auto published = nlohmann::json::parse(endpoint.jwks);
    published["keys"].push_back(
        {{"kty", "oct"}, {"kid", "h"}, {"alg", "HS256"}, {"k", std::string(43, 'A')}});
    endpoint.jwks = published.dump();
  }
  clock.seconds += 600;
  CHECK(cache.verify(token).error() == std::error_code{});
  CHECK(endpoint.fetches == 2);
  CHECK(cache.keys().value().find("h") == nullptr);
}

TEST_CASE("off the request path, verify never fetches and refresh_if_needed does", "[jwks_cache]") {
  fake_endpoint endpoint;
  fake_clock clock;
  const auto a = jot_test::es256_key_named("a"), b = jot_test::es256_key_named("b");
  endpoint.publish({a});
  jot::jwks_cache_options options{600s, 30s, std::nullopt, [&clock] { return clock.now(); }};
  options.fetch_on_verify = false;
  jot::jwks_cache cache([&endpoint] { return endpoint.fetch(); },
                        jot::validator::builder{}.build().value(), options);
  const auto token_a = jot_test::short_lived_token(a);

  // No set yet: refused, and the endpoint is not asked.
  CHECK(cache.verify(token_a).error() == jot::errc::keys_unavailable);
  CHECK(endpoint.fetches == 0);
  REQUIRE(cache.refresh_if_needed());
  CHECK(endpoint.fetches == 1);
  CHECK(cache.verify(token_a));
  CHECK(cache.refresh_if_needed());  // fresh: nothing to fetch
  CHECK(endpoint.fetches == 1);

  // A stale set keeps serving without a fetch on the request path.
  clock.seconds += 700;
  CHECK(cache.verify(token_a));
  CHECK(endpoint.fetches == 1);
  REQUIRE(cache.refresh_if_needed());
  CHECK(endpoint.fetches == 2);

  // The issuer rotates: a token of the new key is refused until the next refresh, which its
  // unknown kid asked for (once the cooldown allows).
  endpoint.publish({a, b});
  const auto token_b = jot_test::short_lived_token(b);
  CHECK(cache.verify(token_b).error() == jot::errc::unknown_key_id);
  CHECK(endpoint.fetches == 2);
  CHECK(cache.refresh_if_needed());  // inside the cooldown: no fetch, the request is kept
  CHECK(endpoint.fetches == 2);
  clock.seconds += 30;
  REQUIRE(cache.refresh_if_needed());
  CHECK(endpoint.fetches == 3);
  CHECK(cache.verify(token_b));

  // A failed fetch is reported, and the last good set serves on.
  endpoint.failing = true;
  clock.seconds += 700;
  CHECK(cache.refresh_if_needed().error() == jot::errc::keys_unavailable);
  CHECK(cache.verify(token_b));
}

TEST_CASE("a jwks_refresher keeps the cache fresh from its own thread", "[jwks_cache][threads]") {
  fake_endpoint endpoint;
  const auto a = jot_test::es256_key_named("a"), b = jot_test::es256_key_named("b");
  endpoint.publish({a});
  jot::jwks_cache_options options;
  options.cooldown = 0s;  // the real clock: let every unknown kid fetch at the next period
  options.fetch_on_verify = false;
  jot::jwks_cache cache([&endpoint] { return endpoint.fetch(); },
                        jot::validator::builder{}.build().value(), options);
  CHECK(jot::jwks_refresher::start(cache, 0ms).error() == jot::errc::invalid_argument);
  {
    auto refresher = jot::jwks_refresher::start(cache, 10ms).value();
    REQUIRE(refresher->wait_for_keys(10s));
    CHECK(cache.verify(jot_test::short_lived_token(a)));
    endpoint.publish({a, b});
    const auto token_b = jot_test::short_lived_token(b);
    CHECK(cache.verify(token_b).error() == jot::errc::unknown_key_id);
    bool verified = false;
    for (int i = 0; i < 1000 && !verified; ++i) {
      std::this_thread::sleep_for(10ms);
      verified = bool(cache.verify(token_b));
    }
    CHECK(verified);
  }
  // Stopped with its owner: no fetch after that.
  const int fetches = endpoint.fetches;
  CHECK(cache.verify(jot_test::short_lived_token(jot_test::es256_key_named("c"))).error() ==
        jot::errc::unknown_key_id);
  std::this_thread::sleep_for(50ms);
  CHECK(endpoint.fetches == fetches);
}
