#!/usr/bin/env bash
# Builds and runs a demo on Debian 12, installing what a fresh machine lacks first.
# Usage, from anywhere:
#   bash tools/run-demo.sh         the quick start (examples/quickstart.cpp)
#   bash tools/run-demo.sh web     the web demo (examples/web_app) on http://127.0.0.1:8080/, to
#                                  use in a browser; JOT_DEMO_PORT=<port> picks another port
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/ensure-packages.sh

demo="${1:-quickstart}"
if [[ "${demo}" != quickstart && "${demo}" != web ]]; then
  echo "usage: bash tools/run-demo.sh [web]" >&2
  exit 2
fi

# Just enough to compile a jot program: the compiler (g++ brings libc6-dev and libstdc++),
# CMake with Ninja (CMake only recommends make, and --no-install-recommends skips it), and the
# two libraries jot builds on. The demo preset turns tests off, so Catch2 and Python are not
# needed here. The web demo also needs cpp-httplib, which CMake finds through pkg-config.
packages=(g++ cmake ninja-build libssl-dev nlohmann-json3-dev)
if [[ "${demo}" == web ]]; then
  packages+=(pkg-config libcpp-httplib-dev)
fi
jot_ensure_packages "${packages[@]}"

cmake --preset demo
if [[ "${demo}" == quickstart ]]; then
  cmake --build --preset demo -j "$(nproc)"
  echo
  ./build/demo/examples/quickstart
else
  cmake --build --preset demo -j "$(nproc)" --target web_app
  port="${JOT_DEMO_PORT:-8080}"
  echo
  echo "Open the address the demo prints below in your browser (Ctrl-C stops the server)."
  exec ./build/demo/examples/web_app --port "${port}"
fi
