// jot's separately compiled mode (<jot/separate_compilation.hpp>): this file is built with
// JOT_SEPARATE_COMPILATION, so it does not compile jot's templates for nlohmann::json but links
// against compile_once.cpp. A template missing from the compile-once list fails the link; the
// checks below show that the code linked in is the real thing.

#include <chrono>
#include <memory>
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
