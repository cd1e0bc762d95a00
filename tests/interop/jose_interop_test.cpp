// Interoperability with panva/jose on node, through JWKS both ways: jose verifies jot tokens
// against the JWKS jot exports (createLocalJWKSet + jwtVerify), and jot verifies jose tokens
// against the JWKS jose exports (generateKeyPair + exportJWK). Rejections are asserted by jose's
// stable error `code` on one side and jot's errc on the other.
//
// Both sides read time from a fixed instant (jose's currentDate option, jot's injected clock), so
// nothing here depends on the real time. Each test case is one node process.

#include <chrono>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <jot/key_set.hpp>

#include "asymmetric_support.hpp"
#include "catch.hpp"
#include "node_peer.hpp"
#include "verifier_setup.hpp"

namespace {

using namespace std::chrono_literals;
using jot_interop::audience;
using jot_interop::edwards_curve;
using jot_interop::fixed_clock;
using jot_interop::header_alg;
using jot_interop::issuer;
using jot_interop::label;
using jot_interop::member;
using jot_interop::now;
using jot_interop::text;
using jot_interop::verdict;
using nlohmann::json;

}  // namespace

TEST_CASE("the jose peer runs on node with the jose version package-lock.json pins",
          "[interop][jose]") {
  const json reply = jot_interop::call_jose({{"op", "probe"}});
  INFO("node " << text(reply, "node") << ", OpenSSL " << text(reply, "openssl"));
  REQUIRE(member(reply, "ok") == true);
  CHECK(text(reply, "jose") == jot_interop::pinned_jose_version);
}

namespace {

// jot's side of the jot -> jose tests: every algorithm's key plus a second ES256 key (a set in
// the middle of a rotation), the JWKS they make, and one token per key, issued at `now`.
struct jot_issuer {
  std::vector<const jot::signing_key*> keys;
  json jwks = {{"keys", json::array()}};
  jot::claims claims;

  jot_issuer() : claims(jot_interop::claims_for_peer(jot::claims::builder(fixed_clock()))) {
    for (jot::algorithm alg : jot_interop::asymmetric_algorithms) {
      keys.push_back(&jot_interop::jot_key(alg));
    }
    keys.push_back(&jot_interop::jot_key(jot::algorithm::es256, 1));
    for (const jot::signing_key* key : keys) jwks["keys"].push_back(jot_interop::public_jwk(*key));
  }

  std::string sign(const jot::signing_key& key) const {
    return jot::encoder(key).sign(claims).value();
  }
};

// One jwtVerify call: the token, and the options a jose consumer of this issuer would pass.
json jose_case(const std::string& token, const jot::signing_key& key) {
  return {{"token", token},
          {"algorithms", {header_alg(key.alg())}},
          {"issuer", issuer},
          {"audience", audience},
          {"current_date", now + 60}};
}

}  // namespace

TEST_CASE("jose verifies jot tokens of every asymmetric algorithm against jot's JWKS, by kid",
          "[interop][jose][jot-to-jose]") {
  const jot_issuer jot_side;
  json cases = json::array();
  for (const jot::signing_key* key : jot_side.keys)
    cases.push_back(jose_case(jot_side.sign(*key), *key));

  const json reply =
      jot_interop::call_jose({{"op", "verify"}, {"jwks", jot_side.jwks}, {"cases", cases}});
  INFO("jose: " << reply.dump().substr(0, 2000));
  REQUIRE(member(reply, "ok") == true);
  const json results = member(reply, "results");
  REQUIRE(results.size() == jot_side.keys.size());
  for (std::size_t i = 0; i < jot_side.keys.size(); ++i) {
    const jot::signing_key& key = *jot_side.keys[i];
    INFO("jot " << label(key.alg()) << " token from kid " << *key.key_id()
                << "; jose: " << results[i].dump());
    CHECK(member(results[i], "ok") == true);
    CHECK(member(results[i], "claims") == jot_side.claims.json());
    CHECK(member(results[i], "header") ==
          json({{"alg", header_alg(key.alg())}, {"typ", "JWT"}, {"kid", *key.key_id()}}));
  }
}

namespace {

// One way a jose consumer must refuse a jot token, and jose's error code (and failed claim).
struct jose_rejection {
  const char* name;
  json (*make_case)(const jot_issuer&);
  const char* code;
  const char* claim;  // nullptr: the error names no claim
};

const jot::signing_key& es256_key() { return jot_interop::jot_key(jot::algorithm::es256); }

const jose_rejection jose_rejections[] = {
    {"one signature byte flipped",
     [](const jot_issuer& jot_side) {
       return jose_case(jot_test::flip_signature_byte(jot_side.sign(es256_key())), es256_key());
     },
     "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", nullptr},
    {"signed by the first ES256 key under the kid of the second",
     [](const jot_issuer& jot_side) {
       return jose_case(jot_side.sign(es256_key().with_key_id("jot-ES256-1").value()), es256_key());
     },
     "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", nullptr},
    {"signed by a key the JWKS does not hold",
     [](const jot_issuer& jot_side) {
       const jot::signing_key& unpublished = jot_interop::jot_key(jot::algorithm::es256, 2);
       return jose_case(jot_side.sign(unpublished), unpublished);
     },
     "ERR_JWKS_NO_MATCHING_KEY", nullptr},
    {"a PS256 token where the consumer allows only RS256",
     [](const jot_issuer& jot_side) {
       const jot::signing_key& ps256 = jot_interop::jot_key(jot::algorithm::ps256);
       json c = jose_case(jot_side.sign(ps256), ps256);
       c["algorithms"] = {"RS256"};
       return c;
     },
     "ERR_JOSE_ALG_NOT_ALLOWED", nullptr},
    {"a consumer expecting another audience",
     [](const jot_issuer& jot_side) {
       json c = jose_case(jot_side.sign(es256_key()), es256_key());
       c["audience"] = "https://billing.example.com";
       return c;
     },
     "ERR_JWT_CLAIM_VALIDATION_FAILED", "aud"},
    {"a consumer expecting another issuer",
     [](const jot_issuer& jot_side) {
       json c = jose_case(jot_side.sign(es256_key()), es256_key());
       c["issuer"] = "https://evil.example";
       return c;
     },
     "ERR_JWT_CLAIM_VALIDATION_FAILED", "iss"},
    {"verified the second its 15 minutes are over",
     [](const jot_issuer& jot_side) {
       json c = jose_case(jot_side.sign(es256_key()), es256_key());
       c["current_date"] = now + 15 * 60;
       return c;
     },
     "ERR_JWT_EXPIRED", "exp"},
};

}  // namespace

TEST_CASE("jose refuses jot tokens with a bad signature, an unknown key or other claims, exactly",
          "[interop][jose][jot-to-jose]") {
  const jot_issuer jot_side;
  // Control first: the untouched token verifies against the same set with the same options.
  json cases = json::array({jose_case(jot_side.sign(es256_key()), es256_key())});
  for (const jose_rejection& rejection : jose_rejections)
    cases.push_back(rejection.make_case(jot_side));

  const json reply =
      jot_interop::call_jose({{"op", "verify"}, {"jwks", jot_side.jwks}, {"cases", cases}});
  REQUIRE(member(reply, "ok") == true);
  const json results = member(reply, "results");
  REQUIRE(results.size() == cases.size());
  {
    INFO("control: " << results[0].dump());
    REQUIRE(member(results[0], "ok") == true);
  }
  for (std::size_t i = 0; i < std::size(jose_rejections); ++i) {
    const jose_rejection& rejection = jose_rejections[i];
    const json& result = results[1 + i];
    INFO("jot token, " << rejection.name << "; jose: " << result.dump());
    CHECK(member(result, "ok") == false);
    CHECK(text(result, "code") == rejection.code);
    CHECK(member(result, "claim") == (rejection.claim ? json(rejection.claim) : json(nullptr)));
  }
}

namespace {

json jose_claims() {
  return {
      {"iss", issuer},    {"sub", "user-7"}, {"aud", audience},     {"iat", now - 30},
      {"exp", now + 600}, {"jti", "jose-1"}, {"roles", {"reader"}}, {"name", "Zoë Ñúñez 日本語 😀"}};
}

jot_test::verifier_setup jot_verifier() {
  jot_test::verifier_setup builder;
  builder.expect_issuer(issuer).expect_audience(audience).allow_custom_clock(fixed_clock);
  return builder;
}

}  // namespace

TEST_CASE("jot verifies jose tokens of every algorithm with the JWKS jose exports",
          "[interop][jose][jose-to-jot]") {
  json keys = json::array(), tokens = json::array();
  for (jot::algorithm alg : jot_interop::asymmetric_algorithms) {
    keys.push_back({{"name", label(alg)},
                    {"alg", header_alg(alg)},
                    {"crv", edwards_curve(alg)},
                    {"kid", "jose-" + label(alg)},
                    {"publish", true}});
    tokens.push_back({{"key", label(alg)}, {"payload", jose_claims()}});
  }
  const json reply = jot_interop::call_jose({{"op", "sign"}, {"keys", keys}, {"tokens", tokens}});
  REQUIRE(member(reply, "ok") == true);
  const json jwks = member(reply, "jwks");
  const json signed_tokens = member(reply, "tokens");
  REQUIRE(member(jwks, "keys").size() == std::size(jot_interop::asymmetric_algorithms));
  REQUIRE(signed_tokens.size() == std::size(jot_interop::asymmetric_algorithms));

  const auto set = jot::key_set::from_jwks(jwks);
  INFO("key_set::from_jwks(jose's JWKS): " << verdict(set));
  REQUIRE(set);
  CHECK(set->size() == std::size(jot_interop::asymmetric_algorithms));
  jot_test::verifier_setup from_set = jot_verifier();
  from_set.add_keys(*set);
  jot_test::verifier_setup one_by_one = jot_verifier();
  for (std::size_t i = 0; i < jwks["keys"].size(); ++i) {
    // jose exports the keys in the order they were asked for.
    const jot::algorithm alg = jot_interop::asymmetric_algorithms[i];
    const json& jwk = jwks["keys"][i];
    const auto key = jot::verification_key::from_jwk(jwk, alg);
    INFO("from_jwk(" << jwk.dump() << ", " << label(alg) << "): " << verdict(key));
    REQUIRE(key);
    CHECK(key->key_id().value_or("<absent>") == "jose-" + label(alg));
    one_by_one.add_key(*key);
  }

  const jot::verifier verifiers[] = {from_set.build().value(), one_by_one.build().value()};
  const char* verifier_names[] = {"key_set::from_jwks", "from_jwk key by key"};
  for (std::size_t v = 0; v < 2; ++v) {
    for (std::size_t i = 0; i < signed_tokens.size(); ++i) {
      const jot::algorithm alg = jot_interop::asymmetric_algorithms[i];
      const auto verified = verifiers[v].verify(signed_tokens[i].get<std::string>());
      INFO("jose " << label(alg) << " token, jot verifier from " << verifier_names[v] << ": "
                   << verdict(verified));
      REQUIRE(verified);
      CHECK(verified->alg() == alg);
      CHECK(verified->header() ==
            json({{"alg", header_alg(alg)}, {"typ", "JWT"}, {"kid", "jose-" + label(alg)}}));
      CHECK(verified->claims().json() == jose_claims());
    }
  }
}

namespace {

// One jose token a jot verifier (holding jose's published ES256 and ES384 keys) must refuse.
struct jot_rejection {
  const char* name;
  json token;  // a "tokens" entry of the sign request
  jot::errc expected;
};

json with_claim(const char* name, json value) {
  json claims = jose_claims();
  claims[name] = std::move(value);
  return claims;
}

}  // namespace

TEST_CASE("jot refuses jose tokens with a foreign key, a wrong kid, no alg or an expiry, exactly",
          "[interop][jose][jose-to-jot]") {
  const json keys = json::array({
      {{"name", "es256"}, {"alg", "ES256"}, {"kid", "jose-ES256"}, {"publish", true}},
      {{"name", "es384"}, {"alg", "ES384"}, {"kid", "jose-ES384"}, {"publish", true}},
      // Never published, but claims the published ES256 key's kid.
      {{"name", "rogue"}, {"alg", "ES256"}, {"kid", "jose-ES256"}, {"publish", false}},
  });
  const jot_rejection rejections[] = {
      {"signed by an unpublished key under a published kid",
       {{"key", "rogue"}, {"payload", jose_claims()}},
       jot::errc::invalid_signature},
      {"an ES256 token naming the ES384 key's kid",
       {{"key", "es256"}, {"header", {{"kid", "jose-ES384"}}}, {"payload", jose_claims()}},
       jot::errc::key_algorithm_mismatch},
      {"a kid the set does not hold",
       {{"key", "es256"}, {"header", {{"kid", "jose-retired"}}}, {"payload", jose_claims()}},
       jot::errc::unknown_key_id},
      {"no kid while the set holds several keys",
       {{"key", "es256"}, {"header", {{"kid", nullptr}}}, {"payload", jose_claims()}},
       jot::errc::missing_key_id},
      {"expired one second ago",
       {{"key", "es256"}, {"payload", with_claim("exp", now - 1)}},
       jot::errc::token_expired},
      {"typ at+jwt where a plain JWT is expected",
       {{"key", "es256"}, {"header", {{"typ", "at+jwt"}}}, {"payload", jose_claims()}},
       jot::errc::type_mismatch},
      {"unsecured (jose.UnsecuredJWT, alg none)",
       {{"key", nullptr}, {"payload", jose_claims()}},
       jot::errc::algorithm_not_allowed},
  };
  // Control first: a genuine ES256 token from the same jose issuer.
  json tokens = json::array({{{"key", "es256"}, {"payload", jose_claims()}}});
  for (const jot_rejection& rejection : rejections) tokens.push_back(rejection.token);

  const json reply = jot_interop::call_jose({{"op", "sign"}, {"keys", keys}, {"tokens", tokens}});
  REQUIRE(member(reply, "ok") == true);
  const json signed_tokens = member(reply, "tokens");
  REQUIRE(signed_tokens.size() == tokens.size());
  const auto set = jot::key_set::from_jwks(member(reply, "jwks"));
  INFO("key_set::from_jwks(jose's JWKS): " << verdict(set));
  REQUIRE(set);
  REQUIRE(set->size() == 2);
  jot_test::verifier_setup builder = jot_verifier();
  const jot::verifier verifier = builder.add_keys(*set).build().value();

  {
    const auto control = verifier.verify(signed_tokens[0].get<std::string>());
    INFO("control, jot: " << verdict(control));
    REQUIRE(control);
  }
  for (std::size_t i = 0; i < std::size(rejections); ++i) {
    const auto verified = verifier.verify(signed_tokens[1 + i].get<std::string>());
    INFO("jose token " << rejections[i].name << ", jot: " << verdict(verified));
    REQUIRE_FALSE(verified);
    CHECK(verified.error() == rejections[i].expected);
  }
}
