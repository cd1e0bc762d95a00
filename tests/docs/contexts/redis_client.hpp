// Context: a Redis client (jot::redis::make_client) and the session manager builder that the
// stores are for (docs/sessions.md).
// doc-test: requires=redis
#include <chrono>
#include <memory>

#include <jot/redis/redis.hpp>
#include <jot/session.hpp>

void fragment([[maybe_unused]] const std::shared_ptr<jot::redis::client>& client,
              [[maybe_unused]] jot::session_manager::builder& builder) {
  // doc-test: fragment
}
