// Context: a verifier and a token; the fragment verifies the token and reports a rejection with
// the claim it names (docs/errors.md).
#include <iostream>
#include <string>

#include <jot/jot.hpp>

void report_rejection([[maybe_unused]] const jot::verifier& verifier,
                      [[maybe_unused]] const std::string& token) {
  // doc-test: fragment
}
