// Sessions bound to a DPoP key (RFC 9449 §5, §6.1, §7.1): a login with a proof binds the access
// tokens (`cnf.jkt`) and the refresh family to the key; a refresh or an authentication without
// that key is refused with its own code, and a refresh by another key ends the session as theft.

#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "dpop_support.hpp"

#include <jot/dpop.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>
#include <jot/unverified.hpp>

using jot::errc;
using jot_dpop_test::dpop_clock;

namespace {

const std::string token_uri = "https://auth.example.com/token";

const jot::signing_key& dpop_access_key() {
  static const auto key = jot::signing_key::generate(jot::algorithm::es256).value();
  return key;
}

const jot::signing_key& dpop_refresh_key() {
  static const auto key = jot::signing_key::generate(jot::algorithm::hs256).value();
  return key;
}

// A session manager and a DPoP verifier on one clock, with memory stores.
struct fixture {
  dpop_clock clock;
  std::shared_ptr<jot::memory_refresh_family_store> families =
      std::make_shared<jot::memory_refresh_family_store>();
  jot::session_manager sessions =
      jot::session_manager::builder{}
          .issuer("https://auth.example.com")
          .access_audience("https://api.example.com")
          .client_id("web-app")
          .access_key(dpop_access_key())
          .refresh_key(dpop_refresh_key())
          .stores({std::make_shared<jot::memory_revocation_store>(),
                   std::make_shared<jot::memory_token_version_store>(), families})
          .allow_custom_clock(clock)
          .build()
          .value();
  jot::dpop::verifier proofs = jot_dpop_test::verifier_on(clock);

  // The key a fresh proof by `key` for the token endpoint proves.
  jot::dpop::proven_key prove(const jot::signing_key& key) {
    const std::string proof = jot_dpop_test::honest_proof(key, "POST", token_uri, clock.seconds());
    return proofs.verify(jot_dpop_test::request_for("POST", token_uri, proof)).value().key;
  }
};

const jot::signing_key& client_key() { return jot_dpop_test::key_for(jot::algorithm::es256); }
const jot::signing_key& thief_key() { return jot_dpop_test::other_p256_key(); }

nlohmann::json payload_of(const std::string& token) {
  return jot::unverified::decode(token).value().payload;
}

template <typename T>
errc refusal_of(const jot::result<T>& outcome) {
  REQUIRE_FALSE(outcome);
  return static_cast<errc>(outcome.error().value());
}

}  // namespace

TEST_CASE("dpop sessions: a login with a proof binds the access tokens to its key",
          "[sessions][dpop]") {
  fixture f;
  const auto key = f.prove(client_key());
  const auto pair = f.sessions.issue_pair("user-42", {{"roles", {"admin"}}}, key).value();
  CHECK(payload_of(pair.access_token).at("cnf") == nlohmann::json({{"jkt", key.thumbprint()}}));
  // The refresh token does not carry it: the family records the binding.
  CHECK_FALSE(payload_of(pair.refresh_token).contains("cnf"));

  // With the key's proof: accepted. As a Bearer token (no proof): dpop_proof_required. With
  // another key's: dpop_key_mismatch.
  const auto verified = f.sessions.authenticate(pair.access_token, key);
  REQUIRE(verified.error() == std::error_code{});
  CHECK(*verified->claims().subject() == "user-42");
  CHECK(refusal_of(f.sessions.authenticate(pair.access_token)) == errc::dpop_proof_required);
  CHECK(refusal_of(f.sessions.authenticate(pair.access_token, f.prove(thief_key()))) ==
        errc::dpop_key_mismatch);

  // An unbound session's token: as before without a proof, dpop_key_mismatch with one.
  const auto unbound = f.sessions.issue_pair("user-42").value();
  CHECK_FALSE(payload_of(unbound.access_token).contains("cnf"));
  CHECK(f.sessions.authenticate(unbound.access_token).error() == std::error_code{});
  CHECK(refusal_of(f.sessions.authenticate(unbound.access_token, key)) == errc::dpop_key_mismatch);

  // The application cannot write cnf itself.
  CHECK(refusal_of(f.sessions.issue_pair("user-42", {{"cnf", {{"jkt", "x"}}}})) ==
        errc::reserved_claim);
}

TEST_CASE("dpop sessions: a refresh with the key rotates and keeps the binding",
          "[sessions][dpop]") {
  fixture f;
  const auto key = f.prove(client_key());
  const auto first = f.sessions.issue_pair("user-42", {{"roles", {"admin"}}}, key).value();
  f.clock.advance(60);
  const auto second = f.sessions.refresh(first.refresh_token, f.prove(client_key())).value();
  CHECK(second.refresh_token != first.refresh_token);
  CHECK(payload_of(second.access_token).at("cnf").at("jkt") == key.thumbprint());
  CHECK(payload_of(second.access_token).at("roles") == nlohmann::json({"admin"}));
  CHECK(f.sessions.authenticate(second.access_token, key).error() == std::error_code{});

  // A retry of the same refresh inside the reuse interval (a lost response): the same successor,
  // bound to the same key.
  f.clock.advance(5);
  const auto retried = f.sessions.refresh(first.refresh_token, f.prove(client_key())).value();
  CHECK(retried.refresh_token == second.refresh_token);
  CHECK(payload_of(retried.access_token).at("cnf").at("jkt") == key.thumbprint());
  CHECK(f.sessions.authenticate(retried.access_token, key).error() == std::error_code{});

  // The chain goes on with the key.
  const auto third = f.sessions.refresh(second.refresh_token, f.prove(client_key())).value();
  CHECK(payload_of(third.access_token).at("cnf").at("jkt") == key.thumbprint());
}

TEST_CASE("dpop sessions: a bound refresh token used without its key ends the session",
          "[sessions][dpop]") {
  fixture f;
  const auto key = f.prove(client_key());
  const auto pair = f.sessions.issue_pair("user-42", nlohmann::json::object(), key).value();
  // The session ends: the owner, with the key, is refused too (its token as the current one of
  // a revoked session, or as a spent one).
  SECTION("with another key's proof") {
    CHECK(refusal_of(f.sessions.refresh(pair.refresh_token, f.prove(thief_key()))) ==
          errc::dpop_session_key_mismatch);
    CHECK(refusal_of(f.sessions.refresh(pair.refresh_token, f.prove(client_key()))) ==
          errc::token_revoked);
  }
  SECTION("without a proof") {
    CHECK(refusal_of(f.sessions.refresh(pair.refresh_token)) == errc::dpop_session_key_mismatch);
    CHECK(refusal_of(f.sessions.refresh(pair.refresh_token, f.prove(client_key()))) ==
          errc::token_revoked);
  }
  SECTION("a replay inside the reuse interval without the key") {
    const auto next = f.sessions.refresh(pair.refresh_token, f.prove(client_key())).value();
    CHECK(refusal_of(f.sessions.refresh(pair.refresh_token)) == errc::dpop_session_key_mismatch);
    CHECK(refusal_of(f.sessions.refresh(next.refresh_token, f.prove(client_key()))) ==
          errc::token_revoked);
  }
  const jot::sys_seconds now{std::chrono::seconds(f.clock.seconds())};
  CHECK_FALSE(f.families->is_active(pair.session_id, now).value());
}

TEST_CASE("dpop sessions: a proof does not bind a session after its login", "[sessions][dpop]") {
  // RFC 9449 §5: the binding is made when the refresh token is issued. A refresh of an unbound
  // session with a proof is refused (and ends the session) rather than binding it now: whoever
  // holds a stolen unbound token could otherwise bind the session to their own key.
  fixture f;
  const auto pair = f.sessions.issue_pair("user-42").value();
  CHECK(refusal_of(f.sessions.refresh(pair.refresh_token, f.prove(client_key()))) ==
        errc::dpop_session_key_mismatch);
  CHECK(refusal_of(f.sessions.refresh(pair.refresh_token)) == errc::token_revoked);
}
