// jot::httplib::protect and write_error without a network: the wrapped handler is called with a
// request built here, as cpp-httplib's server would call it after routing.
#include <jot/http/httplib.hpp>

#include <chrono>
#include <string>

#include <jot/jot.hpp>

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
      {"orders", "orders:read"});
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

TEST_CASE("protect() hands the verified token to the handler") {
  const issuer idp;
  std::string handled;
  const auto handler = jot::httplib::protect(
      [&idp](std::string_view token) { return idp.verifier.verify(token); },
      [&handled](const httplib::Request&, httplib::Response&, const jot::verified_token& t) {
        handled = *t.claims().subject();
      },
      {"orders", "orders:read"});
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
