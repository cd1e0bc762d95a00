// jot signs, PyJWT verifies. A token is only interoperable if an independent implementation
// accepts it with the claims jot meant, and rejects it when the secret or signature is wrong.
//
// PyJWT checks exp, nbf and iat against the real clock (it has no injectable one), so these
// tokens are issued at the real "now" with a 15 minute lifetime: valid for the whole run.

#include <chrono>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "pyjwt_peer.hpp"
#include "raw_token.hpp"

namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;  // "...\0..."s keeps the embedded NUL
using jot_interop::algorithm_label;
using jot_interop::billing_audience;
using jot_interop::issuer;
using jot_interop::member;
using nlohmann::json;

// One kind of token jot issues: its header choices, its claims, and the audience a PyJWT
// consumer would be configured with.
struct claim_shape {
  const char* name;
  std::optional<std::string> kid;
  std::optional<std::string> typ;  // the encoder's type; nullopt writes no `typ` at all
  std::optional<std::string> pyjwt_audience;
  void (*add_claims)(jot::claims::builder&);
};

const claim_shape claim_shapes[] = {
    {"a string audience, a kid and the default typ", "jot-2024-01", "JWT", jot_interop::audience,
     [](jot::claims::builder& b) {
       b.subject("user-42").audience(jot_interop::audience).jwt_id("j-1");
     }},
    {"an array audience that PyJWT matches by its second member", std::nullopt, "JWT",
     billing_audience,
     [](jot::claims::builder& b) {
       b.subject("user-42").audience(
           std::vector<std::string>{jot_interop::audience, billing_audience});
     }},
    {"custom claims with nested objects and arrays", "nested", "JWT", std::nullopt,
     [](jot::claims::builder& b) {
       b.claim("roles", json::array({"admin", "auditor"}))
           .claim("profile", {{"name", "Ada"},
                              {"address", {{"city", "London"}, {"geo", {51.5072, -0.1276}}}},
                              {"flags", {{"beta", true}, {"legacy", false}}},
                              {"manager", nullptr},
                              {"teams", json::array({json::object(), json::array()})}});
     }},
    {"integers at the 64-bit limits and doubles at theirs", std::nullopt, "JWT", std::nullopt,
     [](jot::claims::builder& b) {
       // 2^53 + 1 is exact only for a peer that does not read numbers as doubles.
       b.claim("counters", {{"int64_max", std::numeric_limits<std::int64_t>::max()},
                            {"int64_min", std::numeric_limits<std::int64_t>::min()},
                            {"uint64_max", std::numeric_limits<std::uint64_t>::max()},
                            {"beyond_double", std::int64_t{9007199254740993}},
                            {"pi", 3.141592653589793},
                            {"smallest_double", 5e-324},
                            {"largest_double", 1.7976931348623157e308}});
     }},
    {"unicode strings, unicode claim names and escaped characters", "clé-ключ", "JWT", std::nullopt,
     [](jot::claims::builder& b) {
       b.claim("display_name", "Zoë Ñúñez 日本語 😀")
           .claim("greeting", "שלום مرحبا")
           .claim("combining", "e\u0301")
           .claim("escapes", "quote\" backslash\\ tab\t newline\n nul\0 end"s)
           .claim("名前", "値");
     }},
    {"a custom typ at+jwt and no kid", std::nullopt, "at+jwt", jot_interop::audience,
     [](jot::claims::builder& b) { b.subject("client-9").audience(jot_interop::audience); }},
    {"no typ header at all", "no-typ", std::nullopt, std::nullopt,
     [](jot::claims::builder& b) { b.subject("user-42"); }},
};

struct signed_token {
  std::string token;
  json claims;
  std::string secret;  // raw bytes, for the PyJWT side
};

// A jot token for `shape`, issued at `now` and valid for 15 minutes, with a fresh random
// hash-length secret.
signed_token sign_with_jot(jot::algorithm alg, const claim_shape& shape,
                           std::chrono::system_clock::time_point now) {
  jot::secret_bytes secret = jot::generate_secret(alg).value();
  std::string raw_secret(secret.unsafe_bytes());
  jot::signing_key key = jot::signing_key::hmac(alg, std::move(secret)).value();
  if (shape.kid) key = key.with_key_id(*shape.kid).value();

  jot::claims::builder builder(now);
  builder.issuer(issuer).expires_in(15min);
  shape.add_claims(builder);
  const jot::claims claims = builder.build().value();
  std::string token = jot::encoder(key, shape.typ).sign(claims).value();
  return {std::move(token), claims.json(), std::move(raw_secret)};
}

jot_interop::decode_request pyjwt_request(jot::algorithm alg, const claim_shape& shape,
                                          const signed_token& signed_token) {
  return {signed_token.token, signed_token.secret, algorithm_label(alg), shape.pyjwt_audience,
          issuer};
}

}  // namespace

TEST_CASE("PyJWT verifies jot tokens and decodes exactly the claims and header jot signed",
          "[interop][jot-to-pyjwt]") {
  const auto alg = GENERATE(jot::algorithm::hs256, jot::algorithm::hs384, jot::algorithm::hs512);
  const auto shape_index = GENERATE(range(std::size_t{0}, std::size(claim_shapes)));
  const claim_shape& shape = claim_shapes[shape_index];
  INFO(algorithm_label(alg) << " with " << shape.name);

  const signed_token signed_token = sign_with_jot(alg, shape, std::chrono::system_clock::now());
  const json reply = jot_interop::pyjwt_decode(pyjwt_request(alg, shape, signed_token));

  INFO("PyJWT raised " << reply.value("error", std::string("nothing")));
  REQUIRE(member(reply, "ok") == true);
  CHECK(member(reply, "claims") == signed_token.claims);

  json expected_header = {{"alg", algorithm_label(alg)}};
  if (shape.typ) expected_header["typ"] = *shape.typ;
  if (shape.kid) expected_header["kid"] = *shape.kid;
  CHECK(member(reply, "header") == expected_header);
}

namespace {

// One way PyJWT is handed a jot token it must refuse, and the exception it must refuse it with.
struct pyjwt_rejection {
  const char* name;
  void (*tamper)(jot_interop::decode_request&, jot::algorithm);
  const char* exception;
};

const pyjwt_rejection pyjwt_rejections[] = {
    {"the wrong secret",
     [](jot_interop::decode_request& r, jot::algorithm alg) {
       r.secret = std::string(jot::generate_secret(alg).value().unsafe_bytes());
     },
     "InvalidSignatureError"},
    {"one flipped bit in the signature",
     [](jot_interop::decode_request& r, jot::algorithm) {
       r.token = jot_test::flip_signature_byte(r.token);
     },
     "InvalidSignatureError"},
    {"an algorithm list without the token's algorithm",
     [](jot_interop::decode_request& r, jot::algorithm alg) {
       r.algorithm = algorithm_label(jot_interop::next_hmac_algorithm(alg));
     },
     "InvalidAlgorithmError"},
    {"an audience the token does not name",
     [](jot_interop::decode_request& r, jot::algorithm) {
       r.audience = "https://someone-else.example";
     },
     "InvalidAudienceError"},
    {"an issuer other than the token's",
     [](jot_interop::decode_request& r, jot::algorithm) { r.issuer = "https://evil.example"; },
     "InvalidIssuerError"},
};

}  // namespace

TEST_CASE("PyJWT rejects a jot token given the wrong secret, a flipped signature or other claims",
          "[interop][jot-to-pyjwt]") {
  const auto alg = GENERATE(jot::algorithm::hs256, jot::algorithm::hs384, jot::algorithm::hs512);
  const auto rejection_index = GENERATE(range(std::size_t{0}, std::size(pyjwt_rejections)));
  const pyjwt_rejection& rejection = pyjwt_rejections[rejection_index];
  INFO(algorithm_label(alg) << " token, PyJWT given " << rejection.name);

  const claim_shape& shape = claim_shapes[0];
  const signed_token signed_token = sign_with_jot(alg, shape, std::chrono::system_clock::now());
  jot_interop::decode_request request = pyjwt_request(alg, shape, signed_token);
  // Control: untouched, the same request is accepted, so the rejection below is the tamper's.
  REQUIRE(member(jot_interop::pyjwt_decode(request), "ok") == true);

  rejection.tamper(request, alg);
  const json reply = jot_interop::pyjwt_decode(request);
  CHECK(member(reply, "ok") == false);
  CHECK(reply.value("error", std::string()) == rejection.exception);
}

TEST_CASE("PyJWT agrees with jot's exp and nbf: expired and not-yet-valid tokens are refused",
          "[interop][jot-to-pyjwt]") {
  const auto alg = GENERATE(jot::algorithm::hs256, jot::algorithm::hs384, jot::algorithm::hs512);
  INFO(algorithm_label(alg));
  const auto now = std::chrono::system_clock::now();
  jot::secret_bytes secret = jot::generate_secret(alg).value();
  const std::string raw_secret(secret.unsafe_bytes());
  const jot::encoder encoder(jot::signing_key::hmac(alg, std::move(secret)).value());

  SECTION("a token issued an hour ago for 15 minutes is expired") {
    const auto claims = jot::claims::builder(now - 1h).issuer(issuer).expires_in(15min).build();
    const json reply = jot_interop::pyjwt_decode(
        {encoder.sign(claims.value()).value(), raw_secret, algorithm_label(alg), {}, issuer});
    CHECK(member(reply, "ok") == false);
    CHECK(reply.value("error", std::string()) == "ExpiredSignatureError");
  }
  SECTION("a token that becomes valid in an hour is not valid yet") {
    const auto claims =
        jot::claims::builder(now).issuer(issuer).not_before(now + 1h).expires_in(2h).build();
    const json reply = jot_interop::pyjwt_decode(
        {encoder.sign(claims.value()).value(), raw_secret, algorithm_label(alg), {}, issuer});
    CHECK(member(reply, "ok") == false);
    CHECK(reply.value("error", std::string()) == "ImmatureSignatureError");
  }
}
