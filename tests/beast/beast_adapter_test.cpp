// jot::beast::authorize over real loopback sockets: a synchronous Boost.Beast server on a thread
// of the test protects its routes with the adapter, and a Beast client sends it what clients
// send, well-formed or not. Each refusal is checked whole: status, challenge, body, no caching,
// and never a byte of the token in the answer.
#include <jot/http/beast.hpp>

#include <chrono>
#include <string>
#include <vector>

#include <jot/dpop.hpp>
#include <jot/jot.hpp>

#include "beast_support.hpp"
#include "catch.hpp"

namespace {

using namespace std::chrono_literals;
using jot_test::beast_request;
using jot_test::beast_response;
namespace http = boost::beast::http;

// The application's own principal.
struct member {
  std::string id;
  std::string plan;
};
void from_json(const nlohmann::json& j, member& m) {
  j.at("sub").get_to(m.id);
  j.at("plan").get_to(m.plan);
}

struct adapter_issuer {
  jot::signing_key key = jot::signing_key::generate(jot::algorithm::es256).value();
  jot::verifier verifier = jot::verifier::builder{}
                               .add_key(key.verification_key().value())
                               .validator(jot::validator::builder{}
                                              .expect_issuer("https://auth.example.com")
                                              .expect_audience("orders")
                                              .build())
                               .build()
                               .value();

  // A token of user-42 for `audience`, valid from now on, with `extra` claims.
  std::string token(const nlohmann::json& extra, const char* audience = "orders") const {
    return token_at(std::chrono::system_clock::now(), extra, audience);
  }
  std::string token_at(std::chrono::system_clock::time_point issued, const nlohmann::json& extra,
                       const char* audience = "orders") const {
    jot::claims::builder claims;
    claims.issuer("https://auth.example.com")
        .audience(audience)
        .subject("user-42")
        .issued_at(issued)
        .expires_at(issued + 5min);
    for (const auto& [name, value] : extra.items()) claims.claim(name, value);
    return jot::encoder{key}.sign(claims.build().value()).value();
  }
};

beast_response ok(const beast_request& request, const std::string& body) {
  beast_response out{http::status::ok, request.version()};
  out.keep_alive(request.keep_alive());
  out.body() = body;
  out.prepare_payload();
  return out;
}

// The routes of the server under test:
//  /orders   the verified token, all of orders:read (realm "orders");
//  /members  a member, any of gold silver;
//  /optional anyone, or a member with a valid token.
beast_response route(const adapter_issuer& idp, const beast_request& request) {
  static const auto orders = jot::access_requirement{}.realm("orders").all_of_scopes("orders:read");
  static const auto members = jot::access_requirement{}.any_of_scopes("gold silver");
  static const auto optional = jot::access_requirement{}.allow_anonymous();
  if (request.target() == "/orders") {
    auto access = jot::beast::authorize(request, idp.verifier, orders);
    if (!access) return std::move(*access.refusal());
    return ok(request, std::string(*access.principal()->claims().subject()));
  }
  auto access = jot::beast::authorize<member>(request, idp.verifier,
                                              request.target() == "/members" ? members : optional);
  if (!access) return std::move(*access.refusal());
  const member* who = access.principal();
  return ok(request, who ? who->id + " " + who->plan : "anonymous");
}

}  // namespace

TEST_CASE("jot::beast::authorize answers every request as RFC 6750 says, over a socket",
          "[beast]") {
  const adapter_issuer idp;
  jot_test::sync_beast_server server(
      [&idp](const beast_request& request) { return route(idp, request); });

  const std::string valid = "Bearer " + idp.token({{"scope", "orders:read"}, {"plan", "gold"}});
  const std::string expired =
      "Bearer " + idp.token_at(std::chrono::system_clock::now() - 1h, {{"scope", "orders:read"}});
  const std::string billing = "Bearer " + idp.token({{"scope", "orders:read"}}, "billing");
  const std::string profile = "Bearer " + idp.token({{"scope", "profile"}, {"plan", "free"}});
  const std::string no_plan = "Bearer " + idp.token({{"scope", "gold"}});
  const std::string other_key =
      "Bearer " + jot::encoder{jot::signing_key::generate(jot::algorithm::es256).value()}
                      .sign(jot::claims::builder{}
                                .issuer("https://auth.example.com")
                                .audience("orders")
                                .subject("user-42")
                                .expires_in(5min)
                                .build()
                                .value())
                      .value();
  const std::string invalid_token = R"(error="invalid_token", error_description=)";
  struct row {
    const char* target;
    std::vector<std::string> authorization;
    int status;
    std::string challenge;  // the start of WWW-Authenticate; empty: none
    std::string body;
  };
  const row rows[] = {
      {"/orders", {valid}, 200, "", "user-42"},
      {"/orders", {}, 401, R"(Bearer realm="orders")", R"({"error":"missing_credentials"})"},
      {"/orders",
       {"Basic dXNlcjpwYXNz"},
       401,
       R"(Bearer realm="orders")",
       R"({"error":"unsupported_auth_scheme"})"},
      {"/orders",
       {"Bearer"},
       400,
       R"(Bearer realm="orders", error="invalid_request", )",
       R"({"error":"malformed_credentials"})"},
      {"/orders",
       {"Bearer a b"},
       400,
       R"(Bearer realm="orders", error="invalid_request", )",
       R"({"error":"malformed_credentials"})"},
      {"/orders",
       {valid, valid},
       400,
       R"(Bearer realm="orders", error="invalid_request", )",
       R"({"error":"malformed_credentials"})"},
      {"/orders",
       {valid, "Basic dXNlcjpwYXNz"},
       400,
       R"(Bearer realm="orders", error=)",
       R"({"error":"malformed_credentials"})"},
      {"/orders",
       {expired},
       401,
       R"(Bearer realm="orders", )" + invalid_token,
       R"({"error":"token_expired"})"},
      {"/orders",
       {billing},
       401,
       R"(Bearer realm="orders", )" + invalid_token,
       R"({"error":"audience_mismatch"})"},
      {"/orders",
       {other_key},
       401,
       R"(Bearer realm="orders", )" + invalid_token,
       R"({"error":"invalid_signature"})"},
      {"/orders",
       {profile},
       403,
       R"(Bearer realm="orders", error="insufficient_scope", error_description="the token lacks )"
       R"(a scope the request needs", scope="orders:read")",
       R"({"error":"insufficient_scope"})"},
      {"/members",
       {valid},
       403,
       R"(Bearer error="insufficient_scope", )",
       R"({"error":"insufficient_scope"})"},
      {"/members", {no_plan}, 401, "Bearer " + invalid_token, R"({"error":"invalid_claim_type"})"},
      {"/optional", {}, 200, "", "anonymous"},
      {"/optional", {valid}, 200, "", "user-42 gold"},
      {"/optional", {profile}, 200, "", "user-42 free"},
      {"/optional",
       {"Bearer a.b.c"},
       401,
       "Bearer " + invalid_token,
       R"({"error":"invalid_base64"})"},
      {"/optional", {expired}, 401, "Bearer " + invalid_token, R"({"error":"token_expired"})"},
      {"/optional", {no_plan}, 401, "Bearer " + invalid_token, R"({"error":"invalid_claim_type"})"},
      {"/optional",
       {"Basic dXNlcjpwYXNz"},
       401,
       "Bearer",
       R"({"error":"unsupported_auth_scheme"})"},
      {"/optional",
       {valid, valid},
       400,
       R"(Bearer error="invalid_request", )",
       R"({"error":"malformed_credentials"})"},
  };
  for (const row& r : rows) {
    CAPTURE(r.target, r.authorization.size(), r.body);
    auto request = jot_test::make_request(http::verb::get, r.target);
    for (const auto& value : r.authorization) request.insert(http::field::authorization, value);
    jot_test::beast_client client(server.port());
    const beast_response response = client.send(request);
    CHECK(response.result_int() == static_cast<unsigned>(r.status));
    CHECK(response.body() == r.body);
    const std::string challenge = jot_test::field_of(response, http::field::www_authenticate);
    if (r.challenge.empty()) {
      CHECK(challenge.empty());
      continue;
    }
    CHECK(challenge.rfind(r.challenge, 0) == 0);
    CHECK(jot_test::field_of(response, http::field::cache_control) == "no-store");
    CHECK(jot_test::field_of(response, http::field::content_type) == "application/json");
    for (const auto& value : r.authorization) {
      const auto token = value.substr(value.find(' ') + 1);
      if (token.size() < 8) continue;  // too short to be told apart from the error's words
      CHECK(response.body().find(token) == std::string::npos);
      CHECK(challenge.find(token) == std::string::npos);
    }
  }
}

TEST_CASE("jot::beast's refusal keeps the request's HTTP version and keep-alive", "[beast]") {
  const adapter_issuer idp;
  jot_test::sync_beast_server server(
      [&idp](const beast_request& request) { return route(idp, request); });
  auto old = jot_test::make_request(http::verb::get, "/orders");
  old.version(10);  // HTTP/1.0: the connection closes unless asked otherwise
  auto response = jot_test::beast_client(server.port()).send(old);
  CHECK(response.result_int() == 401);
  CHECK(response.version() == 10);
  CHECK_FALSE(response.keep_alive());

  auto current = jot_test::make_request(http::verb::get, "/orders");
  response = jot_test::beast_client(server.port()).send(current);
  CHECK(response.version() == 11);
  CHECK(response.keep_alive());
  CHECK(jot_test::field_of(response, http::field::content_length) ==
        std::to_string(response.body().size()));
}

TEST_CASE("jot::beast::error_response answers a handler's own refusal", "[beast]") {
  const auto request = jot_test::make_request(http::verb::post, "/auth/refresh");
  const auto cross_site = jot::beast::error_response(request, jot::errc::cross_site_request,
                                                     jot::access_requirement{}.realm("app"));
  CHECK(cross_site.result_int() == 403);
  // 403, but not about the token: a challenge without an error code (RFC 6750 §3.1).
  CHECK(jot_test::field_of(cross_site, http::field::www_authenticate) == R"(Bearer realm="app")");
  CHECK(cross_site.body() == R"({"error":"cross_site_request"})");
  const auto unavailable = jot::beast::error_response(request, jot::errc::store_unavailable);
  CHECK(unavailable.result_int() == 503);
  CHECK(unavailable.count(http::field::www_authenticate) == 0);
  CHECK(unavailable.body() == R"({"error":"store_unavailable"})");
}

TEST_CASE("jot::beast::authorize takes DPoP-bound tokens with their proof, over a socket",
          "[beast][dpop]") {
  // A token bound to the client's key (cnf.jkt), a route that accepts DPoP with server nonces,
  // the origin the client reaches: RFC 9449 §7 and §9 over Beast.
  const adapter_issuer idp;
  const auto client_key = jot::signing_key::generate(jot::algorithm::es256).value();
  auto signer = jot::dpop::proof_signer::create(client_key).value();
  const std::string token = idp.token({{"cnf", {{"jkt", signer.thumbprint()}}}});
  const auto proofs =
      jot::dpop::verifier::builder{}
          .expect_nonce(
              jot::dpop::hmac_nonce_source::create(jot::secret_bytes(std::string(32, 'n'))).value())
          .build()
          .value();
  const auto requirement = jot::access_requirement{}.realm("orders").accept_dpop(proofs);
  std::string origin;
  jot_test::sync_beast_server server([&](const beast_request& request) {
    auto access = jot::beast::authorize(request, idp.verifier, requirement, origin);
    if (!access) return std::move(*access.refusal());
    return ok(request, std::string(*access.principal()->claims().subject()));
  });
  origin = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string uri = origin + "/orders";
  const auto send = [&](std::initializer_list<std::string_view> authorization,
                        const std::vector<std::string>& dpop) {
    auto request = jot_test::make_request(http::verb::get, "/orders?id=3", authorization);
    for (const auto& proof : dpop) request.insert("DPoP", proof);
    return jot_test::beast_client(server.port()).send(request);
  };
  const std::string dpop_credentials = "DPoP " + token;

  // Without a nonce: use_dpop_nonce, the nonce in DPoP-Nonce, both schemes offered.
  const auto first = send({dpop_credentials}, {signer.sign("GET", uri, token).value()});
  CHECK(first.result_int() == 401);
  CHECK(first.body() == R"({"error":"dpop_nonce_required"})");
  CHECK(jot_test::field_of(first, http::field::www_authenticate) ==
        R"(Bearer realm="orders", DPoP realm="orders", error="use_dpop_nonce", )"
        R"(error_description="DPoP proof carries no nonce but the server requires one", )"
        R"(algs="ES256")");
  const std::string nonce = jot_test::field_of(first, "DPoP-Nonce");
  REQUIRE(nonce == proofs.current_nonce().value());
  REQUIRE(signer.remember_nonce(uri, nonce));

  const auto admitted = send({dpop_credentials}, {signer.sign("GET", uri, token).value()});
  CHECK(admitted.result_int() == 200);
  CHECK(admitted.body() == "user-42");

  // The bound token as Bearer, and the DPoP scheme without a proof.
  const auto bearer = send({"Bearer " + token}, {});
  CHECK(bearer.result_int() == 401);
  CHECK(bearer.body() == R"({"error":"dpop_proof_required"})");
  CHECK(jot_test::field_of(bearer, http::field::www_authenticate)
            .rfind(R"(Bearer realm="orders", error="invalid_token", )", 0) == 0);
  const auto no_proof = send({dpop_credentials}, {});
  CHECK(no_proof.result_int() == 401);
  CHECK(no_proof.body() == R"({"error":"missing_dpop_proof"})");
  CHECK(jot_test::field_of(no_proof, http::field::www_authenticate) ==
        R"(Bearer realm="orders", DPoP realm="orders", error="invalid_dpop_proof", )"
        R"(error_description="the request carries no DPoP proof", algs="ES256")");
}
