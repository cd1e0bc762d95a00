#include <string>

#include "catch.hpp"
#include "test_support.hpp"
#include "unit_support.hpp"

#include <jot/jot.hpp>

using jot::algorithm;
using nlohmann::json;

namespace {
jot::signing_key named(algorithm alg, const std::string& kid) {
  return jot::signing_key::generate(alg).value().with_key_id(kid).value();
}
std::string sign(const jot::signing_key& key) {
  return jot::encoder{key}
      .sign(jot::claims::builder{}.subject("s").expires_in(std::chrono::minutes(1)).build().value())
      .value();
}
}  // namespace

TEST_CASE("a JWKS round-trips and verifies tokens by kid", "[key_set]") {
  const auto rs = named(algorithm::rs256, "rsa-1");
  const auto es = named(algorithm::es256, "ec-1");
  const auto ed = named(algorithm::ed25519, "ed-1");
  auto set = jot::key_set::from_keys({rs.verification_key().value(), es.verification_key().value(),
                                      ed.verification_key().value()})
                 .value();
  auto jwks = set.to_jwks().value();
  CHECK(jwks["keys"].size() == 3);
  auto text = jwks.dump();
  auto reloaded = jot::key_set::from_jwks(std::string_view(text)).value();
  CHECK(reloaded.size() == 3);
  CHECK(reloaded.find("ec-1")->alg() == algorithm::es256);
  CHECK(reloaded.find("nope") == nullptr);
  auto verifier = jot::verifier::builder{}.add_keys(reloaded).build().value();
  const auto by_rsa = verifier.verify(sign(rs)).value();
  CHECK(by_rsa.key_id() == std::optional<std::string>("rsa-1"));
  CHECK(verifier.verify(sign(es)));
  CHECK(verifier.verify(sign(ed)));
  CHECK(verifier.verify(sign(named(algorithm::es256, "ec-2"))).error() ==
        jot::errc::unknown_key_id);
}

TEST_CASE("a kid that names a key of another algorithm fails before any crypto", "[key_set]") {
  const auto rs = named(algorithm::rs256, "shared");
  const auto hs = named(algorithm::hs256, "hmac");
  auto verifier = jot::verifier::builder{}
                      .add_key(rs.verification_key().value())
                      .add_key(hs.verification_key().value())
                      .build()
                      .value();
  // An HS256 token that points its kid at the RSA key.
  const auto token =
      jot_test::sign_raw(R"({"alg":"HS256","kid":"shared"})", R"({"exp":4102444800})", hs);
  CHECK(verifier.verify(token).error() == jot::errc::key_algorithm_mismatch);
}

TEST_CASE("JWK member checks take only the JSON strings \"sig\" and \"verify\"", "[key_set]") {
  // `use` and `key_ops` entries are compared as strings: a number or an array is not "sig".
  const auto es = jot::to_public_jwk(named(algorithm::es256, "ec")).value();
  const json use_number = jot_test::json_with(es, {{"use", 1}, {"kid", "number"}});
  const json use_array = jot_test::json_with(es, {{"use", {"sig"}}, {"kid", "array"}});
  const json use_upper = jot_test::json_with(es, {{"use", "SIG"}, {"kid", "upper"}});
  const json ops_mixed = jot_test::json_with(es, {{"key_ops", {1, "verify"}}, {"kid", "ops"}});
  const json x448 = {{"kty", "OKP"}, {"crv", "X448"}, {"x", std::string(75, 'A')}};

  const auto set =
      jot::key_set::from_jwks(json{{"keys", {use_number, use_array, use_upper, x448, es}}}).value();
  CHECK(set.size() == 1);
  CHECK(set.skipped() == 4);
  CHECK(set.find("ec") != nullptr);
  // key_ops naming "verify" makes the key one for signatures; its other entry then fails it.
  CHECK(jot::key_set::from_jwks(json{{"keys", {ops_mixed}}}).error() == jot::errc::invalid_key);
  CHECK(jot::verification_key::from_jwk(use_number).error() == jot::errc::invalid_key);
  CHECK(jot::verification_key::from_jwk(use_array).error() == jot::errc::invalid_key);
  CHECK(jot::verification_key::from_jwk(use_upper).error() == jot::errc::key_use_mismatch);
}

TEST_CASE("JWKS loading skips keys that are not for signatures and refuses bad ones", "[key_set]") {
  const auto es = jot::to_public_jwk(named(algorithm::es256, "ec")).value();
  const auto rsa_no_alg = jot_test::json_with(
      jot::to_public_jwk(named(algorithm::rs256, "rsa")).value(), {{"alg", nullptr}});
  const json enc = jot_test::json_with(es, {{"use", "enc"}, {"kid", "enc"}});
  const json x25519 = {{"kty", "OKP"}, {"crv", "X25519"}, {"x", std::string(43, 'A')}};
  const json oaep = {{"kty", "RSA"}, {"alg", "RSA-OAEP"}, {"n", "AQAB"}, {"e", "AQAB"}};
  const json jwks = {{"keys", {es, enc, x25519, oaep, rsa_no_alg}}};

  // Without a default the RSA key's algorithm is unknown.
  CHECK(jot::key_set::from_jwks(jwks).error() == jot::errc::missing_algorithm);
  auto set = jot::key_set::from_jwks(jwks, algorithm::rs256).value();
  CHECK(set.size() == 2);
  CHECK(set.skipped() == 3);
  CHECK(set.find("rsa")->alg() == algorithm::rs256);

  json duplicate = {{"keys", {es, es}}};
  CHECK(jot::key_set::from_jwks(duplicate).error() == jot::errc::duplicate_key_id);
  CHECK(jot::key_set::from_jwks(json{{"keys", {enc}}}).error() == jot::errc::no_keys);
  CHECK(jot::key_set::from_jwks(json{{"nokeys", 1}}).error() == jot::errc::invalid_key);
  CHECK(jot::key_set::from_jwks(std::string_view(R"({"keys":[],"keys":[]})")).error() ==
        jot::errc::duplicate_member);
  const json weak = jot_test::json_with(es, {{"x", "AAAA"}});
  CHECK(jot::key_set::from_jwks(json{{"keys", {weak}}}).error() == jot::errc::invalid_key);
  json many = {{"keys", json::array()}};
  for (int i = 0; i < 101; ++i) many["keys"].push_back(es);
  CHECK(jot::key_set::from_jwks(many).error() == jot::errc::invalid_argument);
}

TEST_CASE("JWKS text with a raw NUL is invalid_json, whatever follows it", "[key_set]") {
  const auto es = jot::to_public_jwk(named(algorithm::es256, "ec")).value();
  const std::string text = json{{"keys", {es}}}.dump();
  REQUIRE(jot::key_set::from_jwks(std::string_view(text)));
  // Before the fix the parser stopped at the NUL and loaded the first set.
  const std::string nul(1, '\0');
  CHECK(jot::key_set::from_jwks(std::string_view(text + nul + R"({"keys":[]})")).error() ==
        jot::errc::invalid_json);
  CHECK(jot::key_set::from_jwks(std::string_view(text + nul)).error() == jot::errc::invalid_json);
}

TEST_CASE("from_jwks takes a string literal and a std::string as JWKS text", "[key_set]") {
  // These calls were ambiguous with the nlohmann::json overload. An empty "keys" is no_keys:
  // proof that the text was parsed as a JWKS and not taken as a JSON string (invalid_key).
  CHECK(jot::key_set::from_jwks(R"({"keys":[]})").error() == jot::errc::no_keys);
  const std::string text = R"({"keys":[]})";
  CHECK(jot::key_set::from_jwks(text).error() == jot::errc::no_keys);
  CHECK(jot::key_set::from_jwks(std::string(text), algorithm::rs256).error() == jot::errc::no_keys);
  CHECK(jot::key_set::from_jwks("{").error() == jot::errc::invalid_json);
  const char* null_text = nullptr;
  CHECK(jot::key_set::from_jwks(null_text).error() == jot::errc::invalid_argument);
  const auto es = jot::to_public_jwk(named(algorithm::es256, "ec")).value();
  const std::string one = json{{"keys", {es}}}.dump();
  CHECK(jot::key_set::from_jwks(one).value().size() == 1);
  CHECK(jot::key_set::from_jwks(json{{"keys", {es}}}).value().size() == 1);
}

TEST_CASE("a key set of HMAC keys verifies but cannot be published", "[key_set]") {
  auto set = jot::key_set::from_keys({named(algorithm::hs256, "h").verification_key().value()});
  REQUIRE(set);
  CHECK(set->to_jwks().error() == jot::errc::invalid_key);
}

namespace {
// An HMAC secret of 32 bytes as a JWK, and the key that signs with it.
const std::string hmac_secret(32, 'k');
json hmac_jwk(const std::string& kid) {
  return {
      {"kty", "oct"}, {"kid", kid}, {"alg", "HS256"}, {"k", jot::base64url_encode(hmac_secret)}};
}
jot::signing_key hmac_signer(const std::string& kid) {
  return jot::signing_key::hs256(jot::secret_bytes(hmac_secret)).value().with_key_id(kid).value();
}
}  // namespace

TEST_CASE("a JWKS holding an HMAC secret is refused unless symmetric keys are allowed",
          "[key_set]") {
  const auto es = jot::to_public_jwk(named(algorithm::es256, "ec")).value();
  const json with_secret = {{"keys", {es, hmac_jwk("h")}}};
  // Every form of the JWKS, and every spelling of the secret, is refused by default: before the
  // fix all of them loaded, and the set verified tokens anyone reading the JWKS could forge.
  CHECK(jot::key_set::from_jwks(with_secret).error() == jot::errc::symmetric_key_in_jwks);
  const std::string text = with_secret.dump();
  CHECK(jot::key_set::from_jwks(text).error() == jot::errc::symmetric_key_in_jwks);
  CHECK(jot::key_set::from_jwks(text.c_str()).error() == jot::errc::symmetric_key_in_jwks);
  CHECK(jot::key_set::from_jwks(std::string_view(text)).error() ==
        jot::errc::symmetric_key_in_jwks);
  const json without_alg = jot_test::json_with(hmac_jwk("h"), {{"alg", nullptr}});
  CHECK(jot::key_set::from_jwks(json{{"keys", {without_alg}}}, algorithm::hs256).error() ==
        jot::errc::symmetric_key_in_jwks);
  // A secret marked for encryption is skipped, not used, as any non-signature key.
  const json enc = jot_test::json_with(hmac_jwk("e"), {{"use", "enc"}});
  CHECK(jot::key_set::from_jwks(json{{"keys", {es, enc}}}).value().skipped() == 1);

  // The caller that keeps its JWKS private opts in.
  jot::jwks_options options;
  options.allow_symmetric_keys = true;
  const auto set = jot::key_set::from_jwks(text, options).value();
  CHECK(set.size() == 2);
  CHECK(set.find("h")->alg() == algorithm::hs256);
  options.default_algorithm = algorithm::hs256;
  CHECK(jot::key_set::from_jwks(json{{"keys", {without_alg}}}, options).value().size() == 1);
  const auto verifier = jot::verifier::builder{}.add_keys(set).build().value();
  CHECK(verifier.verify(sign(hmac_signer("h"))).error() == std::error_code{});
  // from_keys, which takes keys the program holds, is unchanged.
  CHECK(jot::key_set::from_keys({hmac_signer("h").verification_key().value()}));
}

TEST_CASE("one kid names one key per alg value: RS256 and PS256 bindings of one RSA key",
          "[key_set]") {
  // One RSA key published for two algorithms under one kid (RFC 7517 §4.5: equivalent
  // alternatives); the token's alg picks the binding.
  const auto rs = named(algorithm::rs256, "rsa");
  const auto private_jwk =
      jot_test::json_with(jot::unsafe_to_private_jwk(rs).value(), {{"alg", nullptr}});
  const auto ps = jot::signing_key::from_jwk(private_jwk, algorithm::ps256).value();
  REQUIRE(ps.key_id() == rs.key_id());
  const auto set =
      jot::key_set::from_keys({rs.verification_key().value(), ps.verification_key().value()})
          .value();
  CHECK(set.find("rsa", jot::detail::algorithm_bit(algorithm::ps256))->alg() == algorithm::ps256);
  CHECK(set.find("rsa", jot::detail::algorithm_bit(algorithm::rs256))->alg() == algorithm::rs256);
  CHECK(set.find("rsa", jot::detail::algorithm_bit(algorithm::es256)) == nullptr);
  CHECK(set.find("other") == nullptr);

  const auto verifier = jot::verifier::builder{}.add_keys(set).build().value();
  const auto by_rs256 = verifier.verify(sign(rs));
  const auto by_ps256 = verifier.verify(sign(ps));
  REQUIRE(by_rs256);
  REQUIRE(by_ps256);
  CHECK(by_rs256->alg() == algorithm::rs256);
  CHECK(by_ps256->alg() == algorithm::ps256);

  // Two keys that answer to the same alg value under one kid would make the kid ambiguous.
  const auto other_rs = named(algorithm::rs256, "rsa");
  CHECK(
      jot::key_set::from_keys({rs.verification_key().value(), other_rs.verification_key().value()})
          .error() == jot::errc::duplicate_key_id);
  // Ed25519 and Ed448 both answer to "EdDSA".
  CHECK(jot::key_set::from_keys({named(algorithm::ed25519, "ed").verification_key().value(),
                                 named(algorithm::ed448, "ed").verification_key().value()})
            .error() == jot::errc::duplicate_key_id);
}

TEST_CASE("when no key has a kid, a token's kid names nothing", "[key_set][verifier]") {
  const auto a = jot::signing_key::generate(algorithm::es256).value();
  const auto b = jot::signing_key::generate(algorithm::es256).value();
  const auto verifier = jot::verifier::builder{}
                            .add_key(a.verification_key().value())
                            .add_key(b.verification_key().value())
                            .allow_missing_kid()
                            .build()
                            .value();
  CHECK(verifier.verify(sign(b.with_key_id("whatever").value())));
  const auto stranger = jot::signing_key::generate(algorithm::es256).value();
  CHECK(verifier.verify(sign(stranger.with_key_id("whatever").value())).error() ==
        jot::errc::invalid_signature);
}
