// Sessions shared by every process of a deployment: the session manager on Redis (jot::redis).
// Two managers stand for two services; what one revokes, the other refuses at once.
//
// Runs against the server in JOT_REDIS_URL (redis://host:port/db or unix:///path.sock?db=N; set
// JOT_REDIS_CLUSTER=1 when it is a node of a Redis Cluster). Without it, it says how to start one
// and exits 0.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <jot/jot.hpp>
#include <jot/redis/redis.hpp>
#include <jot/session.hpp>

namespace {

jot::session_manager service(const jot::session_stores& stores, const jot::signing_key& key) {
  return jot::session_manager::builder{}
      .issuer("https://auth.example.com")
      .access_audience("https://api.example.com")
      .client_id("web-app")
      .access_key(key)
      .stores(stores)
      .build()
      .value();
}

}  // namespace

int main() {
  const char* url = std::getenv("JOT_REDIS_URL");
  if (url == nullptr || *url == '\0') {
    std::cout << "JOT_REDIS_URL is not set; start a server and run again:\n"
                 "  redis-server --port 6390 --save '' &\n"
                 "  JOT_REDIS_URL=redis://127.0.0.1:6390 ./redis_sessions\n";
    return 0;
  }
  auto options = jot::redis::parse_url(url);
  if (!options) {
    std::cerr << "JOT_REDIS_URL: " << options.error().message() << "\n";
    return 1;
  }
  const char* cluster = std::getenv("JOT_REDIS_CLUSTER");
  const auto client = jot::redis::make_client(*options, cluster && std::string(cluster) == "1");
  if (auto answered = client->health_check(); !answered) {
    std::cerr << "redis: " << answered.error().message() << "\n";
    return 1;
  }

  // A prefix of its own, so that the example never touches anyone else's keys.
  jot::redis::store_options store_options;
  store_options.key_prefix =
      "jot-example:" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) +
      ":";
  const auto stores = jot::redis::make_stores(client, store_options);
  const auto key = jot::signing_key::generate(jot::algorithm::es256).value();
  const auto login_service = service(stores, key);
  const auto api_service = service(stores, key);

  const auto pair = login_service.issue_pair("user-42").value();
  std::cout << "api accepts the access token: "
            << (api_service.authenticate(pair.access_token) ? "yes" : "no") << "\n";

  // Any service can refresh; the token is spent for all of them. Presented again after the next
  // rotation (past the reuse interval that lets a client retry a refresh), it is a reuse.
  const auto next = api_service.refresh(pair.refresh_token).value();
  login_service.refresh(next.refresh_token).value();
  std::cout << "the spent refresh token again: "
            << login_service.refresh(pair.refresh_token).error().message() << "\n";

  const auto second = login_service.issue_pair("user-42").value();
  login_service.logout_everywhere("user-42").value();
  std::cout << "after logout everywhere: "
            << api_service.authenticate(second.access_token).error().message() << "\n";
  return 0;
}
