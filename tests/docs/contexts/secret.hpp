// Context: an HMAC secret of at least 32 bytes, as the application loads it (docs/migrating.md).
#include <chrono>
#include <iostream>
#include <string>
#include <string_view>

#include <jot/jot.hpp>

using namespace std::chrono_literals;

void fragment([[maybe_unused]] std::string_view secret) {
  // doc-test: fragment
}
