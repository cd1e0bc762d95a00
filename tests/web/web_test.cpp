// HTTP-level tests of the web demo (examples/web_app) and the microservice that trusts it
// (examples/microservice), each started as a child process on a free loopback port, spoken to
// with cpp-httplib's client. The demo runs with --testing, whose endpoints move its clock (an
// expired token without sleeping) and rotate its signing key.
#include <httplib.h>

#include <string>

#include <jot/http.hpp>
#include <jot/jot.hpp>

#include "catch.hpp"
#include "server_process.hpp"
#ifdef JOT_WEB_TESTS_WITH_REDIS
#include "redis/redis_servers.hpp"
#endif

namespace {

using jot_test::server_process;

// One HTTP exchange's outcome, copied out of the client's result.
struct answer {
  int status = 0;
  std::string body;
  httplib::Headers headers;

  std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
  std::string error() const { return nlohmann::json::parse(body).value("error", ""); }
};

answer answer_of(const httplib::Result& result) {
  REQUIRE(result);
  return {result->status, result->body, result->headers};
}

class client {
 public:
  explicit client(const std::string& origin) : http_(origin) {}

  answer get(const std::string& path, const httplib::Headers& headers = {}) {
    return answer_of(http_.Get(path.c_str(), headers));
  }
  answer post(const std::string& path, const httplib::Headers& headers = {},
              const std::string& body = "", const char* content_type = "application/json") {
    return answer_of(http_.Post(path.c_str(), headers, body, content_type));
  }
  answer get_with_token(const std::string& path, const std::string& access_token) {
    return get(path, {{"Authorization", "Bearer " + access_token}});
  }

 private:
  httplib::Client http_;
};

struct session {
  std::string access_token;
  std::string refresh_cookie;  // "__Secure-refresh=<token>", as a browser sends it back
};

// The "name=value" part of a Set-Cookie value.
std::string cookie_pair(const std::string& set_cookie) {
  return set_cookie.substr(0, set_cookie.find(';'));
}

session login(client& http, const std::string& user, const std::string& password) {
  const answer reply =
      http.post("/login", {}, nlohmann::json{{"username", user}, {"password", password}}.dump());
  REQUIRE(reply.status == 200);
  const auto body = nlohmann::json::parse(reply.body);
  return {body.at("access_token").get<std::string>(), cookie_pair(reply.header("Set-Cookie"))};
}

// A cookie endpoint called as the demo page calls it: same origin, with the cookie.
answer post_with_cookie(client& http, const server_process& server, const std::string& path,
                        const std::string& cookie) {
  return http.post(path, {{"Origin", server.origin()}, {"Cookie", cookie}});
}

server_process start_web_app() { return server_process({JOT_WEB_APP, "--testing"}); }

}  // namespace

TEST_CASE("A login answers a Bearer token and sets the refresh cookie HttpOnly on /auth only") {
  server_process server = start_web_app();
  client http(server.origin());
  const answer reply = http.post("/login", {}, R"({"username":"alice","password":"wonderland"})");
  REQUIRE(reply.status == 200);
  const auto body = nlohmann::json::parse(reply.body);
  CHECK(body.at("token_type") == "Bearer");
  CHECK(body.at("expires_in").get<int>() > 0);
  CHECK(body.at("expires_in").get<int>() <= 300);
  CHECK(reply.header("Cache-Control") == "no-store");
  const std::string cookie = reply.header("Set-Cookie");
  CHECK(cookie.rfind("__Secure-refresh=", 0) == 0);
  for (const char* attribute : {"; Path=/auth;", "; Secure", "; HttpOnly", "; SameSite=Strict"}) {
    CHECK(cookie.find(attribute) != std::string::npos);
  }
  // The refresh token is the cookie's alone: the body gives the page only the access token.
  CHECK(reply.body.find(cookie_pair(cookie).substr(17)) == std::string::npos);
}

TEST_CASE("A wrong password, an unknown user and a form post are refused") {
  server_process server = start_web_app();
  client http(server.origin());
  const answer wrong = http.post("/login", {}, R"({"username":"alice","password":"Wonderland"})");
  CHECK(wrong.status == 401);
  CHECK(wrong.error() == "invalid_grant");
  CHECK(wrong.header("Set-Cookie").empty());
  CHECK(http.post("/login", {}, R"({"username":"mallory","password":"wonderland"})").status == 401);
  const answer form = http.post("/login", {}, "username=alice&password=wonderland",
                                "application/x-www-form-urlencoded");
  CHECK(form.status == 400);
  CHECK(form.error() == "invalid_request");
}

TEST_CASE("GET /me answers RFC 6750 challenges for a missing, malformed or expired token") {
  server_process server = start_web_app();
  client http(server.origin());
  const session alice = login(http, "alice", "wonderland");

  const answer with_token = http.get_with_token("/me", alice.access_token);
  REQUIRE(with_token.status == 200);
  CHECK(nlohmann::json::parse(with_token.body).at("sub") == "alice");

  // §3.1: no credentials, no error code in the challenge.
  const answer without = http.get("/me");
  CHECK(without.status == 401);
  // The demo takes DPoP-bound tokens too: both schemes are offered (RFC 9449 §7.1).
  CHECK(without.header("WWW-Authenticate") == "Bearer realm=\"" + server.origin() +
                                                  "\", DPoP realm=\"" + server.origin() +
                                                  "\", algs=\"ES256\"");
  CHECK(without.error() == "missing_credentials");

  const answer malformed = http.get("/me", {{"Authorization", "Bearer two tokens"}});
  CHECK(malformed.status == 400);
  CHECK(malformed.header("WWW-Authenticate").find("error=\"invalid_request\"") !=
        std::string::npos);

  // Two Authorization headers, both genuine: one set of credentials per request.
  const answer twice = http.get("/me", {{"Authorization", "Bearer " + alice.access_token},
                                        {"Authorization", "Bearer " + alice.access_token}});
  CHECK(twice.status == 400);
  CHECK(twice.error() == "malformed_credentials");

  const answer tampered = http.get_with_token("/me", alice.access_token + "A");
  CHECK(tampered.status == 401);
  CHECK(tampered.header("WWW-Authenticate").find("error=\"invalid_token\"") != std::string::npos);

  // Past the 5-minute lifetime, on the server's clock.
  REQUIRE(http.post("/testing/advance-clock", {}, R"({"seconds":600})").status == 200);
  const answer expired = http.get_with_token("/me", alice.access_token);
  CHECK(expired.status == 401);
  CHECK(expired.error() == "token_expired");
  CHECK(expired.header("WWW-Authenticate").find("error=\"invalid_token\"") != std::string::npos);
  // No answer echoes the token.
  CHECK(expired.body.find(alice.access_token) == std::string::npos);
  CHECK(expired.header("WWW-Authenticate").find(alice.access_token) == std::string::npos);
}

TEST_CASE(
    "Refresh rotates the cookie; a retry gets the same one, a later replay ends the session") {
  server_process server = start_web_app();
  client http(server.origin());
  const session alice = login(http, "alice", "wonderland");

  const answer rotated = post_with_cookie(http, server, "/auth/refresh", alice.refresh_cookie);
  REQUIRE(rotated.status == 200);
  const std::string next_cookie = cookie_pair(rotated.header("Set-Cookie"));
  CHECK(next_cookie != alice.refresh_cookie);
  const std::string next_access =
      nlohmann::json::parse(rotated.body).at("access_token").get<std::string>();
  CHECK(http.get_with_token("/me", next_access).status == 200);

  // The spent cookie again at once: a retry (the browser lost the answer), which gets the same
  // cookie inside the reuse interval.
  const answer retried = post_with_cookie(http, server, "/auth/refresh", alice.refresh_cookie);
  REQUIRE(retried.status == 200);
  CHECK(cookie_pair(retried.header("Set-Cookie")) == next_cookie);

  // The spent cookie again after the interval: someone holds a copy (RFC 9700 §4.14.2).
  REQUIRE(http.post("/testing/advance-clock", {}, R"({"seconds":60})").status == 200);
  const answer reused = post_with_cookie(http, server, "/auth/refresh", alice.refresh_cookie);
  CHECK(reused.status == 401);
  CHECK(reused.error() == "refresh_token_reused");
  CHECK(reused.header("Set-Cookie").find("Max-Age=0") != std::string::npos);
  // The whole family is gone: the owner's current cookie and access token too.
  CHECK(post_with_cookie(http, server, "/auth/refresh", next_cookie).status == 401);
  CHECK(http.get_with_token("/me", next_access).status == 401);
}

TEST_CASE("The page and its script and style are served with a CSP that allows only them") {
  server_process server = start_web_app();
  client http(server.origin());
  const answer page = http.get("/");
  REQUIRE(page.status == 200);
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.body.find(R"(<script src="/app.js")") != std::string::npos);
  CHECK(page.body.find(R"(<link rel="stylesheet" href="/style.css">)") != std::string::npos);
  // No inline script or style: the policy needs no 'unsafe-inline'.
  const std::string policy = page.header("Content-Security-Policy");
  CHECK(policy.find("script-src 'self';") != std::string::npos);
  CHECK(policy.find("style-src 'self';") != std::string::npos);
  CHECK(policy.find("unsafe-inline") == std::string::npos);
  const answer script = http.get("/app.js");
  REQUIRE(script.status == 200);
  CHECK(script.header("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(script.body.find("'/auth/refresh'") != std::string::npos);
  const answer style = http.get("/style.css");
  REQUIRE(style.status == 200);
  CHECK(style.header("Content-Type") == "text/css; charset=utf-8");
  // The routes are the file names, not patterns that match more.
  CHECK(http.get("/appXjs").status == 404);
}

TEST_CASE("Logout revokes the session and clears the cookie") {
  server_process server = start_web_app();
  client http(server.origin());
  const session alice = login(http, "alice", "wonderland");
  const session other_device = login(http, "alice", "wonderland");

  const answer logout = post_with_cookie(http, server, "/auth/logout", alice.refresh_cookie);
  REQUIRE(logout.status == 200);
  CHECK(logout.header("Set-Cookie") ==
        "__Secure-refresh=; Path=/auth; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
  const answer refresh = post_with_cookie(http, server, "/auth/refresh", alice.refresh_cookie);
  CHECK(refresh.status == 401);
  CHECK(refresh.error() == "token_revoked");
  CHECK(http.get_with_token("/me", alice.access_token).status == 401);
  // Another session of the same user is untouched.
  CHECK(http.get_with_token("/me", other_device.access_token).status == 200);
}

TEST_CASE("Logout everywhere bumps the token version: every session of the user ends") {
  server_process server = start_web_app();
  client http(server.origin());
  const session laptop = login(http, "alice", "wonderland");
  const session phone = login(http, "alice", "wonderland");
  const session bob = login(http, "bob", "builder");

  // Bearer only: no token, no bump (and the cookie alone is not enough).
  const answer anonymous =
      post_with_cookie(http, server, "/auth/logout-everywhere", laptop.refresh_cookie);
  CHECK(anonymous.status == 401);
  CHECK(anonymous.error() == "missing_credentials");
  CHECK(http.get_with_token("/me", phone.access_token).status == 200);

  const answer everywhere =
      http.post("/auth/logout-everywhere", {{"Authorization", "Bearer " + laptop.access_token}});
  REQUIRE(everywhere.status == 200);
  CHECK(nlohmann::json::parse(everywhere.body).at("token_version") == 1);
  CHECK(everywhere.header("Set-Cookie") ==
        "__Secure-refresh=; Path=/auth; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
  for (const session* device : {&laptop, &phone}) {
    const answer me = http.get_with_token("/me", device->access_token);
    CHECK(me.status == 401);
    CHECK(me.error() == "token_version_mismatch");
    const answer refresh = post_with_cookie(http, server, "/auth/refresh", device->refresh_cookie);
    CHECK(refresh.status == 401);
    CHECK(refresh.error() == "token_version_mismatch");
  }
  // Another user keeps their session, and alice can log in again.
  CHECK(http.get_with_token("/me", bob.access_token).status == 200);
  CHECK(http.get_with_token("/me", login(http, "alice", "wonderland").access_token).status == 200);
}

// The page's stolen-token scenario: the server replays the refresh token it set at login.
TEST_CASE("The stolen copy replayed after two rotations ends the session as a reuse") {
  server_process server = start_web_app();
  client http(server.origin());
  const session alice = login(http, "alice", "wonderland");
  session current = alice;
  for (int rotation = 0; rotation < 2; ++rotation) {
    const answer rotated = post_with_cookie(http, server, "/auth/refresh", current.refresh_cookie);
    REQUIRE(rotated.status == 200);
    current = {nlohmann::json::parse(rotated.body).at("access_token").get<std::string>(),
               cookie_pair(rotated.header("Set-Cookie"))};
  }
  const httplib::Headers bearer{{"Authorization", "Bearer " + current.access_token}};
  const answer thief = http.post("/demo/replay-stolen-refresh", bearer);
  CHECK(thief.status == 401);
  CHECK(thief.error() == "refresh_token_reused");
  CHECK(thief.header("Set-Cookie").empty());  // the thief's answer, not the owner's cookie
  // The owner's current tokens are refused: the whole session has ended.
  CHECK(http.get_with_token("/me", current.access_token).error() == "token_revoked");
  const answer owner = post_with_cookie(http, server, "/auth/refresh", current.refresh_cookie);
  CHECK(owner.status == 401);
  CHECK(owner.error() == "token_revoked");
}

// Why the page refreshes twice first: the token spent by the last rotation is a retry.
TEST_CASE("The stolen copy replayed after one rotation, inside the reuse interval, is a retry") {
  server_process server = start_web_app();
  client http(server.origin());
  const session alice = login(http, "alice", "wonderland");
  const answer rotated = post_with_cookie(http, server, "/auth/refresh", alice.refresh_cookie);
  REQUIRE(rotated.status == 200);
  const std::string access =
      nlohmann::json::parse(rotated.body).at("access_token").get<std::string>();
  const httplib::Headers bearer{{"Authorization", "Bearer " + access}};
  const answer thief = http.post("/demo/replay-stolen-refresh", bearer);
  CHECK(thief.status == 200);
  CHECK(nlohmann::json::parse(thief.body).at("thief_refreshed") == true);
  CHECK(thief.body.find("access_token") == std::string::npos);
  CHECK(http.get_with_token("/me", access).status == 200);
  // The copy is handed out once.
  const answer again = http.post("/demo/replay-stolen-refresh", bearer);
  CHECK(again.status == 404);
  CHECK(again.error() == "no_stolen_copy");
  CHECK(http.post("/demo/replay-stolen-refresh").error() == "missing_credentials");
}

TEST_CASE("Logout clears the cookie on a refusal too") {
  server_process server = start_web_app();
  client http(server.origin());
  const session alice = login(http, "alice", "wonderland");
  const std::string cleared =
      "__Secure-refresh=; Path=/auth; Max-Age=0; Secure; HttpOnly; SameSite=Strict";

  struct row {
    const char* what;
    httplib::Headers headers;
    int status;
    const char* error;
  };
  const std::string origin = server.origin();
  const row rows[] = {
      {"cross-site",
       {{"Origin", "http://evil.example"}, {"Cookie", alice.refresh_cookie}},
       403,
       "cross_site_request"},
      {"no Origin nor Sec-Fetch-Site",
       {{"Cookie", alice.refresh_cookie}},
       403,
       "cross_site_request"},
      {"no cookie", {{"Origin", origin}}, 401, "missing_credentials"},
      {"a malformed cookie",
       {{"Origin", origin}, {"Cookie", "__Secure-refresh=a b"}},
       400,
       "malformed_cookie"},
      {"a tossed cookie beside the real one",
       {{"Origin", origin}, {"Cookie", "__Secure-refresh=planted; " + alice.refresh_cookie}},
       400,
       "malformed_cookie"},
      {"a forged refresh token",
       {{"Origin", origin}, {"Cookie", alice.refresh_cookie + "A"}},
       401,
       "invalid_signature"},
      {"not a token",
       {{"Origin", origin}, {"Cookie", "__Secure-refresh=garbage"}},
       401,
       "malformed_token"},
  };
  for (const row& r : rows) {
    CAPTURE(r.what);
    const answer refused = http.post("/auth/logout", r.headers);
    CHECK(refused.status == r.status);
    CHECK(refused.error() == r.error);
    CHECK(refused.header("Set-Cookie") == cleared);
  }
  // None of the refusals ended the session: the cookie still refreshes.
  CHECK(post_with_cookie(http, server, "/auth/refresh", alice.refresh_cookie).status == 200);
}

TEST_CASE("A cross-site request to a cookie endpoint is 403, whatever cookie it carries") {
  server_process server = start_web_app();
  client http(server.origin());
  const session alice = login(http, "alice", "wonderland");

  const auto cross_site = [&](httplib::Headers headers) {
    headers.emplace("Cookie", alice.refresh_cookie);
    const answer reply = http.post("/auth/refresh", headers);
    CHECK(reply.status == 403);
    CHECK(reply.error() == "cross_site_request");
  };
  cross_site({{"Origin", "http://evil.example"}});
  cross_site({{"Origin", "null"}});
  cross_site({{"Sec-Fetch-Site", "cross-site"}});
  cross_site({});  // neither header: not a browser's same-origin request
  // The refusals spent nothing: the page's own request still works.
  const answer same_origin = http.post(
      "/auth/refresh", {{"Sec-Fetch-Site", "same-origin"}, {"Cookie", alice.refresh_cookie}});
  CHECK(same_origin.status == 200);
  // The same server opened as localhost.
  const std::string localhost = "http://localhost" + server.origin().substr(16);
  const std::string next_cookie = cookie_pair(same_origin.header("Set-Cookie"));
  CHECK(http.post("/auth/refresh", {{"Origin", localhost}, {"Cookie", next_cookie}}).status == 200);
}

TEST_CASE("A cookie endpoint refuses two Cookie fields, as it refuses a cookie named twice") {
  server_process server = start_web_app();
  client http(server.origin());
  const session alice = login(http, "alice", "wonderland");
  // A user agent sends one Cookie field (RFC 6265 §5.4): a second one is not the browser's.
  const answer refused = http.post("/auth/refresh", {{"Origin", server.origin()},
                                                     {"Cookie", alice.refresh_cookie},
                                                     {"Cookie", "__Secure-refresh=planted"}});
  CHECK(refused.status == 400);
  CHECK(refused.error() == "malformed_cookie");
  // The refusal spent nothing: the cookie alone still refreshes.
  CHECK(post_with_cookie(http, server, "/auth/refresh", alice.refresh_cookie).status == 200);
}

TEST_CASE("The microservice verifies with the published JWKS and follows a key rotation") {
  server_process auth = start_web_app();
  client http(auth.origin());
  server_process orders({JOT_MICROSERVICE, "--auth", auth.origin(), "--refetch-cooldown", "0"});
  client service(orders.origin());

  const session before = login(http, "alice", "wonderland");
  const answer first = service.get_with_token("/orders", before.access_token);
  REQUIRE(first.status == 200);
  CHECK(nlohmann::json::parse(first.body).at("kid") == "access-1");

  REQUIRE(http.post("/testing/rotate-keys").status == 200);
  const session after = login(http, "alice", "wonderland");
  const answer rotated = service.get_with_token("/orders", after.access_token);
  REQUIRE(rotated.status == 200);
  CHECK(nlohmann::json::parse(rotated.body).at("kid") == "access-2");
  // The retired key stays published until its tokens expire.
  CHECK(service.get_with_token("/orders", before.access_token).status == 200);

  // Authentic but without the orders:read scope: 403 with the scope in the challenge.
  const answer bob = service.get_with_token("/orders", login(http, "bob", "builder").access_token);
  CHECK(bob.status == 403);
  CHECK(bob.header("WWW-Authenticate").find("error=\"insufficient_scope\"") != std::string::npos);
  CHECK(bob.header("WWW-Authenticate").find("scope=\"orders:read\"") != std::string::npos);
  CHECK(service.get("/orders").status == 401);
}

#ifdef JOT_WEB_TESTS_WITH_REDIS
TEST_CASE("Services sharing Redis with the auth server refuse a logged-out token at once") {
  jot_redis_test::redis_server redis;
  server_process auth({JOT_WEB_APP, "--redis", redis.url()});
  client http(auth.origin());
  server_process first({JOT_MICROSERVICE, "--auth", auth.origin(), "--redis", redis.url()});
  server_process second({JOT_MICROSERVICE, "--auth", auth.origin(), "--redis", redis.url()});
  client services[] = {client(first.origin()), client(second.origin())};

  const session alice = login(http, "alice", "wonderland");
  const session other_device = login(http, "alice", "wonderland");
  for (client& service : services) {
    REQUIRE(service.get_with_token("/orders", alice.access_token).status == 200);
  }
  REQUIRE(post_with_cookie(http, auth, "/auth/logout", alice.refresh_cookie).status == 200);
  for (client& service : services) {
    const answer refused = service.get_with_token("/orders", alice.access_token);
    CHECK(refused.status == 401);
    CHECK(refused.error() == "token_revoked");
    CHECK(service.get_with_token("/orders", other_device.access_token).status == 200);
  }
  // The auth server itself, a third reader of the same stores, agrees.
  CHECK(http.get_with_token("/me", alice.access_token).error() == "token_revoked");
}
#endif
