// Keys travel between services as a JWKS (RFC 7517 §5): a verifier loads the issuer's set once and
// picks the key for each token by its kid. Both directions with PyJWT: PyJWKSet loads the set jot
// exports, and jot loads the set PyJWT's Algorithm.to_jwk() produces (EC keys drawn so that their
// coordinates are full width; see pyjwt_to_jot_asymmetric_test.cpp).

#include <chrono>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include <jot/key_set.hpp>

#include "asymmetric_support.hpp"
#include "catch.hpp"
#include "pyjwt_peer.hpp"
#include "verifier_setup.hpp"

namespace {

using namespace std::chrono_literals;
using jot_interop::audience;
using jot_interop::edwards_curve;
using jot_interop::encode_with_key;
using jot_interop::fixed_clock;
using jot_interop::header_alg;
using jot_interop::issuer;
using jot_interop::label;
using jot_interop::member;
using jot_interop::text;
using jot_interop::token_of;
using jot_interop::verdict;
using nlohmann::json;

json decode_with_set(const std::string& token, const std::string& alg_name) {
  return {{"op", "decode"},           {"token", token},       {"jwks", "jot"},
          {"algorithms", {alg_name}}, {"audience", audience}, {"issuer", issuer}};
}

}  // namespace

TEST_CASE(
    "PyJWT's PyJWKSet loads jot's JWKS and verifies each jot token with the key its kid names",
    "[interop][jot-to-pyjwt][jwks]") {
  // Every algorithm's key, plus a second ES256 key: a set in the middle of a key rotation.
  std::vector<const jot::signing_key*> keys;
  for (jot::algorithm alg : jot_interop::asymmetric_algorithms) {
    keys.push_back(&jot_interop::jot_key(alg));
  }
  keys.push_back(&jot_interop::jot_key(jot::algorithm::es256, 1));
  json jwks = {{"keys", json::array()}};
  std::vector<jot::verification_key> verification_keys;
  for (const jot::signing_key* key : keys) {
    jwks["keys"].push_back(jot_interop::public_jwk(*key));
    verification_keys.push_back(key->verification_key().value());
  }
  // key_set::to_jwks() is how a jot service publishes: it must be the same document.
  CHECK(jot::key_set::from_keys(verification_keys).value().to_jwks().value() == jwks);

  const jot::claims claims = jot::claims::builder()
                                 .issuer(issuer)
                                 .subject("user-42")
                                 .audience(audience)
                                 .expires_in(15min)
                                 .claim("tenant", "acme")
                                 .build()
                                 .value();
  std::vector<json> requests = {{{"op", "load_jwks"}, {"name", "jot"}, {"jwks", jwks}}};
  std::vector<std::string> tokens;
  for (const jot::signing_key* key : keys) {
    tokens.push_back(jot::encoder(*key).sign(claims).value());
    requests.push_back(decode_with_set(tokens.back(), header_alg(key->alg())));
  }
  // Signed by the first ES256 key but naming the second: PyJWT must use the key the kid names.
  const jot::signing_key& es256 = jot_interop::jot_key(jot::algorithm::es256);
  requests.push_back(decode_with_set(
      jot::encoder(es256.with_key_id("jot-ES256-1").value()).sign(claims).value(), "ES256"));
  // Signed by a key the set does not hold (an ES256 key not yet published).
  requests.push_back(decode_with_set(
      jot::encoder(jot_interop::jot_key(jot::algorithm::es256, 2)).sign(claims).value(), "ES256"));

  const std::vector<json> replies = jot_interop::call_peer_batch(requests);

  INFO("PyJWKSet.from_dict(jot's JWKS): " << replies[0].dump());
  REQUIRE(member(replies[0], "ok") == true);
  json expected_kids = json::array(), expected_types = json::array();
  for (const json& jwk : jwks["keys"]) {
    expected_kids.push_back(jwk["kid"]);
    expected_types.push_back(jwk["kty"]);
  }
  CHECK(member(replies[0], "kids") == expected_kids);  // no key skipped as unusable
  CHECK(member(replies[0], "key_types") == expected_types);

  for (std::size_t i = 0; i < keys.size(); ++i) {
    const json& reply = replies[1 + i];
    INFO("jot token from key " << *keys[i]->key_id() << "; PyJWT raised " << text(reply, "error")
                               << ": " << text(reply, "message"));
    CHECK(member(reply, "ok") == true);
    CHECK(member(reply, "claims") == claims.json());
    CHECK(member(member(reply, "header"), "kid") == *keys[i]->key_id());
  }
  const json& relabelled = replies[1 + keys.size()];
  INFO("a token naming the other ES256 key: " << relabelled.dump());
  CHECK(member(relabelled, "ok") == false);
  CHECK(text(relabelled, "error") == "InvalidSignatureError");
  const json& unpublished = replies[2 + keys.size()];
  INFO("a token from an unpublished key: " << unpublished.dump());
  CHECK(member(unpublished, "ok") == false);
  CHECK(text(unpublished, "error") == "KeyError");  // what PyJWKSet[kid] raises
}

namespace {

// The claims PyJWT signs in this file: the registered ones alone.
json pyjwt_registered_claims() {
  return {{"iss", issuer},
          {"sub", "user-7"},
          {"aud", audience},
          {"iat", jot_interop::now - 30},
          {"exp", jot_interop::now + 600}};
}

}  // namespace

TEST_CASE("jot imports the JWKS PyJWT exports, key by key and as a key_set, and verifies by kid",
          "[interop][pyjwt-to-jot][jwks]") {
  std::vector<json> requests;
  json names = json::array();
  for (jot::algorithm alg : jot_interop::asymmetric_algorithms) {
    requests.push_back({{"op", "generate"},
                        {"name", label(alg)},
                        {"algorithm", header_alg(alg)},
                        {"curve", edwards_curve(alg)},
                        {"kid", "py-" + label(alg)}});
    names.push_back(label(alg));
  }
  requests.push_back({{"op", "jwks"}, {"names", names}});
  const std::size_t jwks_reply = requests.size() - 1;
  for (jot::algorithm alg : jot_interop::asymmetric_algorithms) {
    requests.push_back(encode_with_key(label(alg), header_alg(alg), "py-" + label(alg),
                                       pyjwt_registered_claims()));
  }
  // Two tokens each set must refuse: one signed by an unpublished key under a published kid,
  // one signed by a published key under a kid the set does not have.
  requests.push_back({{"op", "generate"},
                      {"name", "unpublished"},
                      {"algorithm", "ES256"},
                      {"curve", nullptr},
                      {"kid", nullptr}});
  requests.push_back(
      encode_with_key("unpublished", "ES256", "py-ES256", pyjwt_registered_claims()));
  requests.push_back(encode_with_key("ES256", "ES256", "py-retired", pyjwt_registered_claims()));
  const std::vector<json> replies = jot_interop::call_peer_batch(requests);

  const json jwks = member(replies[jwks_reply], "jwks");
  REQUIRE(member(jwks, "keys").is_array());
  REQUIRE(jwks["keys"].size() == std::size(jot_interop::asymmetric_algorithms));
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < std::size(jot_interop::asymmetric_algorithms); ++i) {
    tokens.push_back(token_of(replies[jwks_reply + 1 + i]));
  }
  const std::string foreign_signature = token_of(replies[replies.size() - 2]);
  const std::string unknown_kid = token_of(replies[replies.size() - 1]);

  // Key by key, with verification_key::from_jwk and the algorithm taken from each JWK.
  jot_test::verifier_setup one_by_one;
  for (std::size_t i = 0; i < jwks["keys"].size(); ++i) {
    const jot::algorithm alg = jot_interop::asymmetric_algorithms[i];
    const json& jwk = jwks["keys"][i];
    const auto key = jot::verification_key::from_jwk(jwk);
    INFO("from_jwk(" << jwk.dump() << "): " << verdict(key));
    REQUIRE(key);
    CHECK(key->alg() == alg);
    CHECK(key->key_id().value_or("<absent>") == "py-" + label(alg));
    one_by_one.add_key(*key);
  }

  // The whole set, from the parsed document and from its text.
  const auto set = jot::key_set::from_jwks(jwks);
  INFO("key_set::from_jwks: " << verdict(set));
  REQUIRE(set);
  CHECK(set->size() == jwks["keys"].size());
  CHECK(set->skipped() == 0);
  const auto set_from_text = jot::key_set::from_jwks(std::string_view(jwks.dump()));
  INFO("key_set::from_jwks(text): " << verdict(set_from_text));
  REQUIRE(set_from_text);
  CHECK(set_from_text->size() == jwks["keys"].size());

  struct named_verifier {
    const char* name;
    jot_test::verifier_setup builder;
  };
  named_verifier verifiers[] = {{"keys added one by one", one_by_one},
                                {"key_set::from_jwks", jot_test::verifier_setup()},
                                {"key_set::from_jwks(text)", jot_test::verifier_setup()}};
  verifiers[1].builder.add_keys(*set);
  verifiers[2].builder.add_keys(*set_from_text);
  for (named_verifier& v : verifiers) {
    INFO("jot verifier with " << v.name);
    const jot::verifier verifier = v.builder.expect_issuer(issuer)
                                       .expect_audience(audience)
                                       .allow_custom_clock(fixed_clock)
                                       .build()
                                       .value();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const jot::algorithm alg = jot_interop::asymmetric_algorithms[i];
      const auto verified = verifier.verify(tokens[i]);
      INFO("PyJWT " << label(alg) << " token, jot: " << verdict(verified));
      REQUIRE(verified);
      CHECK(verified->alg() == alg);
      CHECK(verified->key_id().value_or("<absent>") == "py-" + label(alg));
      CHECK(verified->claims().json() == pyjwt_registered_claims());
    }
    const auto forged = verifier.verify(foreign_signature);
    INFO("signed by an unpublished key under kid py-ES256, jot: " << verdict(forged));
    REQUIRE_FALSE(forged);
    CHECK(forged.error() == jot::errc::invalid_signature);
    const auto unknown = verifier.verify(unknown_kid);
    INFO("kid py-retired, jot: " << verdict(unknown));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error() == jot::errc::unknown_key_id);
  }
}
