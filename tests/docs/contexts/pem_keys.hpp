// Context: an RS256 key pair as PEM text and the token a request carries (README.md, "One service
// signs, many services verify").
#include <chrono>
#include <string>
#include <string_view>

#include <jot/jot.hpp>

using namespace std::chrono_literals;

void fragment([[maybe_unused]] std::string_view private_pem,
              [[maybe_unused]] std::string_view public_pem,
              [[maybe_unused]] std::string_view bearer_token) {
  // doc-test: fragment
}
