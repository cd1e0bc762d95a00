// main() of the vector suite. The vectors live outside the repository (JOT_VECTORS_DIR): where
// they are absent, as in a user's clone, the suite reports itself skipped (CTest's
// SKIP_RETURN_CODE), never passed. CI sets JOT_REQUIRE_VECTORS, so that a run in which the
// vectors silently went missing fails instead.

#include <cstdio>
#include <cstdlib>

// Catch2 v2 compiles its runner where this is defined; v3 always has Catch::Session.
#define CATCH_CONFIG_RUNNER
#include "catch.hpp"
#include "test_support.hpp"

int main(int argc, char* argv[]) {
  if (!jot_test::vectors_dir()) {
    if (std::getenv("JOT_REQUIRE_VECTORS") != nullptr) {
      std::fprintf(stderr, "JOT_REQUIRE_VECTORS is set but %s is not a folder\n", JOT_VECTORS_DIR);
      return 1;
    }
    std::printf("skipped: no test vectors at %s\n", JOT_VECTORS_DIR);
    return 77;  // SKIP_RETURN_CODE in tests/vectors/CMakeLists.txt
  }
  return Catch::Session().run(argc, argv);
}
