// PyJWT signs, jot verifies. jot must accept what a mainstream library produces (its header
// layout, its JSON escaping of non-ASCII text, its key order) and must reject PyJWT tokens for
// exactly the reason that is wrong with them.
//
// Every time claim is written explicitly relative to a fixed instant, and jot's verifiers read
// that instant from an injected clock, so these tests do not depend on the real time.

#include <chrono>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "pyjwt_peer.hpp"
#include "verifier_setup.hpp"

namespace {

using jot_interop::algorithm_label;
using jot_interop::billing_audience;
using jot_interop::fixed_clock;
using jot_interop::issuer;
using jot_interop::member;
using jot_interop::now;
using jot_interop::verdict;
using nlohmann::json;

constexpr const char* extension = "urn:example:tenant-policy";

// A NumericDate accessor's result as seconds since the epoch (-1 when absent), so that a failed
// check prints two numbers.
std::int64_t seconds_of(std::optional<jot::sys_seconds> when) {
  return when ? when->time_since_epoch().count() : -1;
}

// An optional string claim as std::string ("<absent>" when missing). Catch2 v2's string_view
// printer lives in its main library, which is not always built as C++17; std::string always
// prints.
std::string text_of(std::optional<std::string_view> value) {
  return value ? std::string(*value) : std::string("<absent>");
}

std::string key_id_for(jot::algorithm alg) { return "pyjwt-" + algorithm_label(alg); }

// 64 random bytes: long enough for every HS algorithm, so a test can relabel a token's algorithm
// without the secret becoming the reason for a rejection.
std::string random_secret() {
  return std::string(jot::generate_secret(std::size_t{64}).value().unsafe_bytes());
}

// What PyJWT puts in every token here, valid at `now` for ten more minutes.
json pyjwt_claims(json audience) {
  return {{"iss", issuer},
          {"sub", "user-7"},
          {"aud", std::move(audience)},
          {"iat", now - 30},
          {"nbf", now - 30},
          {"exp", now + 600},
          {"jti", "4f1c2b8e-pyjwt"},
          {"roles", {"reader", "writer"}},
          {"profile", {{"name", "Zoë Ñúñez 日本語 😀"}, {"address", {{"city", "Zürich"}}}}},
          {"limits",
           {{"int64_max", std::numeric_limits<std::int64_t>::max()},
            {"uint64_max", std::numeric_limits<std::uint64_t>::max()},
            {"beyond_double", std::int64_t{9007199254740993}},
            {"ratio", 0.1}}},
          {"名前", "値"}};
}

// The setup of a verifier holding only `secret` as an `alg` key under kid "pyjwt-HSxxx", expecting
// this suite's issuer and `audience`, at the fixed instant (a test may add settings, then builds).
jot_test::verifier_setup hmac_verifier_setup(jot::algorithm alg, const std::string& secret,
                                             const std::string& audience) {
  jot::verification_key key = jot::verification_key::hmac(alg, jot::secret_bytes(secret))
                                  .value()
                                  .with_key_id(key_id_for(alg))
                                  .value();
  jot_test::verifier_setup builder;
  builder.add_key(std::move(key))
      .expect_issuer(issuer)
      .expect_audience(audience)
      .allow_custom_clock(fixed_clock);
  return builder;
}

// One way PyJWT tokens are issued: the header PyJWT writes and what jot is told to expect.
struct token_shape {
  const char* name;
  const char* typ;
  json audience;
  const char* jot_audience;
  bool jot_expects_typ;  // expect_type(typ); otherwise jot's default (absent or "JWT")
};

const token_shape token_shapes[] = {
    {"typ JWT and a string audience", "JWT", jot_interop::audience, jot_interop::audience, false},
    {"typ at+jwt and an array audience", "at+jwt",
     json::array({jot_interop::audience, billing_audience}), billing_audience, true},
};

}  // namespace

TEST_CASE("jot verifies PyJWT tokens and returns the claims and header PyJWT signed",
          "[interop][pyjwt-to-jot]") {
  const auto alg = GENERATE(jot::algorithm::hs256, jot::algorithm::hs384, jot::algorithm::hs512);
  const auto shape_index = GENERATE(range(std::size_t{0}, std::size(token_shapes)));
  const token_shape& shape = token_shapes[shape_index];
  INFO(algorithm_label(alg) << " with " << shape.name);

  // A hash-length secret: the shortest jot accepts, and what a PyJWT user would be told to use.
  const std::string secret(jot::generate_secret(alg).value().unsafe_bytes());
  const json payload = pyjwt_claims(shape.audience);
  const std::string token = jot_interop::pyjwt_encode(
      {algorithm_label(alg), secret, {{"kid", key_id_for(alg)}, {"typ", shape.typ}}, payload});

  jot_test::verifier_setup builder = hmac_verifier_setup(alg, secret, shape.jot_audience);
  if (shape.jot_expects_typ) builder.expect_type(shape.typ);
  const jot::verifier verifier = builder.build().value();
  const auto verified = verifier.verify(token);
  INFO("jot: " << verdict(verified));
  REQUIRE(verified);

  CHECK(verified->alg() == alg);
  CHECK(verified->key_id().value_or("<absent>") == key_id_for(alg));
  CHECK(verified->header() ==
        json({{"alg", algorithm_label(alg)}, {"kid", key_id_for(alg)}, {"typ", shape.typ}}));

  const jot::claims& claims = verified->claims();
  CHECK(claims.json() == payload);
  CHECK(text_of(claims.issuer()) == issuer);
  CHECK(text_of(claims.subject()) == "user-7");
  CHECK(text_of(claims.jwt_id()) == "4f1c2b8e-pyjwt");
  const std::vector<std::string_view> audience_views = claims.audience();
  const std::vector<std::string> audience(audience_views.begin(), audience_views.end());
  CHECK(json(audience) ==
        (shape.audience.is_string() ? json::array({shape.audience}) : shape.audience));
  CHECK(seconds_of(claims.issued_at()) == now - 30);
  CHECK(seconds_of(claims.not_before()) == now - 30);
  CHECK(seconds_of(claims.expires_at()) == now + 600);
  const json* profile = claims.find("profile");
  REQUIRE(profile != nullptr);
  CHECK(member(*profile, "name") == "Zoë Ñúñez 日本語 😀");
}

namespace {

// One thing wrong with a PyJWT token (applied to PyJWT's inputs before it signs) and the exact
// reason jot must give.
struct jot_hmac_rejection {
  const char* name;
  void (*tamper)(jot_interop::encode_request&, jot::algorithm);
  jot::errc expected;
};

const jot_hmac_rejection jot_hmac_rejections[] = {
    {"signed with another secret",
     [](jot_interop::encode_request& r, jot::algorithm) { r.secret = random_secret(); },
     jot::errc::invalid_signature},
    {"expired one second ago",
     [](jot_interop::encode_request& r, jot::algorithm) { r.payload["exp"] = now - 1; },
     jot::errc::token_expired},
    {"expiring at this very second (RFC 7519 4.1.4: now >= exp is expired)",
     [](jot_interop::encode_request& r, jot::algorithm) { r.payload["exp"] = now; },
     jot::errc::token_expired},
    {"not valid for another minute",
     [](jot_interop::encode_request& r, jot::algorithm) { r.payload["nbf"] = now + 60; },
     jot::errc::token_not_yet_valid},
    {"for another audience",
     [](jot_interop::encode_request& r, jot::algorithm) {
       r.payload["aud"] = "https://someone-else.example";
     },
     jot::errc::audience_mismatch},
    {"from another issuer",
     [](jot_interop::encode_request& r, jot::algorithm) {
       r.payload["iss"] = "https://evil.example";
     },
     jot::errc::issuer_mismatch},
    {"signed with the next HS algorithm under the same secret and kid",
     [](jot_interop::encode_request& r, jot::algorithm alg) {
       r.algorithm = algorithm_label(jot_interop::next_hmac_algorithm(alg));
     },
     jot::errc::algorithm_not_allowed},
    {"unsecured (alg none, empty signature)",
     [](jot_interop::encode_request& r, jot::algorithm) {
       r.algorithm = "none";
       r.secret.reset();  // PyJWT insists on key=None for "none"
     },
     jot::errc::algorithm_not_allowed},
    {"carrying a crit header extension jot was not told about",
     [](jot_interop::encode_request& r, jot::algorithm) {
       r.headers["crit"] = json::array({extension});
       r.headers[extension] = "strict";
     },
     jot::errc::unsupported_critical_header},
};

}  // namespace

TEST_CASE("jot rejects a PyJWT token with the exact error for what is wrong with it",
          "[interop][pyjwt-to-jot]") {
  const auto alg = GENERATE(jot::algorithm::hs256, jot::algorithm::hs384, jot::algorithm::hs512);
  const auto rejection_index = GENERATE(range(std::size_t{0}, std::size(jot_hmac_rejections)));
  const jot_hmac_rejection& rejection = jot_hmac_rejections[rejection_index];
  INFO("jot verifier with an " << algorithm_label(alg) << " key, PyJWT token " << rejection.name);

  const std::string secret = random_secret();
  const jot::verifier verifier =
      hmac_verifier_setup(alg, secret, jot_interop::audience).build().value();
  jot_interop::encode_request request{algorithm_label(alg),
                                      secret,
                                      {{"kid", key_id_for(alg)}},
                                      pyjwt_claims(jot_interop::audience)};

  // Control: the untampered token verifies, so the rejection below is caused by the tamper.
  const auto control = verifier.verify(jot_interop::pyjwt_encode(request));
  INFO("control token, jot: " << verdict(control));
  REQUIRE(control);

  rejection.tamper(request, alg);
  const auto verified = verifier.verify(jot_interop::pyjwt_encode(request));
  INFO("jot: " << verdict(verified));
  REQUIRE_FALSE(verified);
  CHECK(verified.error() == rejection.expected);
}

TEST_CASE("jot accepts a PyJWT crit header extension the application declares it understands",
          "[interop][pyjwt-to-jot]") {
  const auto alg = GENERATE(jot::algorithm::hs256, jot::algorithm::hs384, jot::algorithm::hs512);
  INFO(algorithm_label(alg));
  const std::string secret = random_secret();
  const std::string token = jot_interop::pyjwt_encode(
      {algorithm_label(alg),
       secret,
       {{"kid", key_id_for(alg)}, {"crit", json::array({extension})}, {extension, "strict"}},
       pyjwt_claims(jot_interop::audience)});

  // The same token that the rejection table refuses: declaring the extension is what changes.
  const auto verified = hmac_verifier_setup(alg, secret, jot_interop::audience)
                            .allow_critical_header(extension)
                            .build()
                            .value()
                            .verify(token);
  INFO("jot: " << verdict(verified));
  REQUIRE(verified);
  CHECK(member(verified->header(), "crit") == json::array({extension}));
  CHECK(member(verified->header(), extension) == "strict");
}
