// The asynchronous Boost.Beast example (examples/beast_server) as a client sees it: started as a
// child process on a free loopback port, driven over real sockets through the demo's flow (log
// in, call the protected routes, refresh, log out), with every refusal checked whole.
#include <string>

#include <nlohmann/json.hpp>

#include "beast_support.hpp"
#include "catch.hpp"
#include "web/server_process.hpp"

namespace {

namespace http = boost::beast::http;
using jot_test::beast_request;
using jot_test::beast_response;

struct beast_demo {
  jot_test::server_process process{{JOT_BEAST_SERVER}};
  unsigned short port = static_cast<unsigned short>(
      std::stoi(process.origin().substr(process.origin().rfind(':') + 1)));

  beast_response send(const beast_request& request) {
    return jot_test::beast_client(port).send(request);
  }

  // The body of a successful login, and the refresh cookie it set ("__Secure-refresh=...").
  struct session {
    std::string access_token;
    std::string cookie;
  };
  session login(const char* user, const char* password) {
    auto request = jot_test::make_request(http::verb::post, "/login");
    request.set(http::field::content_type, "application/json");
    request.body() = nlohmann::json{{"username", user}, {"password", password}}.dump();
    const beast_response response = send(request);
    REQUIRE(response.result_int() == 200);
    return tokens_of(response);
  }

  static session tokens_of(const beast_response& response) {
    const auto body = nlohmann::json::parse(response.body());
    const std::string set_cookie = jot_test::field_of(response, http::field::set_cookie);
    return {body.at("access_token").get<std::string>(), set_cookie.substr(0, set_cookie.find(';'))};
  }

  beast_response get(const char* target, const std::string& access_token) {
    const std::string authorization = "Bearer " + access_token;
    return send(jot_test::make_request(http::verb::get, target, {authorization}));
  }

  // A same-origin request to a cookie endpoint, as the browser sends it.
  beast_response post_cookie(const char* target, const std::string& cookie,
                             bool same_origin = true) {
    auto request = jot_test::make_request(http::verb::post, target);
    if (same_origin) request.set(http::field::origin, process.origin());
    request.set(http::field::cookie, cookie);
    return send(request);
  }
};

}  // namespace

TEST_CASE("The Beast example protects its routes with typed principals and scope sets", "[beast]") {
  beast_demo demo;
  const auto alice = demo.login("alice", "wonderland");
  const auto bob = demo.login("bob", "builder");

  const beast_response orders = demo.get("/orders", alice.access_token);
  CHECK(orders.result_int() == 200);
  CHECK(nlohmann::json::parse(orders.body()) ==
        nlohmann::json{{"user", "alice"},
                       {"scope", "profile orders:read"},
                       {"orders", nlohmann::json::array()}});

  // Bob has neither orders:read nor orders:admin.
  const beast_response refused = demo.get("/orders", bob.access_token);
  CHECK(refused.result_int() == 403);
  CHECK(jot_test::field_of(refused, http::field::www_authenticate) ==
        R"(Bearer realm=")" + demo.process.origin() +
            R"(", error="insufficient_scope", error_description="the token lacks a scope the )"
            R"(request needs", scope="orders:read orders:admin")" +
            R"(, DPoP realm=")" + demo.process.origin() + R"(", algs="ES256")");
  CHECK(refused.body() == R"({"error":"insufficient_scope"})");
  CHECK(jot_test::field_of(refused, http::field::cache_control) == "no-store");

  // /greeting admits anyone, but refuses a token that is there and bad.
  const auto greeting = [&demo](const beast_response& response) {
    return nlohmann::json::parse(response.body()).at("greeting").get<std::string>();
  };
  CHECK(greeting(demo.send(jot_test::make_request(http::verb::get, "/greeting"))) ==
        "hello, guest");
  CHECK(greeting(demo.get("/greeting", bob.access_token)) == "hello, bob");
  // Alice's claims under Bob's signature.
  const std::string forged_token = alice.access_token.substr(0, alice.access_token.rfind('.')) +
                                   bob.access_token.substr(bob.access_token.rfind('.'));
  const beast_response forged = demo.get("/greeting", forged_token);
  CHECK(forged.result_int() == 401);
  CHECK(forged.body() == R"({"error":"invalid_signature"})");
  CHECK(demo.send(jot_test::make_request(http::verb::get, "/orders")).result_int() == 401);
  CHECK(demo.send(jot_test::make_request(http::verb::get, "/nowhere")).result_int() == 404);
}

TEST_CASE("The Beast example logs in, refreshes and logs out with the refresh cookie", "[beast]") {
  beast_demo demo;
  auto request = jot_test::make_request(http::verb::post, "/login");
  request.set(http::field::content_type, "application/json");
  request.body() = R"({"username":"alice","password":"not her password"})";
  const beast_response wrong = demo.send(request);
  CHECK(wrong.result_int() == 401);
  CHECK(wrong.body() == R"({"error":"invalid_grant"})");
  request.set(http::field::content_type, "text/plain");  // not a CORS-safe cross-site form
  request.body() = R"({"username":"alice","password":"wonderland"})";
  CHECK(demo.send(request).result_int() == 400);

  const auto first = demo.login("alice", "wonderland");
  CHECK(first.cookie.rfind("__Secure-refresh=", 0) == 0);

  // A cross-site request is refused before the cookie is read.
  const beast_response cross_site = demo.post_cookie("/auth/refresh", first.cookie, false);
  CHECK(cross_site.result_int() == 403);
  CHECK(cross_site.body() == R"({"error":"cross_site_request"})");

  const beast_response refreshed = demo.post_cookie("/auth/refresh", first.cookie);
  REQUIRE(refreshed.result_int() == 200);
  const auto second = beast_demo::tokens_of(refreshed);
  CHECK(second.cookie != first.cookie);
  CHECK(second.access_token != first.access_token);
  CHECK(demo.get("/orders", second.access_token).result_int() == 200);

  const beast_response logged_out = demo.post_cookie("/auth/logout", second.cookie);
  CHECK(logged_out.result_int() == 200);
  CHECK(jot_test::field_of(logged_out, http::field::set_cookie).rfind("__Secure-refresh=;", 0) ==
        0);
  // The session is over: its cookie no longer refreshes, and its access token no longer passes.
  const beast_response after = demo.post_cookie("/auth/refresh", second.cookie);
  CHECK(after.result_int() == 401);
  CHECK(demo.get("/orders", second.access_token).result_int() == 401);
}

TEST_CASE("The Beast example answers several requests on one kept-alive connection", "[beast]") {
  beast_demo demo;
  jot_test::beast_client client(demo.port);
  for (int i = 0; i < 3; ++i) {
    const beast_response response =
        client.send(jot_test::make_request(http::verb::get, "/greeting"));
    CHECK(response.result_int() == 200);
    CHECK(response.keep_alive());
  }
}
