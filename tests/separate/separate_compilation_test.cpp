// jot's separately compiled mode (<jot/separate_compilation.hpp>): this file is built with
// JOT_SEPARATE_COMPILATION, so it does not compile jot's templates for nlohmann::json but links
// against compile_once.cpp. A template missing from the compile-once list fails the link; the
// checks below show that the code linked in is the real thing.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "catch.hpp"

#include <jot/jot.hpp>
#include <jot/session.hpp>

#ifndef JOT_SEPARATE_COMPILATION
#error "this suite must be built with JOT_SEPARATE_COMPILATION"
#endif

using namespace std::chrono_literals;

TEST_CASE("separately compiled: sign, verify and reject", "[separate]") {
  const auto key = jot::signing_key::generate(jot::algorithm::hs256).value();
  const auto verifier = jot::verifier::builder{}
                            .add_key(key.verification_key().value())
                            .validator(jot::validator::builder{}.expect_issuer("me").build())
                            .build()
                            .value();
  const auto claims = jot::claims::builder{}.issuer("me").subject("alice").expires_in(5min).build();
  const auto token = jot::encoder(key).sign(claims.value()).value();
  const auto verified = verifier.verify(token);
  REQUIRE(verified);
  CHECK(verified->claims().subject() == std::string_view("alice"));
  CHECK(verifier.verify(token + "A").error() == jot::errc::invalid_signature);  // 33 bytes
  const auto other = jot::claims::builder{}.issuer("you").expires_in(5min).build().value();
  CHECK(verifier.verify(jot::encoder(key).sign(other).value()).error() ==
        jot::errc::issuer_mismatch);
}

TEST_CASE("separately compiled: a session manager issues, refreshes and revokes", "[separate]") {
  const auto manager = jot::session_manager::builder{}
                           .issuer("https://auth.example")
                           .access_audience("https://api.example")
                           .client_id("web-app")
                           .access_key(jot::signing_key::generate(jot::algorithm::es256).value())
                           .refresh_key(jot::signing_key::generate(jot::algorithm::hs256).value())
                           .build()
                           .value();
  const auto pair = manager.issue_pair("alice").value();
  CHECK(manager.authenticate(pair.access_token));
  const auto next = manager.refresh(pair.refresh_token).value();
  const auto third = manager.refresh(next.refresh_token).value();
  // Spent two rotations ago: a reuse, even inside the reuse interval.
  CHECK(manager.refresh(pair.refresh_token).error() == jot::errc::refresh_token_reused);
  CHECK(manager.refresh(third.refresh_token).error() == jot::errc::token_revoked);
}

TEST_CASE("separately compiled: JWK import and export, thumbprints and JWKS text", "[separate]") {
  // The functions the headers only declare in this mode (JOT_INLINE) and compile_once.cpp defines.
  const auto key =
      jot::signing_key::generate(jot::algorithm::es256).value().with_key_id("k1").value();
  const auto private_jwk = jot::unsafe_to_private_jwk(key).value();
  CHECK(private_jwk.at("kty") == "EC");
  CHECK(private_jwk.contains("d"));
  const auto reimported = jot::signing_key::from_jwk(private_jwk).value();
  CHECK(reimported.key_id() == std::optional<std::string>("k1"));
  const auto public_jwk = jot::to_public_jwk(key).value();
  CHECK_FALSE(public_jwk.contains("d"));
  CHECK(jot::jwk_thumbprint(public_jwk).value() == jot::jwk_thumbprint(private_jwk).value());
  CHECK(jot::signing_key::from_jwk(public_jwk).error() == jot::errc::invalid_key);

  const auto jwks = jot::key_set::from_keys({key.verification_key().value()}).value().to_jwks();
  const auto keys = jot::key_set::from_jwks(jwks.value().dump()).value();
  REQUIRE(keys.size() == 1);
  CHECK(keys.find("k1") != nullptr);
  CHECK(jot::key_set::from_jwks(R"({"keys":[{"kty":"EC","use":"enc"}]})").error() ==
        jot::errc::no_keys);
  CHECK(jot::key_set::from_jwks(R"({"keys":[],"keys":[]})").error() == jot::errc::duplicate_member);
}
