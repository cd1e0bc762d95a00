// Context: a token endpoint and a service of one session manager, with DPoP (docs/sessions.md):
// the manager, the proof verifier, the request's DPoP headers and tokens, and the answer a handler
// gives to a refused proof.
#include <string_view>
#include <vector>

#include <jot/dpop.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

int bad_request([[maybe_unused]] const char* error) { return 400; }

int handle([[maybe_unused]] const jot::session_manager& sessions,
           [[maybe_unused]] const jot::dpop::verifier& proofs,
           [[maybe_unused]] const std::vector<std::string_view>& dpop_headers,
           [[maybe_unused]] std::string_view refresh_token,
           [[maybe_unused]] std::string_view access_token) {
  // doc-test: fragment
  return 200;
}
