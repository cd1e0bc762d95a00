// jot::httplib::protect and write_error without a network: the wrapped handler is called with a
// request built here, as cpp-httplib's server would call it after routing.
#include <jot/http/httplib.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <jot/jot.hpp>
#include <jot/session.hpp>

#include "catch.hpp"

namespace {

using namespace std::chrono_literals;

struct issuer {
  jot::signing_key key = jot::signing_key::generate(jot::algorithm::hs256).value();
  jot::verifier verifier = jot::verifier::builder{}
                               .add_key(key.verification_key().value())
                               .validator(jot::validator::builder{}
                                              .expect_issuer("https://auth.example.com")
                                              .expect_audience("orders")
                                              .build())
                               .build()
                               .value();

  std::string token(const char* scope) const {
    auto claims = jot::claims::builder{}
                      .issuer("https://auth.example.com")
                      .audience("orders")
                      .subject("user-42")
                      .expires_in(5min)
                      .claim("scope", scope)
                      .build()
                      .value();
    return jot::encoder{key}.sign(claims).value();
  }
};

struct outcome {
  httplib::Response response;
  std::string handled_subject;  // empty when the handler did not run
};

outcome call(const httplib::Server::Handler& handler, const char* authorization) {
  httplib::Request request;
  if (authorization) request.headers.emplace("Authorization", authorization);
  outcome out;
  handler(request, out.response);
  return out;
}

}  // namespace

TEST_CASE("protect() answers each rejected request as RFC 6750 says and never calls the handler") {
  const issuer idp;
  std::string handled;
  const auto handler = jot::httplib::protect(
      [&idp](std::string_view token) { return idp.verifier.verify(token); },
      [&handled](const httplib::Request&, httplib::Response& res, const jot::verified_token& t) {
        handled = *t.claims().subject();
        res.set_content("ok", "text/plain");
      },
      jot::access_requirement{}.realm("orders").all_of_scopes("orders:read"));
  const std::string no_scope = "Bearer " + idp.token("profile");

  struct row {
    const char* authorization;
    int status;
    const char* challenge;
    const char* error;
  };
  const row rows[] = {
      {nullptr, 401, R"(Bearer realm="orders")", "missing_credentials"},
      {"Basic dXNlcjpwYXNz", 401, R"(Bearer realm="orders")", "unsupported_auth_scheme"},
      {"Bearer two tokens", 400,
       R"(Bearer realm="orders", error="invalid_request", error_description=)",
       "malformed_credentials"},
      {"Bearer a.b.c", 401, R"(Bearer realm="orders", error="invalid_token", error_description=)",
       "invalid_base64"},
      {no_scope.c_str(), 403,
       R"(Bearer realm="orders", error="insufficient_scope", error_description=)",
       "insufficient_scope"},
  };
  for (const row& r : rows) {
    CAPTURE(r.authorization ? r.authorization : "(none)");
    handled.clear();
    const outcome out = call(handler, r.authorization);
    CHECK(handled.empty());
    CHECK(out.response.status == r.status);
    CHECK(out.response.get_header_value("WWW-Authenticate").rfind(r.challenge, 0) == 0);
    CHECK(out.response.body == std::string(R"({"error":")") + r.error + R"("})");
    CHECK(out.response.get_header_value("Cache-Control") == "no-store");
  }
  const outcome scoped = call(handler, no_scope.c_str());
  CHECK(scoped.response.get_header_value("WWW-Authenticate").find(R"(scope="orders:read")") !=
        std::string::npos);
}

TEST_CASE("protect() refuses a request with more than one Authorization header") {
  // RFC 6750 §3.1 and RFC 9110 §11.6.2: one set of credentials per request. A second header,
  // valid or not, makes the request malformed; the first one is never taken on its own.
  const issuer idp;
  std::string handled;
  const auto handler = jot::httplib::protect(
      [&idp](std::string_view token) { return idp.verifier.verify(token); },
      [&handled](const httplib::Request&, httplib::Response&, const jot::verified_token& t) {
        handled = *t.claims().subject();
      },
      jot::access_requirement{}.realm("orders"));
  const std::string valid = "Bearer " + idp.token("orders:read");
  const std::string other = "Bearer " + idp.token("profile");
  const std::vector<std::vector<std::string>> cases = {
      {valid, valid},                 // the same token twice
      {valid, other},                 // two valid tokens
      {valid, "Bearer a.b.c"},        // a valid one first, a forged one after
      {"Bearer a.b.c", valid},        // and the other way round
      {valid, "Basic dXNlcjpwYXNz"},  // two schemes
      {valid, ""},                    // an empty second header
      {valid, valid, valid},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& headers = cases[i];
    CAPTURE(i);
    handled.clear();
    httplib::Request request;
    for (const auto& value : headers) request.headers.emplace("Authorization", value);
    httplib::Response response;
    handler(request, response);
    CHECK(handled.empty());
    CHECK(response.status == 400);
    CHECK(response.get_header_value("WWW-Authenticate")
              .rfind(R"(Bearer realm="orders", error="invalid_request", error_description=)", 0) ==
          0);
    CHECK(response.body == R"({"error":"malformed_credentials"})");
    CHECK(response.get_header_value("Cache-Control") == "no-store");
  }
  // One header still passes.
  CHECK(call(handler, valid.c_str()).response.status == -1);
  CHECK(handled == "user-42");
}

TEST_CASE("protect() hands the verified token to the handler") {
  const issuer idp;
  std::string handled;
  const auto handler = jot::httplib::protect(
      [&idp](std::string_view token) { return idp.verifier.verify(token); },
      [&handled](const httplib::Request&, httplib::Response&, const jot::verified_token& t) {
        handled = *t.claims().subject();
      },
      jot::access_requirement{}.realm("orders").all_of_scopes("orders:read"));
  const std::string header = "Bearer " + idp.token("profile orders:read");
  const outcome out = call(handler, header.c_str());
  CHECK(handled == "user-42");
  CHECK(out.response.get_header_value("WWW-Authenticate").empty());
}

TEST_CASE("write_error() sends no challenge for a failure that is not the client's") {
  httplib::Response response;
  jot::httplib::write_error(response, jot::errc::store_unavailable);
  CHECK(response.status == 503);
  CHECK_FALSE(response.has_header("WWW-Authenticate"));
  CHECK(response.body == R"({"error":"store_unavailable"})");
}

TEST_CASE("protect() takes a verifier, a jwks_cache and a session manager directly") {
  const issuer idp;
  const std::string header = "Bearer " + idp.token("orders:read");
  std::string handled;
  const auto record = [&handled](const httplib::Request&, httplib::Response&,
                                 const jot::verified_token& t) { handled = *t.claims().subject(); };

  // A verifier.
  // A handler that ran leaves the status to cpp-httplib (unset, -1 here; 200 on the wire).
  const outcome by_verifier = call(jot::httplib::protect(idp.verifier, record), header.c_str());
  CHECK(handled == "user-42");
  CHECK(by_verifier.response.status == -1);
  CHECK(call(jot::httplib::protect(idp.verifier, record), "Bearer a.b.c").response.status == 401);

  // A jwks_cache, held by reference: it fetches the issuer's JWKS once and keeps it.
  handled.clear();
  const auto es256 =
      jot::signing_key::generate(jot::algorithm::es256).value().with_key_id("es-1").value();
  const std::string es256_header = "Bearer " + jot::encoder{es256}
                                                   .sign(jot::claims::builder{}
                                                             .issuer("https://auth.example.com")
                                                             .audience("orders")
                                                             .subject("user-9")
                                                             .expires_in(5min)
                                                             .build()
                                                             .value())
                                                   .value();
  const std::string jwks =
      jot::key_set::from_keys({es256.verification_key().value()}).value().to_jwks().value().dump();
  int fetches = 0;
  jot::jwks_cache cache(
      [&fetches, jwks]() -> jot::result<std::string> {
        ++fetches;
        return jwks;
      },
      jot::validator::builder{}
          .expect_issuer("https://auth.example.com")
          .expect_audience("orders")
          .build()
          .value());
  const auto by_cache = jot::httplib::protect(std::ref(cache), record);
  CHECK(call(by_cache, es256_header.c_str()).response.status == -1);
  CHECK(handled == "user-9");
  CHECK(call(by_cache, es256_header.c_str()).response.status == -1);
  CHECK(fetches == 1);

  // A session manager: its authenticate() refuses a refresh token where an access token belongs.
  handled.clear();
  const auto sessions = jot::session_manager::builder{}
                            .issuer("https://auth.example.com")
                            .access_audience("orders")
                            .client_id("web-app")
                            .access_key(jot::signing_key::generate(jot::algorithm::es256).value())
                            .build()
                            .value();
  const auto pair = sessions.issue_pair("user-7").value();
  const auto by_sessions = jot::httplib::protect(sessions, record);
  const std::string access = "Bearer " + pair.access_token;
  const std::string refresh = "Bearer " + pair.refresh_token;
  CHECK(call(by_sessions, access.c_str()).response.status == -1);
  CHECK(handled == "user-7");
  handled.clear();
  const outcome refused = call(by_sessions, refresh.c_str());
  CHECK(refused.response.status == 401);
  CHECK(refused.response.body == R"({"error":"type_mismatch"})");
  CHECK(handled.empty());
}

namespace {

// An application's own principal, read from the claims by nlohmann's from_json.
struct customer {
  std::string id;
  std::string name;
};
void from_json(const nlohmann::json& j, customer& c) {
  j.at("sub").get_to(c.id);
  j.at("name").get_to(c.name);
}

std::string signed_token(const issuer& idp, const nlohmann::json& extra) {
  jot::claims::builder claims;
  claims.issuer("https://auth.example.com").audience("orders").subject("user-42").expires_in(5min);
  for (const auto& [name, value] : extra.items()) claims.claim(name, value);
  return jot::encoder{idp.key}.sign(claims.build().value()).value();
}

}  // namespace

TEST_CASE(
    "protect<T>() hands the handler the application's type, and refuses claims that do not "
    "fit it") {
  const issuer idp;
  std::string handled;
  const auto handler = jot::httplib::protect<customer>(
      idp.verifier,
      [&handled](const httplib::Request&, httplib::Response&, const customer& who) {
        handled = who.id + "/" + who.name;
      },
      jot::access_requirement{}.all_of_scopes("orders:read"));
  const std::string named =
      "Bearer " + signed_token(idp, {{"name", "Alice"}, {"scope", "orders:read"}});
  CHECK(call(handler, named.c_str()).response.status == -1);
  CHECK(handled == "user-42/Alice");

  // No `name`: the claims are not a customer, 401 whatever the scopes (checked after).
  handled.clear();
  const std::string unnamed = "Bearer " + signed_token(idp, {{"scope", "profile"}});
  const outcome refused = call(handler, unnamed.c_str());
  CHECK(handled.empty());
  CHECK(refused.response.status == 401);
  CHECK(refused.response.get_header_value("WWW-Authenticate")
            .rfind(R"(Bearer error="invalid_token", error_description=)", 0) == 0);
  CHECK(refused.response.body == R"({"error":"invalid_claim_type"})");

  // A customer without the scope: 403.
  const std::string named_no_scope = "Bearer " + signed_token(idp, {{"name", "Alice"}});
  CHECK(call(handler, named_no_scope.c_str()).response.status == 403);
  CHECK(handled.empty());
}

TEST_CASE("protect() checks any-of scope sets against `scope` and `scp`") {
  const issuer idp;
  int calls = 0;
  const auto handler = jot::httplib::protect(
      idp.verifier,
      [&calls](const httplib::Request&, httplib::Response&, const jot::verified_token&) {
        ++calls;
      },
      jot::access_requirement{}.realm("orders").any_of_scopes("orders:read orders:admin"));
  const std::string by_scope = "Bearer " + signed_token(idp, {{"scope", "profile orders:read"}});
  const std::string by_scp = "Bearer " + signed_token(idp, {{"scp", {"profile", "orders:admin"}}});
  CHECK(call(handler, by_scope.c_str()).response.status == -1);
  CHECK(call(handler, by_scp.c_str()).response.status == -1);
  CHECK(calls == 2);

  const std::string neither = "Bearer " + signed_token(idp, {{"scp", {"profile"}}});
  const outcome refused = call(handler, neither.c_str());
  CHECK(calls == 2);
  CHECK(refused.response.status == 403);
  const std::string challenge = refused.response.get_header_value("WWW-Authenticate");
  CHECK(challenge.rfind(R"(Bearer realm="orders", error="insufficient_scope", )", 0) == 0);
  CHECK(challenge.find(R"(scope="orders:read orders:admin")") != std::string::npos);
}

TEST_CASE("protect() under allow_anonymous() admits a request without credentials only") {
  const issuer idp;
  std::vector<std::string> seen;  // one entry per handler call: the subject, or "anonymous"
  const auto handler = jot::httplib::protect(
      idp.verifier,
      [&seen](const httplib::Request&, httplib::Response&, const jot::verified_token* token) {
        seen.push_back(token ? std::string(*token->claims().subject()) : "anonymous");
      },
      jot::access_requirement{}.realm("orders").allow_anonymous());
  CHECK(call(handler, nullptr).response.status == -1);
  CHECK(call(handler, "").response.status == -1);  // an empty field carries no credentials
  const std::string valid = "Bearer " + idp.token("profile");
  CHECK(call(handler, valid.c_str()).response.status == -1);
  CHECK(seen == std::vector<std::string>{"anonymous", "anonymous", "user-42"});

  // Credentials that are there are checked as on any route.
  struct row {
    const char* authorization;
    int status;
    const char* error;
  };
  const row rows[] = {{"Bearer a.b.c", 401, "invalid_base64"},
                      {"Basic dXNlcjpwYXNz", 401, "unsupported_auth_scheme"},
                      {"Bearer two tokens", 400, "malformed_credentials"}};
  for (const row& r : rows) {
    CAPTURE(r.authorization);
    const outcome out = call(handler, r.authorization);
    CHECK(out.response.status == r.status);
    CHECK(out.response.body == std::string(R"({"error":")") + r.error + R"("})");
    CHECK(out.response.get_header_value("WWW-Authenticate").rfind(R"(Bearer realm="orders")", 0) ==
          0);
  }
  httplib::Request two;
  two.headers.emplace("Authorization", valid);
  two.headers.emplace("Authorization", valid);
  httplib::Response response;
  handler(two, response);
  CHECK(response.status == 400);
  CHECK(seen.size() == 3);
}

TEST_CASE("protect() refuses every request when its requirement or handler is misconfigured") {
  const issuer idp;
  int calls = 0;
  const auto count = [&calls](const httplib::Request&, httplib::Response&,
                              const jot::verified_token&) { ++calls; };
  const std::string valid = "Bearer " + idp.token("orders:read");
  // A reference cannot be null: an anonymous route needs the pointer form.
  const auto anonymous_by_reference =
      jot::httplib::protect(idp.verifier, count, jot::access_requirement{}.allow_anonymous());
  // Two spaces: not an RFC 6749 §3.3 scope list. A CR would split the challenge header.
  const auto bad_scopes = jot::httplib::protect(
      idp.verifier, count, jot::access_requirement{}.all_of_scopes("orders:read  orders:write"));
  const auto bad_realm =
      jot::httplib::protect(idp.verifier, count, jot::access_requirement{}.realm("a\r\nb"));
  for (const auto* handler : {&anonymous_by_reference, &bad_scopes, &bad_realm}) {
    for (const char* authorization : {valid.c_str(), static_cast<const char*>(nullptr)}) {
      const outcome out = call(*handler, authorization);
      CHECK(out.response.status == 500);
      CHECK(out.response.body == R"({"error":"invalid_argument"})");
      CHECK_FALSE(out.response.has_header("WWW-Authenticate"));
    }
  }
  CHECK(calls == 0);
}

TEST_CASE("protect() takes generic handlers, the principal by reference") {
  // A generic lambda is asked about the reference form only: asked about a pointer, its body
  // would be instantiated with one and fail to compile.
  const issuer idp;
  std::string handled;
  const auto handler =
      jot::httplib::protect(idp.verifier, [&handled](const auto&, auto& res, const auto& token) {
        handled = *token.claims().subject();
        res.status = 204;
      });
  const std::string valid = "Bearer " + idp.token("profile");
  CHECK(call(handler, valid.c_str()).response.status == 204);
  CHECK(handled == "user-42");
}
