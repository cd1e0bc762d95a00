#!/usr/bin/env bash
# Builds and runs the quick-start example (examples/quickstart.cpp) on Debian 12, installing
# what a fresh machine lacks first. Usage, from anywhere: bash tools/run-demo.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/ensure-packages.sh

# Just enough to compile a jot program: the compiler (g++ brings libc6-dev and libstdc++),
# CMake with Ninja (CMake only recommends make, and --no-install-recommends skips it), and the
# two libraries jot builds on. The demo preset turns tests off, so Catch2 and Python are not
# needed here.
jot_ensure_packages g++ cmake ninja-build libssl-dev nlohmann-json3-dev

cmake --preset demo
cmake --build --preset demo -j "$(nproc)"
echo
./build/demo/examples/quickstart
