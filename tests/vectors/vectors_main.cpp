// main() of the vector suite. The vectors are part of the repository (tests/vectors/data, the
// default of JOT_VECTORS_DIR), so a clone always has them. Only when JOT_VECTORS_DIR is overridden
// with a path that is not a folder does the suite report itself skipped (CTest's
// SKIP_RETURN_CODE), never passed; JOT_REQUIRE_VECTORS (set by CI) turns that skip into a failure.

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
