// Context: a C++ service that calls another with a DPoP-bound access token (docs/dpop.md): its
// DPoP key and its token.
#include <string>

#include <jot/dpop.hpp>
#include <jot/jot.hpp>

void call([[maybe_unused]] const jot::signing_key& dpop_key,
          [[maybe_unused]] const std::string& access_token) {
  // doc-test: fragment
}
