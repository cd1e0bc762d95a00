// A resource service behind the demo auth server (examples/web_app): it holds no key of its own,
// fetches the auth server's public keys (JWKS) over HTTP and verifies every access token
// locally. The auth service signs; every other service verifies with the public key.
//
//   microservice --auth http://127.0.0.1:8080 [--port N] [--redis URL]
//                [--refetch-cooldown SECONDS]
//
// GET /orders needs a token with the `orders:read` scope: alice's, not bob's (403). A token
// signed by a key the service has not seen yet (the auth server rotated) makes it fetch the JWKS
// again, at most once per cooldown (default 30 s). Without --redis it checks signatures and
// claims only: a logout reaches it when the access token expires (minutes). With the auth
// server's --redis URL it also checks the shared stores on every request (blocklist, token
// version, session), so a logout through the auth server is refused here at once.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>

#include <jot/http/httplib.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

#include "../web_common/auth_flow.hpp"  // the auth server's token flow, for its audience only
#include "../web_common/loopback.hpp"
#include "../web_common/session_stores.hpp"

namespace {

constexpr const char* usage =
    "usage: microservice --auth http://127.0.0.1:PORT [--port N] [--redis URL] "
    "[--refetch-cooldown SECONDS]\n";

// jwks_cache's fetch: one GET, any failure keys_unavailable (the cache then keeps its last set).
jot::result<std::string> fetch_jwks(const std::string& auth_origin) {
  httplib::Client client(auth_origin);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  const auto response = client.Get("/.well-known/jwks.json");
  if (!response || response->status != 200) return jot::errc::keys_unavailable;
  return response->body;
}

}  // namespace

int main(int argc, char** argv) {
  std::string auth_origin;
  int port = 8081;
  long cooldown_seconds = 30;
  std::string redis_url;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--auth") == 0 && has_value) {
      auth_origin = argv[++i];
    } else if (std::strcmp(argv[i], "--port") == 0 && has_value && demo::parse_port(argv[i + 1])) {
      port = *demo::parse_port(argv[++i]);
    } else if (std::strcmp(argv[i], "--redis") == 0 && has_value) {
      redis_url = argv[++i];
    } else if (std::strcmp(argv[i], "--refetch-cooldown") == 0 && has_value) {
      cooldown_seconds = std::strtol(argv[++i], nullptr, 10);
    } else {
      std::cerr << usage;
      return 2;
    }
  }
  if (auth_origin.empty() || cooldown_seconds < 0) {
    std::cerr << usage;
    return 2;
  }

  // The auth server's origin is its issuer, and the audience is the one its flow gives the API's
  // tokens (auth_flow.hpp). Every RFC 9068 access token names its client (§2.2); an API serves
  // any client, so any value passes.
  jot::validator::builder rules;
  rules.expect_issuer(auth_origin)
      .expect_audience(demo::auth_flow::access_audience)
      .expect_type("at+jwt")
      .expect_claim("client_id");
  if (!redis_url.empty()) {
    const auto stores = demo::session_stores_for(redis_url);
    if (!stores) return 1;
    rules.expect_that(jot::not_revoked(stores->revocations))
        .expect_that(jot::current_token_version(stores->versions))
        .expect_that(jot::active_session(stores->families));
  }
  auto policy = rules.build();
  if (!policy) {
    std::cerr << "microservice: " << policy.error().message() << "\n";
    return 1;
  }
  jot::jwks_cache_options options;
  options.cooldown = std::chrono::seconds(cooldown_seconds);
  jot::jwks_cache keys([auth_origin] { return fetch_jwks(auth_origin); }, *policy, options);

  httplib::Server server;
  const auto origin = demo::bind_loopback(server, port);
  if (!origin) {
    std::cerr << "microservice: cannot listen on " << demo::loopback_host << ":" << port << "\n";
    return 1;
  }
  // The route's own code runs only for a verified token with the scope.
  const auto list_orders = [](const httplib::Request&, httplib::Response& res,
                              const jot::verified_token& token) {
    nlohmann::json body{{"service", "orders"},
                        {"sub", *token.claims().subject()},
                        {"kid", token.key_id().value_or("")},
                        {"orders", nlohmann::json::array()}};
    res.set_content(body.dump(), "application/json");
  };
  // The cache by reference: it refreshes itself, so every request must see the one instance.
  const auto orders_read = jot::access_requirement{}.realm(*origin).all_of_scopes("orders:read");
  server.Get("/orders", jot::httplib::protect(std::ref(keys), list_orders, orders_read));
  return demo::serve(server, *origin);
}
