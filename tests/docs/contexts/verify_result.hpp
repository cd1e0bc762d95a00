// Context: the result of a verification, and the answers a server has to choose from; the
// fragment returns one of them (docs/errors.md).
#include <jot/jot.hpp>

int service_unavailable() { return 503; }
int internal_error() { return 500; }
int forbidden() { return 403; }
int unauthorized() { return 401; }

int respond([[maybe_unused]] const jot::result<jot::verified_token>& verified) {
  // doc-test: fragment
  return 200;
}
