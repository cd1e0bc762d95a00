#pragma once

// The session stores of the demo servers, chosen in one place: memory ones when the auth server
// runs alone, or Redis ones (`--redis URL`) that the auth server and every microservice share, so
// that a logout through the auth server is refused by every service at once.

#include <iostream>
#include <optional>
#include <string>

#include <jot/jot.hpp>
#include <jot/session.hpp>
#ifdef JOT_DEMO_WITH_REDIS
#include <jot/redis/redis.hpp>
#endif

namespace demo {

// Memory stores for an empty `redis_url`; else the jot::redis stores on that server, once it
// answers. nullopt (after saying why on stderr) when the URL is wrong, the server does not answer
// or this build has no jot::redis.
inline std::optional<jot::session_stores> session_stores_for(const std::string& redis_url) {
  if (redis_url.empty()) {
    return jot::session_stores{std::make_shared<jot::memory_revocation_store>(),
                               std::make_shared<jot::memory_token_version_store>(),
                               std::make_shared<jot::memory_refresh_family_store>()};
  }
#ifdef JOT_DEMO_WITH_REDIS
  const auto options = jot::redis::parse_url(redis_url);
  if (!options) {
    std::cerr << "--redis: " << options.error().message() << "\n";
    return std::nullopt;
  }
  const auto client = jot::redis::make_client(*options);
  if (const auto answered = client->health_check(); !answered) {
    std::cerr << "--redis: " << answered.error().message() << "\n";
    return std::nullopt;
  }
  return jot::redis::make_stores(client);
#else
  std::cerr << "--redis: this build has no jot::redis (Debian: libhiredis-dev, pkg-config)\n";
  return std::nullopt;
#endif
}

}  // namespace demo
