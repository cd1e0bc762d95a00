// Context: a resource service in another process than the session manager, with the manager's
// access-token key and the two shared stores its checks consult (docs/sessions.md).
#include <memory>

#include <jot/jot.hpp>
#include <jot/session.hpp>

void fragment([[maybe_unused]] const jot::verification_key& access_public_key,
              [[maybe_unused]] const std::shared_ptr<jot::revocation_store>& revocations,
              [[maybe_unused]] const std::shared_ptr<jot::token_version_store>& versions) {
  // doc-test: fragment
}
