// The smallest real use of jot: sign a token and verify it. The package tests build this against
// an installed jot, FetchContent and add_subdirectory; it exits 0 only if verification succeeds.
#include <chrono>
#include <exception>
#include <iostream>

#include <jot/jot.hpp>

int main() {
  // value() throws jot::error on failure, which keeps this program short; any failure ends in
  // the catch below with a non-zero exit.
  try {
    auto key = jot::signing_key::generate(jot::algorithm::hs256).value();
    auto claims =
        jot::claims::builder{}.subject("x").expires_in(std::chrono::minutes(5)).build().value();
    auto token = jot::encoder{key}.sign(claims).value();

    auto verifier =
        jot::verifier::builder{}.add_key(key.verification_key().value()).build().value();
    auto verified = verifier.verify(token);
    if (!verified) {
      std::cerr << "verification failed: " << verified.error().message() << "\n";
      return 1;
    }
    if (verified->claims().subject() != "x") {
      std::cerr << "verified token has the wrong subject\n";
      return 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "jot failed: " << e.what() << "\n";
    return 1;
  }
  std::cout << "consumer: token verified\n";
  return 0;
}
