// The smallest real use of jot: sign a token, verify it, and print the jot version it was compiled
// against. The package tests build this one source every way a user gets jot: with CMake against
// an installed jot, FetchContent and add_subdirectory (CMakeLists.txt here), and with a plain
// Makefile and pkg-config (../makefile_consumer), whose test compares the printed version with the
// one it installed. Exits 0 only if the token verified.
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
      std::cerr << "the verified token has the wrong subject\n";
      return 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "jot failed: " << e.what() << "\n";
    return 1;
  }
  std::cout << "consumer: jot " << JOT_VERSION_MAJOR << "." << JOT_VERSION_MINOR << "."
            << JOT_VERSION_PATCH << " signed and verified a token\n";
  return 0;
}
