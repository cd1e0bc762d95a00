# shellcheck shell=bash
# Sourced by tools/run-tests.sh and .ci/run: jot_test_packages, every Debian package that building
# and running all the suites needs (the one list; the benchmark's own are in tools/run-bench.sh).

# The demo's packages (compiler, CMake + Ninja, OpenSSL, nlohmann/json), plus Catch2 for the
# tests and PyJWT for the interop tests. PyJWT only recommends python3-cryptography, which its
# RSA and EC algorithms need, so it is named explicitly. g++ already pulls in the ASan, UBSan
# and TSan runtimes (libasan8, libubsan1, libtsan2). clang-14 and libclang-rt-14-dev (libFuzzer)
# build the fuzz targets; valgrind runs the examples once more under memcheck (dev build).
# cpp-httplib (found through pkg-config) serves the web demo; its browser test drives Debian's
# chromium, never a browser downloaded by npm.
jot_test_packages=(g++ cmake ninja-build libssl-dev nlohmann-json3-dev catch2
  python3 python3-jwt python3-cryptography clang-14 libclang-rt-14-dev valgrind
  pkg-config libcpp-httplib-dev chromium)
# The JWE interop tests' Python peer: jwcrypto (tests/interop/jwcrypto_peer.py).
jot_test_packages+=(python3-jwcrypto)
# jot::beast: Boost's headers (Beast and Asio), from Debian's Boost 1.74.
jot_test_packages+=(libboost1.74-dev)
# jot::redis: hiredis (found with pkg-config) to build it, and Redis 7's server and redis-cli,
# which its tests start as real standalone and cluster servers on free loopback ports.
jot_test_packages+=(libhiredis-dev redis-server redis-tools)
# Ed25519 on libsodium (JOT_ED25519_BACKEND), Debian's 1.0.18, found with pkg-config.
jot_test_packages+=(libsodium-dev)
# jot::grpc: gRPC C++ 1.51 (found with pkg-config), and protoc with its gRPC plugin, which
# generate the gRPC code of the tests and the example at build time.
jot_test_packages+=(libgrpc++-dev protobuf-compiler-grpc)
# make builds the plain-Makefile consumer of the installed jot.pc (package_pkgconfig); Debian
# does not ship it in every base image, and g++ does not pull it in. doxygen builds the API
# reference (tools/build-docs.sh).
jot_test_packages+=(make doxygen)
# git: package_fetchcontent runs the README's FetchContent snippet, which clones jot with git (from
# a scratch mirror of this checkout).
jot_test_packages+=(git)
# node + npm run panva/jose for the node interop tests (tests/interop/node; `npm ci` fetches the
# pinned jose from the npm registry, and Debian's npm brings ca-certificates for that). Any node
# and npm already on PATH will do: NodeSource's nodejs bundles npm and conflicts with Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  jot_test_packages+=(nodejs npm)
fi
