// Built by a plain Makefile with `pkg-config --cflags --libs jot` (package_pkgconfig): signs a
// token, verifies it, and prints the jot version it was compiled against, which the test compares
// with the version it installed. Exits 0 only if the token verified.
#include <chrono>
#include <exception>
#include <iostream>

#include <jot/jot.hpp>

int main() {
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
  std::cout << "makefile consumer: jot " << JOT_VERSION_MAJOR << "." << JOT_VERSION_MINOR << "."
            << JOT_VERSION_PATCH << " signed and verified a token\n";
  return 0;
}
