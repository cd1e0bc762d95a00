// jot::dpop: proofs made by the proof signer verify and bind; the verifier's settings, the htu
// normalisation, server nonces, the memory replay store, check_binding, the RFC 9449 error of each
// code, and the examples of RFC 9449 itself. The attacks are in dpop_attacks_test.cpp.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "dpop_support.hpp"

#include <jot/dpop.hpp>
#include <jot/jot.hpp>

using jot::errc;
using jot_dpop_test::dpop_clock;
using jot_dpop_test::key_for;
using jot_dpop_test::request_for;

namespace {

const std::error_code dpop_ok{};

jot::dpop::proof_signer signer_for(const jot::signing_key& key, const dpop_clock& clock) {
  return jot::dpop::proof_signer::create(key, clock).value();
}

jot::sys_seconds dpop_seconds(std::int64_t seconds) {
  return jot::sys_seconds(std::chrono::seconds(seconds));
}

}  // namespace

TEST_CASE("dpop: a signer's proof verifies and yields the key's thumbprint", "[dpop]") {
  const dpop_clock clock;
  const auto signer = signer_for(key_for(jot::algorithm::es256), clock);
  const auto verifier = jot_dpop_test::verifier_on(clock);
  const auto proof = signer.sign("POST", "https://Server.Example.com:443/token?x=1#f").value();

  const auto verified =
      verifier.verify(request_for("POST", "https://server.example.com/token", proof));
  REQUIRE(verified.error() == dpop_ok);
  CHECK(verified->key.thumbprint() == signer.thumbprint());
  CHECK(verified->key.thumbprint() ==
        jot::jwk_thumbprint(key_for(jot::algorithm::es256).verification_key().value()).value());
  CHECK(verified->alg == jot::algorithm::es256);
  CHECK(verified->jwk == signer.public_jwk());
  CHECK(verified->issued_at == dpop_seconds(clock.seconds()));
  CHECK(verified->claims["htu"] == "https://server.example.com/token");  // normalised, no query
  CHECK(verified->claims["htm"] == "POST");
  CHECK_FALSE(verified->claims.contains("ath"));
  CHECK_FALSE(verified->next_nonce);
  // The header holds the key's public members only (no kid, no private ones).
  CHECK(signer.public_jwk() ==
        nlohmann::json({{"kty", "EC"},
                        {"crv", "P-256"},
                        {"x", jot_dpop_test::proof_jwk(key_for(jot::algorithm::es256))["x"]},
                        {"y", jot_dpop_test::proof_jwk(key_for(jot::algorithm::es256))["y"]}}));
  // Every proof has its own jti.
  const auto second = signer.sign("POST", "https://server.example.com/token").value();
  CHECK(verifier.verify(request_for("POST", "https://server.example.com/token", second)).error() ==
        dpop_ok);
}

TEST_CASE("dpop: each allowed asymmetric algorithm verifies, and only those", "[dpop]") {
  const dpop_clock clock;
  auto builder = jot::dpop::verifier::builder{}.allow_custom_clock(clock);
  const jot::algorithm extra[] = {
      jot::algorithm::es384, jot::algorithm::es512, jot::algorithm::es256k, jot::algorithm::ed25519,
      jot::algorithm::ed448, jot::algorithm::rs256, jot::algorithm::ps256,  jot::algorithm::ps512};
  const auto strict = jot::dpop::verifier::builder{}.allow_custom_clock(clock).build().value();
  CHECK(strict.algs() == "ES256");
  for (const auto alg : extra) {
    const auto proof = signer_for(key_for(alg), clock).sign("GET", "https://api.example/x").value();
    INFO(jot::fully_specified_name(alg));
    CHECK(strict.verify(request_for("GET", "https://api.example/x", proof)).error() ==
          errc::dpop_algorithm_not_allowed);
    builder.allow_algorithm(alg);
  }
  const auto all = builder.build().value();
  CHECK(all.algs() == "ES256 ES384 ES512 ES256K EdDSA RS256 PS256 PS512");
  for (const auto alg : extra) {
    const auto proof = signer_for(key_for(alg), clock).sign("GET", "https://api.example/x").value();
    INFO(jot::fully_specified_name(alg));
    const auto verified = all.verify(request_for("GET", "https://api.example/x", proof));
    REQUIRE(verified.error() == dpop_ok);
    CHECK(verified->alg == alg);
  }
  // "EdDSA" with only Ed25519 allowed: an Ed448 key is not a key of the allowed algorithm.
  const auto ed25519_only = jot_dpop_test::verifier_on(clock);
  const auto ed448 =
      signer_for(key_for(jot::algorithm::ed448), clock).sign("GET", "https://a/").value();
  CHECK(ed25519_only.verify(request_for("GET", "https://a/", ed448)).error() ==
        errc::invalid_dpop_key);
}

TEST_CASE("dpop: the builder refuses settings out of range", "[dpop]") {
  using builder = jot::dpop::verifier::builder;
  using std::chrono::seconds;
  CHECK(builder{}.build().error() == dpop_ok);
  CHECK(builder{}.allow_algorithm(jot::algorithm::hs256).build().error() == errc::invalid_argument);
  CHECK(builder{}.expect_max_proof_age(seconds(0)).build().error() == errc::invalid_argument);
  CHECK(builder{}.expect_max_proof_age(seconds(61)).build().error() == errc::invalid_argument);
  CHECK(builder{}.expect_max_proof_age(seconds(10)).build().value().max_proof_age() == seconds(10));
  CHECK(builder{}.allow_proof_age(seconds(59)).build().error() == errc::invalid_argument);
  CHECK(builder{}.allow_proof_age(seconds(601)).build().error() == errc::invalid_argument);
  CHECK(builder{}.allow_proof_age(seconds(300)).build().value().max_proof_age() == seconds(300));
  CHECK(builder{}.allow_clock_skew(seconds(-1)).build().error() == errc::invalid_argument);
  CHECK(builder{}.allow_clock_skew(seconds(601)).build().error() == errc::invalid_argument);
  CHECK(builder{}.build().value().clock_skew() == seconds(5));
  CHECK(builder{}.replay_store(nullptr).build().error() == errc::invalid_argument);
  CHECK(builder{}.expect_nonce(nullptr).build().error() == errc::invalid_argument);
  CHECK(builder{}.allow_custom_clock({}).build().error() == errc::invalid_argument);
  CHECK(builder{}.build().value().current_nonce().error() == errc::invalid_argument);
}

TEST_CASE("dpop: htu and the request URI are compared after RFC 3986 normalisation", "[dpop]") {
  const std::pair<const char*, const char*> same[] = {
      {"https://server.example.com/token", "https://server.example.com/token"},
      {"HTTPS://SERVER.Example.COM/token", "https://server.example.com/token"},
      {"https://server.example.com:443/token", "https://server.example.com/token"},
      {"https://server.example.com:/token", "https://server.example.com/token"},
      {"http://server.example.com:80/token", "http://server.example.com/token"},
      {"https://server.example.com:0443/token", "https://server.example.com/token"},
      {"https://server.example.com", "https://server.example.com/"},
      {"https://server.example.com/a%2fb", "https://server.example.com/a%2Fb"},
      {"https://server.example.com/%7Euser/%41", "https://server.example.com/~user/A"},
      {"https://server.example.com/a/./b/../c", "https://server.example.com/a/c"},
      {"https://server.example.com/token?query=1#fragment", "https://server.example.com/token"},
      {"https://[2001:DB8::1]:8443/x", "https://[2001:db8::1]:8443/x"},
      {"https://%65xample.com/", "https://example.com/"},
  };
  for (const auto& [uri, normal] : same) {
    INFO(uri);
    CHECK(jot::dpop::normalize_htu(uri).value_or("<error>") == normal);
  }
  // Path case, another port, another scheme are other URIs.
  CHECK(jot::dpop::normalize_htu("https://a.example/Token").value() == "https://a.example/Token");
  CHECK(jot::dpop::normalize_htu("https://a.example:8443/").value() == "https://a.example:8443/");
  CHECK(jot::dpop::normalize_htu("http://a.example:443/").value() == "http://a.example:443/");
  const char* invalid[] = {"",
                           "server.example.com/token",
                           "ftp://server.example.com/",
                           "https:server.example.com/",
                           "https:///token",
                           "https://user@server.example.com/",
                           "https://server.example.com:65536/",
                           "https://server.example.com:12a/",
                           "https://server.example.com/a b",
                           "https://server.example.com/%zz",
                           "https://server.example.com/%4",
                           "https://server.example.com/\xC3\xA9",
                           "https://[::1/"};
  for (const char* uri : invalid) {
    INFO(uri);
    CHECK(jot::dpop::normalize_htu(uri).error() == errc::invalid_argument);
  }
}

TEST_CASE("dpop: ath binds a proof to the access token presented with it", "[dpop]") {
  // RFC 9449 §7.1, Figure 14: the hash of the example token.
  CHECK(jot::dpop::access_token_hash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU").value() ==
        "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
  const dpop_clock clock;
  const auto signer = signer_for(key_for(jot::algorithm::es256), clock);
  const auto verifier = jot_dpop_test::verifier_on(clock);
  const auto proof = signer.sign("GET", "https://rs.example/r", "token-1").value();
  const auto verified =
      verifier.verify(request_for("GET", "https://rs.example/r", proof, "token-1"));
  REQUIRE(verified.error() == dpop_ok);
  CHECK(verified->claims["ath"] == jot::dpop::access_token_hash("token-1").value());
}

TEST_CASE("dpop: server nonces rotate, the previous one still counts and is replaced", "[dpop]") {
  dpop_clock clock;
  const auto nonces = jot::dpop::hmac_nonce_source::create(jot::secret_bytes(std::string(32, 'n')),
                                                           std::chrono::seconds(300))
                          .value();
  const auto verifier =
      jot::dpop::verifier::builder{}.expect_nonce(nonces).allow_custom_clock(clock).build().value();
  auto signer = signer_for(key_for(jot::algorithm::es256), clock);
  const char* uri = "https://as.example/token";

  // First request without a nonce: use_dpop_nonce, and the nonce to retry with.
  auto first = verifier.verify(request_for("POST", uri, signer.sign("POST", uri).value()));
  CHECK(first.error() == errc::dpop_nonce_required);
  CHECK(std::string(jot::dpop::oauth_error(first.error())) == "use_dpop_nonce");
  const std::string nonce = verifier.current_nonce().value();
  CHECK(nonce.size() == 43);  // base64url of an HMAC-SHA-256
  REQUIRE(signer.remember_nonce("https://AS.example:443/other?q", nonce).error() == dpop_ok);

  auto retried = verifier.verify(request_for("POST", uri, signer.sign("POST", uri).value()));
  REQUIRE(retried.error() == dpop_ok);
  CHECK(retried->claims["nonce"] == nonce);
  CHECK_FALSE(retried->next_nonce);

  // The next period: the old nonce is still accepted, and the response carries the new one.
  clock.advance(300);
  auto later = verifier.verify(request_for("POST", uri, signer.sign("POST", uri).value()));
  REQUIRE(later.error() == dpop_ok);
  REQUIRE(later->next_nonce);
  CHECK(*later->next_nonce == verifier.current_nonce().value());
  CHECK(*later->next_nonce != nonce);

  // Two periods on, it is refused; the current one works.
  clock.advance(300);
  CHECK(verifier.verify(request_for("POST", uri, signer.sign("POST", uri).value())).error() ==
        errc::dpop_nonce_invalid);
  REQUIRE(signer.remember_nonce(uri, verifier.current_nonce().value()).error() == dpop_ok);
  CHECK(verifier.verify(request_for("POST", uri, signer.sign("POST", uri).value())).error() ==
        dpop_ok);

  // The source's own rules.
  CHECK(jot::dpop::hmac_nonce_source::create(jot::secret_bytes(std::string(31, 'n'))).error() ==
        errc::weak_key);
  CHECK(jot::dpop::hmac_nonce_source::create(jot::secret_bytes(std::string(32, 'n')),
                                             std::chrono::seconds(0))
            .error() == errc::invalid_argument);
  const auto other =
      jot::dpop::hmac_nonce_source::create(jot::secret_bytes(std::string(32, 'm'))).value();
  const auto now = dpop_seconds(clock.seconds());
  CHECK(other->check(nonces->current(now).value(), now).value() == jot::dpop::nonce_state::unknown);
  CHECK(nonces->check("not base64url!", now).value() == jot::dpop::nonce_state::unknown);
  CHECK(nonces->check(nonces->current(now).value(), now).value() ==
        jot::dpop::nonce_state::current);
}

TEST_CASE("dpop: the proof signer refuses what it cannot sign", "[dpop]") {
  const dpop_clock clock;
  CHECK(jot::dpop::proof_signer::create(key_for(jot::algorithm::hs256)).error() ==
        errc::invalid_key);
  auto signer = signer_for(key_for(jot::algorithm::es256), clock);
  CHECK(signer.sign("", "https://a.example/").error() == errc::invalid_argument);
  CHECK(signer.sign("GET POST", "https://a.example/").error() == errc::invalid_argument);
  CHECK(signer.sign("GET", "ftp://a.example/").error() == errc::invalid_argument);
  CHECK(signer.remember_nonce("https://a.example/", "").error() == errc::invalid_argument);
  CHECK(signer.remember_nonce("https://a.example/", "a\"b").error() == errc::invalid_argument);
  CHECK(signer.remember_nonce("https://a.example/", "a b").error() == errc::invalid_argument);
  CHECK(signer.remember_nonce("not a uri", "abc").error() == errc::invalid_argument);
  // A nonce is kept per origin: another host's proofs do not carry it.
  REQUIRE(signer.remember_nonce("https://a.example/x", "nonce-a").error() == dpop_ok);
  const auto claims_of = [](const std::string& proof) {
    const auto dot = proof.find('.');
    const auto payload = proof.substr(dot + 1, proof.rfind('.') - dot - 1);
    return nlohmann::json::parse(jot::base64url_decode(payload).value());
  };
  CHECK(claims_of(signer.sign("GET", "https://a.example/y").value())["nonce"] == "nonce-a");
  CHECK_FALSE(claims_of(signer.sign("GET", "https://b.example/y").value()).contains("nonce"));
  CHECK_FALSE(claims_of(signer.sign("GET", "https://a.example:8443/").value()).contains("nonce"));
  // Copies share the nonces.
  auto copy = signer;
  REQUIRE(copy.remember_nonce("https://b.example/", "nonce-b").error() == dpop_ok);
  CHECK(claims_of(signer.sign("GET", "https://b.example/").value())["nonce"] == "nonce-b");
}

TEST_CASE("dpop: the memory replay store answers once per id and is bounded", "[dpop][stores]") {
  dpop_clock clock;
  jot::dpop::memory_replay_store store(2, clock);
  const auto until = dpop_seconds(clock.seconds() + 60);
  CHECK(store.first_use("a", until).value());
  CHECK_FALSE(store.first_use("a", until).value());
  CHECK(store.first_use("b", dpop_seconds(clock.seconds() + 10)).value());
  // Full, and nothing has ended: refused, never a silent drop of "a" or "b".
  CHECK(store.first_use("c", until).error() == errc::store_full);
  CHECK_FALSE(store.first_use("a", until).value());
  CHECK(store.first_use("", until).error() == errc::invalid_argument);
  // Once "b" has ended it makes room, and an ended id reads as new.
  clock.advance(10);
  CHECK(store.first_use("c", until).value());
  CHECK_FALSE(store.first_use("c", until).value());
  clock.advance(50);
  CHECK(store.first_use("a", dpop_seconds(clock.seconds() + 60)).value());
}

TEST_CASE("dpop: 16 threads presenting one proof make exactly one winner", "[dpop][threads]") {
  const dpop_clock clock;
  const auto verifier = jot_dpop_test::verifier_on(clock);
  const auto proof = jot_dpop_test::honest_proof(key_for(jot::algorithm::es256), "GET",
                                                 "https://a.example/", clock.seconds());
  std::atomic<int> accepted{0}, replayed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      const auto verified = verifier.verify(request_for("GET", "https://a.example/", proof));
      if (verified) ++accepted;
      if (verified.error() == errc::dpop_proof_replayed) ++replayed;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(accepted == 1);
  CHECK(replayed == 15);
}

TEST_CASE("dpop: check_binding compares a token's cnf.jkt with the proof's key", "[dpop]") {
  // A proven_key comes only from a verified proof.
  dpop_clock clock;
  const auto proof = jot_dpop_test::verifier_on(clock).verify(request_for(
      "POST", "https://server.example.com/token",
      jot_dpop_test::honest_proof(key_for(jot::algorithm::es256), "POST",
                                  "https://server.example.com/token", clock.seconds())));
  REQUIRE(proof.error() == dpop_ok);
  const jot::dpop::proven_key& key = proof->key;
  const auto claims_with = [](nlohmann::json cnf) {
    auto builder = jot::claims::builder{}.expires_in(std::chrono::minutes(5));
    if (!cnf.is_null()) builder.claim("cnf", std::move(cnf));
    return builder.build().value();
  };
  CHECK(jot::dpop::check_binding(claims_with({{"jkt", key.thumbprint()}}), key).error() == dpop_ok);
  CHECK(jot::dpop::check_binding(claims_with({{"jkt", "another-key"}}), key).error() ==
        errc::dpop_key_mismatch);
  CHECK(jot::dpop::check_binding(claims_with(nullptr), key).error() == errc::dpop_key_mismatch);
  CHECK(jot::dpop::check_binding(claims_with({{"x5t#S256", "abc"}}), key).error() ==
        errc::dpop_key_mismatch);
  const auto wrong_type = jot::dpop::check_binding(claims_with({{"jkt", 1}}), key);
  CHECK(wrong_type.error() == errc::invalid_claim_type);
  CHECK(wrong_type.error_claim() == "cnf");
  CHECK(jot::dpop::check_binding(claims_with("jkt"), key).error() == errc::invalid_claim_type);
  CHECK(jot::dpop::is_key_bound(claims_with({{"jkt", key.thumbprint()}})));
  CHECK_FALSE(jot::dpop::is_key_bound(claims_with(nullptr)));
  // Not constructible from a thumbprint: only the verifier makes one.
  static_assert(!std::is_constructible_v<jot::dpop::proven_key, std::string>);
  static_assert(!std::is_default_constructible_v<jot::dpop::proven_key>);
}

TEST_CASE("dpop: every DPoP code names its RFC 9449 error, others none", "[dpop]") {
  const auto name = [](errc code) {
    const char* error = jot::dpop::oauth_error(code);
    return std::string(error ? error : "none");
  };
  CHECK(name(errc::dpop_nonce_required) == "use_dpop_nonce");
  CHECK(name(errc::dpop_nonce_invalid) == "use_dpop_nonce");
  CHECK(name(errc::dpop_key_mismatch) == "invalid_token");
  CHECK(name(errc::dpop_proof_required) == "invalid_token");
  CHECK(name(errc::dpop_session_key_mismatch) == "invalid_grant");
  for (const errc code :
       {errc::malformed_dpop_proof, errc::dpop_proof_too_large, errc::multiple_dpop_proofs,
        errc::dpop_type_mismatch, errc::invalid_dpop_claim, errc::missing_dpop_proof,
        errc::dpop_algorithm_not_allowed, errc::invalid_dpop_key, errc::dpop_private_key,
        errc::invalid_dpop_signature, errc::dpop_proof_replayed, errc::dpop_ath_mismatch,
        errc::dpop_method_mismatch, errc::dpop_uri_mismatch, errc::dpop_proof_too_old,
        errc::dpop_proof_in_future}) {
    INFO(jot::errc_name(code));
    CHECK(name(code) == "invalid_dpop_proof");
  }
  CHECK(name(errc::invalid_signature) == "none");
  CHECK(name(errc::store_unavailable) == "none");
  CHECK(jot::dpop::oauth_error(std::error_code()) == nullptr);
  CHECK(jot::dpop::oauth_error(std::make_error_code(std::errc::io_error)) == nullptr);
}

// RFC 9449's examples, verbatim (line wrapping removed), with the clock at their iat.
namespace {
const char* const rfc9449_figure2_proof =
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNo"
    "UklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERW"
    "clUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0"
    "dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-"
    "FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";
const char* const rfc9449_figure7_proof =
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNo"
    "UklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERW"
    "clUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0"
    "dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjY1Mjk2fQ.pAqut2IRDm_De6PR93"
    "SYmGBPXpwrAk90e8cP2hjiaG5QsGSuKDYW7_X620BxqhvYC8ynrrvZLTk41mSRroapUA";
const char* const rfc9449_figure13_proof =
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNo"
    "UklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERW"
    "clUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1"
    "IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwi"
    "YXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71"
    "EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA";
// §6.1: "The jkt value in these examples is the hash of the public key from the DPoP proofs".
const char* const rfc9449_jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
const char* const rfc9449_access_token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
}  // namespace

TEST_CASE("dpop: RFC 9449's example proofs verify with their own keys", "[dpop][rfc9449]") {
  dpop_clock clock(1562262616);
  const auto verifier = jot_dpop_test::verifier_on(clock);
  // Figure 2 (and Figure 5): the token request.
  const auto token_request = verifier.verify(
      request_for("POST", "https://server.example.com/token", rfc9449_figure2_proof));
  REQUIRE(token_request.error() == dpop_ok);
  CHECK(token_request->key.thumbprint() == rfc9449_jkt);
  CHECK(token_request->claims["jti"] == "-BwC3ESc6acc2lTc");
  // Presented again: a replay.
  CHECK(verifier
            .verify(request_for("POST", "https://server.example.com/token", rfc9449_figure2_proof))
            .error() == errc::dpop_proof_replayed);

  // Figure 7: the refresh, 2680 s later, with the same key and the same jti as Figure 2: long
  // after the first proof's window, so a fresh verifier accepts it.
  clock.set(1562265296);
  const auto refresh = jot_dpop_test::verifier_on(clock).verify(
      request_for("POST", "https://server.example.com/token", rfc9449_figure7_proof));
  REQUIRE(refresh.error() == dpop_ok);
  CHECK(refresh->key.thumbprint() == rfc9449_jkt);

  // Figure 13: the resource request with the example access token (§7.1).
  clock.set(1562262618);
  const auto resource =
      verifier.verify(request_for("GET", "https://resource.example.org/protectedresource",
                                  rfc9449_figure13_proof, rfc9449_access_token));
  REQUIRE(resource.error() == dpop_ok);
  CHECK(resource->key.thumbprint() == rfc9449_jkt);
  // Figure 9's access token claims carry that thumbprint as cnf.jkt: bound to the proof's key.
  const auto token_claims = jot::claims::builder{jot_test::at(1562262611)}
                                .subject("someone@example.com")
                                .issuer("https://server.example.com")
                                .expires_at(jot_test::at(1562266216))
                                .claim("cnf", {{"jkt", rfc9449_jkt}})
                                .build()
                                .value();
  CHECK(jot::dpop::check_binding(token_claims, resource->key).error() == dpop_ok);
  // Without the token, or with another, the same proof is refused.
  clock.set(1562262619);
  CHECK(jot_dpop_test::verifier_on(clock)
            .verify(request_for("GET", "https://resource.example.org/protectedresource",
                                rfc9449_figure13_proof, "another-token"))
            .error() == errc::dpop_ath_mismatch);
  // Today, the examples are long stale.
  CHECK(jot::dpop::verifier::builder{}
            .build()
            .value()
            .verify(request_for("POST", "https://server.example.com/token", rfc9449_figure2_proof))
            .error() == errc::dpop_proof_too_old);
}

TEST_CASE("dpop: jot::verifier never takes a key from a jwk header", "[dpop][attack]") {
  // ATK-EMBEDDED-JWK (CVE-2018-0114): a token signed by the attacker's key, carrying that key in
  // `jwk`. The ordinary verifier holds the victim's key and checks with it alone, whatever the
  // header says: so the signature fails, with and without a type check.
  const auto& victim = key_for(jot::algorithm::es256);
  const auto& attacker = jot_dpop_test::other_p256_key();
  const nlohmann::json claims = {{"sub", "admin"}, {"exp", 4102444800}};
  for (const char* typ : {"JWT", "dpop+jwt"}) {
    INFO(typ);
    nlohmann::json header = {
        {"alg", "ES256"}, {"typ", typ}, {"jwk", jot_dpop_test::proof_jwk(attacker)}};
    const auto token = jot_dpop_test::forge(header, claims, attacker);
    const auto verifier = jot::verifier::builder{}
                              .add_key(victim.verification_key().value())
                              .validator(jot::validator::builder{}.ignore_type().build())
                              .build()
                              .value();
    CHECK(verifier.verify(token).error() == errc::invalid_signature);
    // The same token verifies only with the attacker's key configured, as any token would.
    const auto configured = jot::verifier::builder{}
                                .add_key(attacker.verification_key().value())
                                .validator(jot::validator::builder{}.ignore_type().build())
                                .build()
                                .value();
    CHECK(configured.verify(token).error() == dpop_ok);
  }
  // And a proof is no token: its typ makes the ordinary verifier refuse it even under the key
  // that signed it.
  const dpop_clock clock;
  const auto proof =
      jot_dpop_test::honest_proof(attacker, "GET", "https://a.example/", clock.seconds());
  const auto strict = jot::verifier::builder{}
                          .add_key(attacker.verification_key().value())
                          .validator(jot::validator::builder{}.allow_missing_expiration().build())
                          .build()
                          .value();
  CHECK(strict.verify(proof).error() == errc::type_mismatch);
}

TEST_CASE("dpop: the verifier's cache of imported keys changes no verdict", "[dpop]") {
  // The verifier keeps the keys it imported (detail::proof_key_cache): a key seen before must
  // still check every signature, and a full cache must start over, not refuse.
  dpop_clock clock;
  const auto verifier = jot_dpop_test::verifier_on(clock);
  const auto& key = key_for(jot::algorithm::es256);
  const auto& other = jot_dpop_test::other_p256_key();
  const std::string uri = "https://server.example.com/orders";
  const auto honest = [&] { return jot_dpop_test::honest_proof(key, "GET", uri, clock.seconds()); };
  REQUIRE(verifier.verify(request_for("GET", uri, honest())).error() == dpop_ok);
  REQUIRE(verifier.verify(request_for("GET", uri, honest())).error() == dpop_ok);  // cached key
  // The cached key's jwk, signed by another key: the signature is still checked.
  const auto forged =
      jot_dpop_test::forge(jot_dpop_test::proof_header(key),
                           jot_dpop_test::proof_claims("GET", uri, clock.seconds()), other);
  CHECK(verifier.verify(request_for("GET", uri, forged)).error() == errc::invalid_dpop_signature);
  // More keys than the cache holds: each proof verifies, and the first key's again after.
  for (std::size_t i = 0; i <= jot::dpop::detail::proof_key_cache::capacity; ++i) {
    const auto fresh = jot::signing_key::generate(jot::algorithm::es256).value();
    INFO("key " << i);
    REQUIRE(verifier
                .verify(request_for(
                    "GET", uri, jot_dpop_test::honest_proof(fresh, "GET", uri, clock.seconds())))
                .error() == dpop_ok);
  }
  CHECK(verifier.verify(request_for("GET", uri, honest())).error() == dpop_ok);
}
