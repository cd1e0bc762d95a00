// jot signs with RS*, PS*, ES*, ES256K and EdDSA keys it generated; PyJWT verifies with the public
// key handed over the way services exchange keys: as the JWK jot exports, and as a PEM made from
// it by OpenSSL. Each algorithm's cases run in one PyJWT process.
//
// PyJWT checks exp against the real clock, so these tokens are issued at the real "now" and live
// 15 minutes: valid for the whole run.

#include <chrono>
#include <iterator>
#include <string>
#include <vector>

#include "asymmetric_support.hpp"
#include "catch.hpp"
#include "pyjwt_peer.hpp"

namespace {

using namespace std::chrono_literals;
using jot_interop::audience;
using jot_interop::header_alg;
using jot_interop::issuer;
using jot_interop::label;
using jot_interop::member;
using nlohmann::json;

json decode_request(const std::string& token, jot::algorithm alg, const char* key_source,
                    const json& key) {
  return {{"op", "decode"},       {"token", token},   {"algorithms", {header_alg(alg)}},
          {"audience", audience}, {"issuer", issuer}, {key_source, key}};
}

}  // namespace

TEST_CASE("PyJWT verifies jot tokens of every asymmetric algorithm with the key as JWK and as PEM",
          "[interop][jot-to-pyjwt][asymmetric]") {
  const auto index = GENERATE(range(std::size_t{0}, std::size(jot_interop::asymmetric_algorithms)));
  const jot::algorithm alg = jot_interop::asymmetric_algorithms[index];
  INFO(label(alg));

  const jot::signing_key& key = jot_interop::jot_key(alg);
  const json jwk = jot_interop::public_jwk(key);
  // What PyJWK reads to pick its algorithm object: for Ed448 the polymorphic "EdDSA" is the only
  // alg PyJWT 2.6 accepts (it has no RFC 9864 names, and without `alg` it assumes Ed25519).
  CHECK(member(jwk, "alg") == header_alg(alg));
  CHECK(member(jwk, "kid") == "jot-" + label(alg));
  const std::string pem = jot_interop::public_pem_from_jwk(jwk);
  const std::string other_pem =
      jot_interop::public_pem_from_jwk(jot_interop::public_jwk(jot_interop::jot_key(alg, 1)));

  const jot::claims claims = jot_interop::claims_for_peer(jot::claims::builder{});
  const std::string token = jot::encoder(key).sign(claims).value();
  const std::string flipped = jot_test::flip_signature_byte(token);

  const std::vector<json> replies = jot_interop::call_peer_batch({
      decode_request(token, alg, "jwk", jwk),
      decode_request(token, alg, "pem", pem),
      decode_request(flipped, alg, "jwk", jwk),
      decode_request(flipped, alg, "pem", pem),
      decode_request(token, alg, "pem", other_pem),
  });

  const json expected_header = {
      {"alg", header_alg(alg)}, {"typ", "JWT"}, {"kid", "jot-" + label(alg)}};
  const char* forms[] = {"the public JWK (jwt.PyJWK)", "the public PEM"};
  for (std::size_t form = 0; form < 2; ++form) {
    INFO("PyJWT given " << forms[form]);
    const json& accepted = replies[form];
    INFO("PyJWT raised " << jot_interop::text(accepted, "error") << ": "
                         << jot_interop::text(accepted, "message"));
    CHECK(member(accepted, "ok") == true);
    CHECK(member(accepted, "claims") == claims.json());
    CHECK(member(accepted, "header") == expected_header);

    const json& tampered = replies[2 + form];
    INFO("one signature byte flipped");
    CHECK(member(tampered, "ok") == false);
    CHECK(jot_interop::text(tampered, "error") == "InvalidSignatureError");
  }
  INFO("PyJWT given the PEM of another key of the same algorithm");
  CHECK(member(replies[4], "ok") == false);
  CHECK(jot_interop::text(replies[4], "error") == "InvalidSignatureError");
}
