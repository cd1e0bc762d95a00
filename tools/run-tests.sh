#!/usr/bin/env bash
# Builds the API reference (tools/build-docs.sh; a doxygen warning fails the run), then builds
# everything and runs the whole test suite twice on Debian 12: a Debug build (with the
# examples also under valgrind memcheck), then an AddressSanitizer + UndefinedBehaviorSanitizer
# build; then the unit and session tests under ThreadSanitizer, with clang in C++20, and with
# -fno-exceptions; the Ed25519 tests on OpenSSL instead of libsodium; and every fuzz target for a
# bounded time (tools/run-fuzz.sh, JOT_FUZZ_SECONDS each, default 60). Installs what a fresh
# machine lacks first.
# Usage, from anywhere: bash tools/run-tests.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/ensure-packages.sh

# Every Debian package the suites need, in one list (tools/test-packages.sh; .ci/run installs the
# same list).
source tools/test-packages.sh
jot_ensure_packages "${jot_test_packages[@]}"

jobs="$(nproc)"

# The API reference first (seconds): any doxygen warning, such as an undocumented public
# declaration, fails the run, but only at the end, so that one run reports the tests as well.
echo "=== API reference (tools/build-docs.sh)"
docs_status=0
bash tools/build-docs.sh build/docs || docs_status=1
# JOT_BUILD_REDIS=ON: a missing hiredis fails the configure step instead of leaving the Redis
# suites out (by default jot::redis is built only where hiredis is found). Likewise
# JOT_ED25519_BACKEND=libsodium: every suite runs Ed25519 on libsodium, and a missing libsodium
# fails instead of falling back to OpenSSL; the openssl-ed25519 preset (below) runs the Ed25519
# tests once more on OpenSSL.
required=(-DJOT_BUILD_REDIS=ON -DJOT_ED25519_BACKEND=libsodium)
# The presets (CMakePresets.json) hold the flags and the sanitizer options, so a developer who
# runs `ctest --preset asan` by hand gets exactly what this script and CI get. The asan test
# preset leaves out the package tests (label `package`): they configure and build three consumer
# projects, which checks the build system, not memory safety; the dev run covers them, and under
# ASan they cost about 2.5 minutes of CI. For the same reason it leaves out the documentation's
# code-block tests (label `docs`), which compile the snippets but never run them.
# The Boost.Beast and gRPC adapters' examples and tests are built once, in the dev build, where
# JOT_BUILD_BEAST=ON and JOT_BUILD_GRPC=ON make a missing Boost or gRPC fail the configure step;
# the other presets switch them off (CMakePresets.json) to keep CI's time, since Beast, gRPC's
# headers and its generated code are slow to compile. What the adapters share, authorize(), is in
# the unit tests, which every preset runs.
for preset in dev asan; do
  echo "=== ${preset}: configure, build, test"
  adapters=()
  if [[ "${preset}" == dev ]]; then
    adapters=(-DJOT_BUILD_BEAST=ON -DJOT_BUILD_GRPC=ON)
  fi
  cmake --preset "${preset}" "${required[@]}" "${adapters[@]}"
  cmake --build --preset "${preset}" -j "${jobs}"
  ctest --preset "${preset}" --output-on-failure -j "${jobs}"
done

# ThreadSanitizer: only the unit, session and standalone Redis tests, which hold the thread tests
# ("[threads]"); the other suites are single-threaded and would only add build time.
echo "=== tsan: configure, build, test (unit, session and Redis tests)"
cmake --preset tsan "${required[@]}"
cmake --build --preset tsan -j "${jobs}" --target jot_unit_tests jot_session_tests jot_redis_tests
ctest --preset tsan --output-on-failure -R '^jot_(unit|session|redis)_tests$'

# The unit, session, standalone Redis and JWE tests again with the second compiler and C++20, and
# with exceptions switched off (jot's API promises to work without them).
for preset in clang-cxx20 no-exceptions; do
  echo "=== ${preset}: configure, build, test (unit, session, Redis and JWE tests)"
  cmake --preset "${preset}" "${required[@]}"
  cmake --build --preset "${preset}" -j "${jobs}"
  ctest --preset "${preset}" --output-on-failure
done

# Ed25519 on OpenSSL, what a build without libsodium gets: the unit, attack and vector tests, which
# hold every Ed25519 case (about a minute of CI).
echo "=== openssl-ed25519: configure, build, test (unit, attack and vector tests)"
cmake --preset openssl-ed25519
cmake --build --preset openssl-ed25519 -j "${jobs}"
ctest --preset openssl-ed25519 --output-on-failure

bash tools/run-fuzz.sh
if ((docs_status != 0)); then
  echo "=== the tests passed, but tools/build-docs.sh reported doxygen warnings (above)" >&2
  exit 1
fi
echo "=== all tests passed (dev, asan, tsan, clang-cxx20, no-exceptions, openssl-ed25519, fuzz);" \
  "API reference built"
