// The API around verification: ATK-API-MISUSE and ATK-CACHE. "Decoded" must never pass for
// "verified" (jjwt CVE-2021-29451, Apache ShenYu CVE-2021-37580), errors must not combine into
// "expired but otherwise fine" (golang-jwt CVE-2024-51744), and the JWKS cache must neither
// trust a header nor let a flood of made-up kids flood the key endpoint.
// The compile-time half of ATK-API-MISUSE is in compile_fail/ (run by CTest).

#include <atomic>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <jot/unverified.hpp>

#include "attack_support.hpp"
#include "verifier_setup.hpp"

using jot::algorithm;
using jot::errc;
using namespace jot_attack;
using namespace std::chrono_literals;

// Only the verifier makes a verified_token, and only a builder or a verifier makes claims: no
// constructor is reachable from here, and nothing converts an unverified decoding into either.
static_assert(!std::is_default_constructible_v<jot::verified_token>);
static_assert(!std::is_constructible_v<jot::verified_token, jot::unverified::token>);
static_assert(!std::is_convertible_v<jot::unverified::token, jot::verified_token>);
static_assert(!std::is_constructible_v<jot::claims, nlohmann::json>);
static_assert(!std::is_constructible_v<jot::claims, const nlohmann::json&>);
static_assert(!std::is_default_constructible_v<jot::claims>);
static_assert(!std::is_convertible_v<nlohmann::json, jot::claims>);

namespace {

// ---------------------------------------------------------------------------------------------
// ATK-API-MISUSE (runtime half): the first "dangerous" failure (format, algorithm, key,
// signature) ends verification, so claim errors are only ever reported for authentic tokens and
// a caller testing for token_expired cannot mistake a forgery for an old genuine token.
std::vector<attack_case> api_misuse_table() {
  std::vector<attack_case> cases;
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const std::string h = R"({"alg":"HS256"})";
  const json expired = {{"exp", now - 10}};
  const json elsewhere = {{"aud", "https://other.example"}, {"iss", "https://evil.example"}};
  cases.push_back(verify_case("a forgery that is also expired", verifier,
                              hmac_token(h, payload(expired), attacker_secret),
                              errc::invalid_signature));
  cases.push_back(verify_case("a forgery for another issuer and audience", verifier,
                              hmac_token(h, payload(elsewhere), attacker_secret),
                              errc::invalid_signature));
  cases.push_back(verify_case("a forgery whose payload is not JSON", verifier,
                              hmac_token(h, "not json at all", attacker_secret),
                              errc::invalid_signature));
  const json both = jot_test::json_with(elsewhere, expired);
  cases.push_back(verify_case("a genuine token, expired and for another audience: one code",
                              verifier, hmac_token(h, payload(both)), errc::token_expired));
  cases.push_back(verify_case("a genuine token for another issuer and audience: the issuer first",
                              verifier, hmac_token(h, payload(elsewhere)), errc::issuer_mismatch));
  // The unverified reader decodes a forgery happily; that is all it does, and the verifier still
  // refuses the same bytes (its result is a different type, see the static_asserts above).
  const std::string forgery = hmac_token(h, payload({{"role", "superuser"}}), attacker_secret);
  cases.push_back(call_case(
      "decision: unverified decoding of a forgery succeeds (it proves nothing)",
      [forgery] { return jot::unverified::decode(forgery); }, accepted));
  cases.push_back(
      verify_case("the same forgery, verified", verifier, forgery, errc::invalid_signature));
  // Custom checks fail closed.
  const auto throwing = verifier_for(secret_key(algorithm::hs256),
                                     policy().expect_claim_that("role", [](const json&) -> bool {
                                       throw std::runtime_error("x");
                                     }));
  cases.push_back(verify_case("a custom claim check that throws", throwing,
                              hmac_token(h, payload()), errc::claim_mismatch));
  const auto refusing =
      verifier_for(secret_key(algorithm::hs256),
                   policy().expect_claim_that("role", [](const json& v) { return v == "user"; }));
  cases.push_back(verify_case("a custom claim check that says no", refusing,
                              hmac_token(h, payload()), errc::claim_mismatch));
  cases.push_back(verify_case("a custom claim check on an absent claim", refusing,
                              hmac_token(h, payload({{"role", nullptr}})), errc::missing_claim));
  cases.push_back(call_case(
      "a custom claim check that is an empty function",
      [] {
        return policy()
            .add_key(secret_key(algorithm::hs256))
            .expect_claim_that("role", std::function<bool(const json&)>())
            .build();
      },
      errc::invalid_argument));
  cases.push_back(call_case(
      "expecting an audience and ignoring audiences at once",
      [] { return policy().add_key(secret_key(algorithm::hs256)).ignore_audience().build(); },
      errc::invalid_argument));
  cases.push_back(call_case(
      "expecting a type and ignoring types at once",
      [] {
        return policy()
            .add_key(secret_key(algorithm::hs256))
            .expect_type("at+jwt")
            .ignore_type()
            .build();
      },
      errc::invalid_argument));
  return cases;
}
JOT_ATTACK_TABLE("ATK-API-MISUSE", api_misuse_table,
                 "a forgery is reported as a forgery, never as an expired or mis-addressed token")

// ---------------------------------------------------------------------------------------------
// ATK-CACHE (fast-jwt GHSA-rp9m-7r4c-75qg): jot caches key sets, never verdicts. Every verify()
// checks the full token again, so a cached key set cannot return another token's claims or
// outlive a token's exp; and unknown kids refetch at most once per cooldown.

// A JWKS endpoint stand-in: serves the victim's ES256 key as kid "es-1", counts fetches.
struct endpoint {
  std::string jwks;
  bool failing = false;
  int fetches = 0;
  jot::result<std::string> fetch() {
    ++fetches;
    if (failing) return errc::keys_unavailable;
    return jwks;
  }
};

// Steady time for the cache and system time for the claims, advanced together.
struct fake_time {
  std::int64_t seconds = 0;
  std::chrono::steady_clock::time_point steady() const {
    return std::chrono::steady_clock::time_point(std::chrono::seconds(seconds));
  }
};

struct cache_rig {
  std::shared_ptr<endpoint> server = std::make_shared<endpoint>();
  std::shared_ptr<fake_time> time = std::make_shared<fake_time>();
  std::unique_ptr<jot::jwks_cache> cache;

  cache_rig() {
    json jwk = public_jwk(test_key("p256"));
    jwk["alg"] = "ES256";
    jwk["kid"] = "es-1";
    server->jwks = json{{"keys", {jwk}}}.dump();
    auto clock = time;
    auto rules = jot::validator::builder{}
                     .allow_custom_clock([clock] { return at(now + clock->seconds); })
                     .expect_issuer(issuer)
                     .expect_audience(audience)
                     .build();
    auto s = server;
    cache = std::make_unique<jot::jwks_cache>(
        [s] { return s->fetch(); }, rules.value(),
        jot::jwks_cache_options{600s, 30s, std::nullopt, [clock] { return clock->steady(); }});
  }
};

std::string es256_token(const std::string& header, const json& changes = json::object()) {
  return signed_token(test_key("p256"), algorithm::es256, header, payload(changes));
}

std::vector<attack_case> cache_table() {
  std::vector<attack_case> cases;
  const std::string genuine = es256_token(R"({"alg":"ES256","kid":"es-1"})");
  const auto through_cache = [&cases](std::string name, std::vector<std::string> tokens,
                                      std::int64_t seconds_between, std::optional<errc> expected) {
    auto sensitive = token_sensitive(tokens.back());
    cases.push_back({std::move(name), expected,
                     [tokens, seconds_between] {
                       cache_rig rig;
                       jot::result<jot::verified_token> last = errc::keys_unavailable;
                       for (const auto& token : tokens) {
                         last = rig.cache->verify(token);
                         rig.time->seconds += seconds_between;
                       }
                       return capture(last);
                     },
                     std::move(sensitive)});
  };
  through_cache("control: a genuine token", {genuine}, 0, accepted);
  through_cache("a genuine token verified again after its exp: no cached verdict",
                {genuine, genuine}, 3601, errc::token_expired);
  through_cache("an unknown kid", {es256_token(R"({"alg":"ES256","kid":"made-up"})")}, 0,
                errc::unknown_key_id);
  const auto parts = segments_of(genuine);
  through_cache(
      "after a genuine token, its signature on other claims",
      {genuine, parts[0] + "." + b64(payload({{"sub", "someone-else"}})) + "." + parts[2]}, 0,
      errc::invalid_signature);
  through_cache("a forgery by the attacker's key under the known kid",
                {signed_token(test_key("p256-attacker"), algorithm::es256,
                              R"({"alg":"ES256","kid":"es-1"})", payload())},
                0, errc::invalid_signature);
  return cases;
}
JOT_ATTACK_TABLE("ATK-CACHE", cache_table,
                 "the JWKS cache keeps keys, never verdicts: each token is verified in full")

TEST_CASE("a flood of unknown kids refetches the JWKS at most once per cooldown",
          "[attacks][ATK-CACHE]") {
  cache_rig rig;
  const std::string genuine = es256_token(R"({"alg":"ES256","kid":"es-1"})");
  REQUIRE(rig.cache->verify(genuine));
  REQUIRE(rig.server->fetches == 1);
  // 6 000 tokens over 10 minutes (one every 100 ms), each with a kid nobody published.
  for (int i = 0; i < 6000; ++i) {
    if (i % 10 == 0 && i > 0) ++rig.time->seconds;
    const auto result = rig.cache->verify(
        es256_token(R"({"alg":"ES256","kid":"flood-)" + std::to_string(i) + "\"}"));
    REQUIRE(result.error() == errc::unknown_key_id);
  }
  INFO("fetches: " << rig.server->fetches);
  // The initial fetch, then one per 30 s cooldown over the 599 s of the flood.
  CHECK(rig.server->fetches <= 1 + 599 / 30);
  CHECK(rig.server->fetches >= 2);  // a rotation is still picked up
  CHECK(rig.cache->verify(genuine));
}

TEST_CASE("with no key set yet and the endpoint down, a flood refetches at most once per cooldown",
          "[attacks][ATK-CACHE]") {
  // The threat model lets the attacker take the JWKS endpoint down (or find it down, e.g. at
  // start-up). Each failed fetch may be a network timeout; with no cooldown, every request
  // becomes one, serialized on the cache's lock.
  cache_rig rig;
  rig.server->failing = true;
  const std::string token = es256_token(R"({"alg":"ES256","kid":"es-1"})");
  for (int i = 0; i < 100; ++i) CHECK(rig.cache->verify(token).error() == errc::keys_unavailable);
  INFO("fetches within one second: " << rig.server->fetches);
  CHECK(rig.server->fetches == 1);
  rig.time->seconds += 30;
  rig.server->failing = false;
  CHECK(rig.cache->verify(token));  // recovers once the cooldown has passed
  CHECK(rig.server->fetches == 2);
}

TEST_CASE("no header member makes the JWKS cache fetch anything", "[attacks][ATK-JKU-X5U]") {
  cache_rig rig;
  REQUIRE(rig.cache->verify(es256_token(R"({"alg":"ES256","kid":"es-1"})")));
  REQUIRE(rig.server->fetches == 1);
  // The fetch function takes no argument: there is nothing a token could point it at.
  static_assert(std::is_invocable_r_v<jot::result<std::string>, jot::jwks_cache::fetch_function>);
  static_assert(!std::is_invocable_v<jot::jwks_cache::fetch_function, std::string>);
  const json headers[] = {
      {{"alg", "ES256"}, {"kid", "es-1"}, {"jku", "https://attacker.example/jwks.json"}},
      {{"alg", "ES256"}, {"kid", "es-1"}, {"x5u", "https://attacker.example/cert.pem"}},
      {{"alg", "ES256"}, {"kid", "es-1"}, {"jwk", public_jwk(test_key("p256-attacker"))}},
  };
  for (const auto& header : headers) {
    INFO(header.dump());
    CHECK(rig.cache->verify(es256_token(header.dump())));
    CHECK(rig.server->fetches == 1);
  }
}

}  // namespace
