// Context: a resource server that checks DPoP proofs (docs/dpop.md): the Redis client its replay
// store uses, the request as its HTTP layer saw it, the access token already verified, and the
// answers a handler has to choose from.
// doc-test: requires=redis
#include <memory>
#include <string_view>
#include <vector>

#include <jot/dpop.hpp>
#include <jot/jot.hpp>
#include <jot/redis/redis.hpp>

int unauthorized([[maybe_unused]] const char* error, [[maybe_unused]] std::string_view nonce = {}) {
  return 401;
}
int service_unavailable() { return 503; }

int handle([[maybe_unused]] const std::shared_ptr<jot::redis::client>& client,
           [[maybe_unused]] std::string_view method, [[maybe_unused]] std::string_view uri,
           [[maybe_unused]] const std::vector<std::string_view>& dpop_headers,
           [[maybe_unused]] std::string_view access_token,
           [[maybe_unused]] const jot::verified_token& token) {
  // doc-test: fragment
  return 200;
}
