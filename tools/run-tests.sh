#!/usr/bin/env bash
# Builds everything and runs the whole test suite twice on Debian 12: a Debug build, then an
# AddressSanitizer + UndefinedBehaviorSanitizer build. Installs what a fresh machine lacks first.
# Usage, from anywhere: bash tools/run-tests.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/ensure-packages.sh

# The demo's packages (compiler, CMake + Ninja, OpenSSL, nlohmann/json), plus Catch2 for the
# tests and PyJWT for the interop tests. PyJWT only recommends python3-cryptography, which its
# RSA and EC algorithms need, so it is named explicitly. g++ already pulls in the ASan and
# UBSan runtimes (libasan8, libubsan1).
packages=(g++ cmake ninja-build libssl-dev nlohmann-json3-dev catch2
  python3 python3-jwt python3-cryptography)
# node + npm run panva/jose for the node interop tests (tests/interop/node; `npm ci` fetches the
# pinned jose from the npm registry, and Debian's npm brings ca-certificates for that). Any node
# and npm already on PATH will do: NodeSource's nodejs bundles npm and conflicts with Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
jot_ensure_packages "${packages[@]}"

jobs="$(nproc)"
# The presets (CMakePresets.json) hold the flags and the sanitizer options, so a developer who
# runs `ctest --preset asan` by hand gets exactly what this script and CI get.
for preset in dev asan; do
  echo "=== ${preset}: configure, build, test"
  cmake --preset "${preset}"
  cmake --build --preset "${preset}" -j "${jobs}"
  ctest --preset "${preset}" --output-on-failure -j "${jobs}"
done
echo "=== all tests passed (dev and asan)"
