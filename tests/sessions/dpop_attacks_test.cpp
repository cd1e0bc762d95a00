// Attacks on DPoP proofs (RFC 9449 §4.3, §11), each refused with its exact code. Proofs are made
// by hand (dpop_support.hpp's forge) so that each differs from an honest one in one thing only;
// the honest proof at the top of each test shows the rest passes.

#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "dpop_support.hpp"

#include <jot/dpop.hpp>
#include <jot/jot.hpp>

using jot::errc;
using jot_dpop_test::dpop_clock;
using jot_dpop_test::forge;
using jot_dpop_test::key_for;
using jot_dpop_test::proof_claims;
using jot_dpop_test::proof_header;
using jot_dpop_test::request_for;

namespace {

const std::error_code attack_ok{};
const char* const attack_uri = "https://api.example/orders";

// Verifies `proof` for GET attack_uri on a fresh default verifier (ES256, Ed25519) at `clock`.
std::error_code verdict(const std::string& proof, const dpop_clock& clock,
                        std::optional<std::string_view> token = std::nullopt) {
  return jot_dpop_test::verifier_on(clock)
      .verify(request_for("GET", attack_uri, proof, token))
      .error();
}

const jot::signing_key& attack_key() { return key_for(jot::algorithm::es256); }

nlohmann::json honest_claims(const dpop_clock& clock) {
  return proof_claims("GET", attack_uri, clock.seconds());
}

}  // namespace

TEST_CASE("dpop attack: a proof presented twice is a replay", "[dpop][attack]") {
  const dpop_clock clock;
  const auto verifier = jot_dpop_test::verifier_on(clock);
  const auto claims = honest_claims(clock);
  const auto proof = forge(proof_header(attack_key()), claims, attack_key());
  CHECK(verifier.verify(request_for("GET", attack_uri, proof)).error() == attack_ok);
  CHECK(verifier.verify(request_for("GET", attack_uri, proof)).error() ==
        errc::dpop_proof_replayed);
  // Signed again (ECDSA signatures differ each time), the same key and jti is still a replay.
  CHECK(verifier
            .verify(request_for("GET", attack_uri,
                                forge(proof_header(attack_key()), claims, attack_key())))
            .error() == errc::dpop_proof_replayed);
  // Another key's proof with that jti is its own: replays are per key, so nobody can burn another
  // client's jti.
  const auto& other = jot_dpop_test::other_p256_key();
  CHECK(verifier.verify(request_for("GET", attack_uri, forge(proof_header(other), claims, other)))
            .error() == attack_ok);
  // A proof refused before the replay check takes no entry: presented right, it is accepted.
  const auto later = forge(proof_header(attack_key()), honest_claims(clock), attack_key());
  CHECK(verifier.verify(request_for("POST", attack_uri, later)).error() ==
        errc::dpop_method_mismatch);
  CHECK(verifier.verify(request_for("GET", attack_uri, later)).error() == attack_ok);
}

TEST_CASE("dpop attack: a proof for another method or URI", "[dpop][attack]") {
  const dpop_clock clock;
  const auto verifier = jot_dpop_test::verifier_on(clock);
  const auto for_uri = [&](const char* method, const char* uri) {
    return forge(proof_header(attack_key()), proof_claims(method, uri, clock.seconds()),
                 attack_key());
  };
  const auto check = [&](const char* method, const char* uri, std::error_code expected) {
    INFO(method << ' ' << uri);
    CHECK(verifier.verify(request_for("GET", attack_uri, for_uri(method, uri))).error() ==
          expected);
  };
  check("GET", attack_uri, attack_ok);
  check("GET", "HTTPS://API.example:443/orders?page=2", attack_ok);  // same URI, normalised
  check("POST", attack_uri, errc::dpop_method_mismatch);
  check("get", attack_uri, errc::dpop_method_mismatch);  // methods are case-sensitive
  check("GET", "https://api.example/orders/1", errc::dpop_uri_mismatch);
  check("GET", "https://api.example/Orders", errc::dpop_uri_mismatch);
  check("GET", "http://api.example/orders", errc::dpop_uri_mismatch);
  check("GET", "https://api.example:8443/orders", errc::dpop_uri_mismatch);
  check("GET", "https://evil.example/orders", errc::dpop_uri_mismatch);
  check("GET", "https://api.example.evil.example/orders", errc::dpop_uri_mismatch);
  check("GET", "https://user@api.example/orders", errc::dpop_uri_mismatch);  // not a valid htu
  check("GET", "/orders", errc::dpop_uri_mismatch);
  // The server's own URI must be valid: its error is the server's (invalid_argument).
  CHECK(verifier.verify(request_for("GET", "/orders", for_uri("GET", attack_uri))).error() ==
        errc::invalid_argument);
}

TEST_CASE("dpop attack: a stale or future iat", "[dpop][attack]") {
  const dpop_clock clock;
  const auto at = [&](nlohmann::json iat) {
    auto claims = honest_claims(clock);
    claims["iat"] = std::move(iat);
    return verdict(forge(proof_header(attack_key()), claims, attack_key()), clock);
  };
  const std::int64_t now = clock.seconds();
  CHECK(at(now - 59) == attack_ok);
  CHECK(at(now - 60) == errc::dpop_proof_too_old);  // the default maximum age is 60 s
  CHECK(at(now - 86400) == errc::dpop_proof_too_old);
  CHECK(at(now + 5) == attack_ok);  // the default clock skew is 5 s
  CHECK(at(now + 6) == errc::dpop_proof_in_future);
  CHECK(at(static_cast<double>(now) + 5.5) == errc::dpop_proof_in_future);  // rounded up
  CHECK(at(now + 86400 * 365) == errc::dpop_proof_in_future);               // a pre-generated proof
  // A tighter window and no skew.
  const auto tight = jot::dpop::verifier::builder{}
                         .expect_max_proof_age(std::chrono::seconds(10))
                         .allow_clock_skew(std::chrono::seconds(0))
                         .allow_custom_clock(clock)
                         .build()
                         .value();
  const auto tight_at = [&](std::int64_t iat) {
    auto claims = honest_claims(clock);
    claims["iat"] = iat;
    return tight
        .verify(
            request_for("GET", attack_uri, forge(proof_header(attack_key()), claims, attack_key())))
        .error();
  };
  CHECK(tight_at(now - 10) == errc::dpop_proof_too_old);
  CHECK(tight_at(now - 9) == attack_ok);
  CHECK(tight_at(now + 1) == errc::dpop_proof_in_future);
}

TEST_CASE("dpop attack: a proof signed by a key other than its jwk", "[dpop][attack]") {
  const dpop_clock clock;
  const auto& other = jot_dpop_test::other_p256_key();
  // The victim's public key in the header, the attacker's signature.
  CHECK(verdict(forge(proof_header(attack_key()), honest_claims(clock), other), clock) ==
        errc::invalid_dpop_signature);
  // A signature of the right size but garbage.
  auto honest = forge(proof_header(attack_key()), honest_claims(clock), attack_key());
  honest[honest.size() - 5] = honest[honest.size() - 5] == 'A' ? 'B' : 'A';
  CHECK(verdict(honest, clock) == errc::invalid_dpop_signature);
  // Claims changed after signing.
  const auto proof = forge(proof_header(attack_key()), honest_claims(clock), attack_key());
  auto claims = honest_claims(clock);
  claims["htu"] = "https://api.example/admin";
  const std::string tampered = proof.substr(0, proof.find('.') + 1) +
                               jot::base64url_encode(claims.dump()) +
                               proof.substr(proof.rfind('.'));
  CHECK(verdict(tampered, clock) == errc::invalid_dpop_signature);
}

TEST_CASE("dpop attack: none, symmetric and unlisted algorithms", "[dpop][attack]") {
  const dpop_clock clock;
  const auto claims = honest_claims(clock);
  auto header = proof_header(attack_key());
  // alg none, empty signature (RFC 9449 §11.6).
  for (const char* none : {"none", "None", "NONE"}) {
    header["alg"] = none;
    CHECK(verdict(jot::base64url_encode(header.dump()) + "." +
                      jot::base64url_encode(claims.dump()) + ".",
                  clock) == errc::dpop_algorithm_not_allowed);
  }
  // HS256 with a MAC under a secret the attacker put in the jwk, or under the public key's bytes.
  const auto& hmac = key_for(jot::algorithm::hs256);
  auto symmetric = proof_header(attack_key());
  symmetric["alg"] = "HS256";
  CHECK(verdict(forge(symmetric, claims, hmac), clock) == errc::dpop_algorithm_not_allowed);
  symmetric["jwk"] = {{"kty", "oct"}, {"k", jot::base64url_encode(std::string(32, 'a'))}};
  CHECK(verdict(forge(symmetric, claims, hmac), clock) == errc::dpop_algorithm_not_allowed);
  // An asymmetric algorithm the verifier was not told to accept, and one jot does not know.
  CHECK(verdict(forge(proof_header(key_for(jot::algorithm::es384)), claims,
                      key_for(jot::algorithm::es384)),
                clock) == errc::dpop_algorithm_not_allowed);
  auto unknown = proof_header(attack_key());
  unknown["alg"] = "ES256X";
  CHECK(verdict(forge(unknown, claims, attack_key()), clock) == errc::dpop_algorithm_not_allowed);
  // ES256 named with an oct jwk: the secret is private material.
  auto oct = proof_header(attack_key());
  oct["jwk"] = {{"kty", "oct"}, {"k", jot::base64url_encode(std::string(32, 'a'))}};
  CHECK(verdict(forge(oct, claims, attack_key()), clock) == errc::dpop_private_key);
}

TEST_CASE("dpop attack: private key material in the jwk", "[dpop][attack]") {
  const dpop_clock clock;
  const auto claims = honest_claims(clock);
  auto header = proof_header(attack_key());
  header["jwk"] = jot::unsafe_to_private_jwk(attack_key()).value();
  CHECK(verdict(forge(header, claims, attack_key()), clock) == errc::dpop_private_key);
  // Any private member, whatever its value, and for every key type.
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    auto jwk = proof_header(attack_key());
    jwk["jwk"][member] = "AQAB";
    INFO(member);
    CHECK(verdict(forge(jwk, claims, attack_key()), clock) == errc::dpop_private_key);
  }
  const auto& rsa = key_for(jot::algorithm::rs256);
  auto rsa_header = proof_header(rsa);
  rsa_header["jwk"] = jot::unsafe_to_private_jwk(rsa).value();
  const auto rsa_verifier = jot::dpop::verifier::builder{}
                                .allow_algorithm(jot::algorithm::rs256)
                                .allow_custom_clock(clock)
                                .build()
                                .value();
  CHECK(
      rsa_verifier.verify(request_for("GET", attack_uri, forge(rsa_header, claims, rsa))).error() ==
      errc::dpop_private_key);
}

TEST_CASE("dpop attack: a jwk that is no key of the proof's alg", "[dpop][attack]") {
  const dpop_clock clock;
  const auto claims = honest_claims(clock);
  const auto with_jwk = [&](nlohmann::json jwk) {
    auto header = proof_header(attack_key());
    header["jwk"] = std::move(jwk);
    return verdict(forge(header, claims, attack_key()), clock);
  };
  // ES256 with an RSA key, a P-384 key, an Ed25519 key.
  CHECK(with_jwk(jot_dpop_test::proof_jwk(key_for(jot::algorithm::rs256))) ==
        errc::invalid_dpop_key);
  CHECK(with_jwk(jot_dpop_test::proof_jwk(key_for(jot::algorithm::es384))) ==
        errc::invalid_dpop_key);
  CHECK(with_jwk(jot_dpop_test::proof_jwk(key_for(jot::algorithm::ed25519))) ==
        errc::invalid_dpop_key);
  // Missing, not an object, no kty, a point off the curve, a jwk whose own alg or use says
  // otherwise.
  auto header = proof_header(attack_key());
  header.erase("jwk");
  CHECK(verdict(forge(header, claims, attack_key()), clock) == errc::invalid_dpop_key);
  CHECK(with_jwk("key") == errc::invalid_dpop_key);
  auto jwk = jot_dpop_test::proof_jwk(attack_key());
  jwk.erase("kty");
  CHECK(with_jwk(jwk) == errc::invalid_dpop_key);
  jwk = jot_dpop_test::proof_jwk(attack_key());
  jwk["y"] = jwk["x"];
  CHECK(with_jwk(jwk) == errc::invalid_dpop_key);
  jwk = jot_dpop_test::proof_jwk(attack_key());
  jwk["alg"] = "ES384";
  CHECK(with_jwk(jwk) == errc::invalid_dpop_key);
  jwk = jot_dpop_test::proof_jwk(attack_key());
  jwk["use"] = "enc";
  CHECK(with_jwk(jwk) == errc::invalid_dpop_key);
  // An RS256 proof whose jwk is an EC key, with RS256 allowed.
  const auto& rsa = key_for(jot::algorithm::rs256);
  auto rsa_header = proof_header(rsa);
  rsa_header["jwk"] = jot_dpop_test::proof_jwk(attack_key());
  const auto rsa_verifier = jot::dpop::verifier::builder{}
                                .allow_algorithm(jot::algorithm::rs256)
                                .allow_custom_clock(clock)
                                .build()
                                .value();
  CHECK(
      rsa_verifier.verify(request_for("GET", attack_uri, forge(rsa_header, claims, rsa))).error() ==
      errc::invalid_dpop_key);
}

TEST_CASE("dpop attack: a missing or wrong ath", "[dpop][attack]") {
  const dpop_clock clock;
  auto claims = honest_claims(clock);
  // With an access token, the proof must carry its hash.
  const auto no_ath =
      verdict(forge(proof_header(attack_key()), claims, attack_key()), clock, "the-token");
  CHECK(no_ath == errc::invalid_dpop_claim);
  claims["ath"] = jot::dpop::access_token_hash("the-token").value();
  const auto proof = forge(proof_header(attack_key()), claims, attack_key());
  CHECK(verdict(proof, clock, "the-token") == attack_ok);
  // The hash of another token (a proof made for AT1 presented with AT2, RFC 9449 §7).
  CHECK(verdict(proof, clock, "another-token") == errc::dpop_ath_mismatch);
  // Without a token, a proof made for one is refused too (§7: "not usable without").
  CHECK(verdict(proof, clock) == errc::dpop_ath_mismatch);
  // The token itself instead of its hash.
  claims["ath"] = "the-token";
  CHECK(verdict(forge(proof_header(attack_key()), claims, attack_key()), clock, "the-token") ==
        errc::dpop_ath_mismatch);
}

TEST_CASE("dpop attack: no proof, two proofs, an oversize proof", "[dpop][attack]") {
  const dpop_clock clock;
  const auto verifier = jot_dpop_test::verifier_on(clock);
  const auto proof = forge(proof_header(attack_key()), honest_claims(clock), attack_key());
  const auto second = forge(proof_header(attack_key()), honest_claims(clock), attack_key());
  CHECK(verifier.verify({"GET", attack_uri, {}, std::nullopt}).error() == errc::missing_dpop_proof);
  CHECK(verifier.verify({"GET", attack_uri, {proof, second}, std::nullopt}).error() ==
        errc::multiple_dpop_proofs);
  CHECK(verifier.verify({"GET", attack_uri, {proof, proof}, std::nullopt}).error() ==
        errc::multiple_dpop_proofs);
  // Two header fields a proxy merged into one list (RFC 9110 §5.3).
  const std::string merged = proof + ", " + second;
  CHECK(verifier.verify(request_for("GET", attack_uri, merged)).error() ==
        errc::multiple_dpop_proofs);
  // Too large, refused before a byte is decoded; at the cap, read (and found malformed).
  const std::string large(jot::dpop::max_proof_size + 1, 'a');
  CHECK(verifier.verify(request_for("GET", attack_uri, large)).error() ==
        errc::dpop_proof_too_large);
  const std::string at_cap(jot::dpop::max_proof_size, 'a');
  CHECK(verifier.verify(request_for("GET", attack_uri, at_cap)).error() ==
        errc::malformed_dpop_proof);
  // Surrounding whitespace, as a header field value may carry, is not part of the proof.
  CHECK(verifier.verify(request_for("GET", attack_uri, " " + proof + " ")).error() == attack_ok);
}

TEST_CASE("dpop attack: a nonce missing, stale or forged", "[dpop][attack]") {
  dpop_clock clock;
  const auto nonces =
      jot::dpop::hmac_nonce_source::create(jot::secret_bytes(std::string(32, 's'))).value();
  const auto verifier =
      jot::dpop::verifier::builder{}.expect_nonce(nonces).allow_custom_clock(clock).build().value();
  const auto with_nonce = [&](std::optional<nlohmann::json> nonce) {
    auto claims = honest_claims(clock);
    if (nonce) claims["nonce"] = *nonce;
    return verifier
        .verify(
            request_for("GET", attack_uri, forge(proof_header(attack_key()), claims, attack_key())))
        .error();
  };
  const std::string current = verifier.current_nonce().value();
  CHECK(with_nonce(current) == attack_ok);
  CHECK(with_nonce(std::nullopt) == errc::dpop_nonce_required);
  CHECK(with_nonce("made-up") == errc::dpop_nonce_invalid);
  CHECK(with_nonce(current + "A") == errc::dpop_nonce_invalid);
  const auto wrong_type = with_nonce(nlohmann::json(42));
  CHECK(wrong_type == errc::invalid_dpop_claim);
  // Ten minutes later the nonce is two periods old: stale.
  clock.advance(600);
  CHECK(with_nonce(current) == errc::dpop_nonce_invalid);
  // A nonce source that cannot answer fails closed with its error.
  struct failing_nonces final : jot::dpop::nonce_source {
    jot::result<std::string> current(jot::sys_seconds) const override {
      return errc::store_unavailable;
    }
    jot::result<jot::dpop::nonce_state> check(std::string_view, jot::sys_seconds) const override {
      return errc::store_unavailable;
    }
  };
  const auto failing = jot::dpop::verifier::builder{}
                           .expect_nonce(std::make_shared<failing_nonces>())
                           .allow_custom_clock(clock)
                           .build()
                           .value();
  auto claims = honest_claims(clock);
  claims["nonce"] = "n";
  CHECK(failing
            .verify(request_for("GET", attack_uri,
                                forge(proof_header(attack_key()), claims, attack_key())))
            .error() == errc::store_unavailable);
}

TEST_CASE("dpop attack: a typ missing or of another kind", "[dpop][attack]") {
  const dpop_clock clock;
  const auto with_typ = [&](std::optional<nlohmann::json> typ) {
    auto header = proof_header(attack_key());
    header.erase("typ");
    if (typ) header["typ"] = *typ;
    return verdict(forge(header, honest_claims(clock), attack_key()), clock);
  };
  CHECK(with_typ("dpop+jwt") == attack_ok);
  CHECK(with_typ("application/dpop+jwt") == attack_ok);  // RFC 7515 §4.1.9
  CHECK(with_typ(std::nullopt) == errc::dpop_type_mismatch);
  CHECK(with_typ("JWT") == errc::dpop_type_mismatch);  // a token swapped in (RFC 9449 §11.5)
  CHECK(with_typ("at+jwt") == errc::dpop_type_mismatch);
  CHECK(with_typ("dpop+jwt2") == errc::dpop_type_mismatch);
  CHECK(with_typ(nlohmann::json::array({"dpop+jwt"})) == errc::malformed_dpop_proof);
}

TEST_CASE("dpop attack: claims missing or of the wrong type", "[dpop][attack]") {
  const dpop_clock clock;
  const auto with_claim = [&](const char* name, std::optional<nlohmann::json> value) {
    auto claims = honest_claims(clock);
    claims.erase(name);
    if (value) claims[name] = *value;
    const auto verified = jot_dpop_test::verifier_on(clock).verify(
        request_for("GET", attack_uri, forge(proof_header(attack_key()), claims, attack_key())));
    CHECK(verified.error() == errc::invalid_dpop_claim);
    CHECK(verified.error_claim() == name);
  };
  for (const char* name : {"jti", "htm", "htu", "iat"}) {
    INFO(name);
    with_claim(name, std::nullopt);
    with_claim(name, nlohmann::json::array());
    with_claim(name, nlohmann::json::object());
    with_claim(name, nullptr);
    with_claim(name, true);
  }
  for (const char* name : {"jti", "htm", "htu"}) with_claim(name, 42);
  with_claim("jti", "");
  with_claim("iat", "1700000000");
  with_claim("iat", -1);
  with_claim("iat", 1e300);
  with_claim("ath", 42);
  with_claim("nonce", 42);  // also where the verifier asks for no nonce
}

TEST_CASE("dpop attack: a proof that is not a well-formed JWS", "[dpop][attack]") {
  const dpop_clock clock;
  const auto header = jot::base64url_encode(proof_header(attack_key()).dump());
  const auto claims = jot::base64url_encode(honest_claims(clock).dump());
  const char* const cases[] = {"", "abc", "a.b", "a.b.c.d.e", "!!.??.**"};
  for (const char* proof : cases) {
    INFO(proof);
    CHECK(verdict(proof, clock) == errc::malformed_dpop_proof);
  }
  CHECK(verdict(header + "=." + claims + ".AA", clock) == errc::malformed_dpop_proof);
  CHECK(verdict(jot::base64url_encode("not json") + "." + claims + ".AA", clock) ==
        errc::malformed_dpop_proof);
  CHECK(verdict(jot::base64url_encode(R"({"typ":"dpop+jwt","typ":"JWT","alg":"ES256"})") + "." +
                    claims + ".AA",
                clock) == errc::malformed_dpop_proof);
  auto critical = proof_header(attack_key());
  critical["crit"] = {"exp"};
  critical["exp"] = 1;
  CHECK(verdict(forge(critical, honest_claims(clock), attack_key()), clock) ==
        errc::malformed_dpop_proof);
  // Claims that are not JSON, under a valid signature.
  const std::string input = header + "." + jot::base64url_encode("[1,2]");
  const auto signature = attack_key().implementation().sign(input).value();
  CHECK(verdict(input + "." + jot::base64url_encode(signature), clock) ==
        errc::malformed_dpop_proof);
}

TEST_CASE("dpop attack: a replay store that cannot answer refuses every proof", "[dpop][attack]") {
  const dpop_clock clock;
  struct failing_store final : jot::dpop::replay_store {
    jot::result<bool> first_use(std::string_view, jot::sys_seconds) override {
      return errc::store_unavailable;
    }
  };
  const auto verifier = jot::dpop::verifier::builder{}
                            .replay_store(std::make_shared<failing_store>())
                            .allow_custom_clock(clock)
                            .build()
                            .value();
  const auto proof = forge(proof_header(attack_key()), honest_claims(clock), attack_key());
  CHECK(verifier.verify(request_for("GET", attack_uri, proof)).error() == errc::store_unavailable);
#ifndef JOT_NO_EXCEPTIONS
  // One that throws could not answer either.
  struct throwing_store final : jot::dpop::replay_store {
    jot::result<bool> first_use(std::string_view, jot::sys_seconds) override {
      throw std::runtime_error("connection lost");
    }
  };
  const auto throwing = jot::dpop::verifier::builder{}
                            .replay_store(std::make_shared<throwing_store>())
                            .allow_custom_clock(clock)
                            .build()
                            .value();
  CHECK(throwing.verify(request_for("GET", attack_uri, proof)).error() == errc::store_unavailable);
#endif
  // A full memory store, too.
  const auto full = std::make_shared<jot::dpop::memory_replay_store>(1, clock);
  const auto bounded =
      jot::dpop::verifier::builder{}.replay_store(full).allow_custom_clock(clock).build().value();
  CHECK(bounded.verify(request_for("GET", attack_uri, proof)).error() == attack_ok);
  const auto next = forge(proof_header(attack_key()), honest_claims(clock), attack_key());
  CHECK(bounded.verify(request_for("GET", attack_uri, next)).error() == errc::store_full);
}
