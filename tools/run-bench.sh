#!/usr/bin/env bash
# Builds jot_bench (the `bench` preset: Release, benchmark only), runs its correctness checks,
# then tools/bench-report.py, which runs the benchmarks and the compile-cost measurement and
# writes docs/benchmark.md, docs/benchmark.png and the generated part of README.md's Performance
# section. Installs what a fresh Debian 12 machine lacks first. Takes a few minutes; run it on a
# quiet machine (the report states the load average before and after).
# Usage, from anywhere: bash tools/run-bench.sh [bench-report.py options, e.g. --repetitions 9]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/ensure-packages.sh

# The demo's packages, plus Google Benchmark, the two peer libraries Debian packages (cpp-jwt is
# header-only on nlohmann/json; libjwt is found through pkg-config), and matplotlib for the chart.
jot_ensure_packages g++ cmake ninja-build libssl-dev nlohmann-json3-dev libbenchmark-dev \
  libcpp-jwt-dev libjwt-dev pkg-config python3 python3-matplotlib

cmake --preset bench
cmake --build --preset bench -j "$(nproc)"
ctest --preset bench
/usr/bin/python3 tools/bench-report.py "$@"
