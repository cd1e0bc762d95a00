#!/usr/bin/env bash
# Builds jot_bench (the `bench` preset: Release, benchmark only) and runs its correctness checks,
# builds the cross-language harnesses (tests/bench/{rust,go,python,node}) into build/bench/xlang,
# starts a throwaway Redis server for the Redis blocklist and session benchmarks, then
# tools/bench-report.py, which runs the benchmarks, the harnesses and the compile-cost measurement
# and writes docs/benchmark.md, docs/benchmark.png and the generated part of README.md's
# Performance section.
# Installs what a fresh Debian 12 machine lacks first. Takes a few minutes; run it on a quiet
# machine (the report states the load average before and after).
# Usage, from anywhere: bash tools/run-bench.sh [bench-report.py options, e.g. --repetitions 9]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/ensure-packages.sh

# The demo's packages, plus Google Benchmark, the two peer libraries Debian packages (cpp-jwt is
# header-only on nlohmann/json; libjwt is found through pkg-config), hiredis for jot::redis and a
# Redis server (redis-cli comes with redis-tools) for the blocklist and session benchmarks,
# libsodium for Ed25519 (JOT_ED25519_BACKEND), and matplotlib for the chart.
jot_ensure_packages g++ cmake ninja-build libssl-dev nlohmann-json3-dev libbenchmark-dev \
  libcpp-jwt-dev libjwt-dev libhiredis-dev redis-server redis-tools libsodium-dev pkg-config \
  python3 python3-matplotlib
# The cross-language rows, each library as Debian packages it: Rust's jsonwebtoken (on ring) with
# Debian's cargo and rustc, Go's golang-jwt (v4) with Debian's Go, and PyJWT with the
# cryptography package its RSA, EC and EdDSA algorithms need (PyJWT only recommends it). node's
# jose comes from npm, pinned by tests/bench/node/package-lock.json; any node and npm on PATH do
# (NodeSource's nodejs bundles npm and conflicts with Debian's).
jot_ensure_packages cargo rustc librust-jsonwebtoken-dev golang-go \
  golang-github-golang-jwt-jwt-dev python3-jwt python3-cryptography
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  jot_ensure_packages nodejs npm
fi

# JOT_BUILD_REDIS=ON: without hiredis the configure fails, rather than the report quietly losing
# its Redis rows; likewise JOT_ED25519_BACKEND=libsodium for the EdDSA rows.
cmake --preset bench -DJOT_BUILD_REDIS=ON -DJOT_ED25519_BACKEND=libsodium
cmake --build --preset bench -j "$(nproc)"
ctest --preset bench

# The harnesses, built outside the source tree. Debian's toolchains by their full paths: a rustup
# or other toolchain earlier on PATH is not the one the report names.
xlang=build/bench/xlang
rm -rf "$xlang/rust/crate"
mkdir -p "$xlang/rust/cargo-home" "$xlang/rust/crate" "$xlang/go" "$xlang/node"
# Rust: offline, with cargo's default registry replaced by the crates Debian installs under
# /usr/share/cargo/registry, so that cargo never asks a registry. Built from a copy so that the
# Cargo.lock it writes (Debian's versions of the day) stays out of the source tree.
cat >"$xlang/rust/cargo-home/config.toml" <<'EOF'
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "/usr/share/cargo/registry"

[net]
offline = true
EOF
cp -r tests/bench/rust/Cargo.toml tests/bench/rust/src "$xlang/rust/crate/"
CARGO_HOME="$PWD/$xlang/rust/cargo-home" RUSTC=/usr/bin/rustc /usr/bin/cargo build --release \
  --offline --manifest-path "$xlang/rust/crate/Cargo.toml" --target-dir "$xlang/rust/target"
# Go: GOPATH mode against the package Debian installs under /usr/share/gocode.
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$PWD/$xlang/go/cache" \
  /usr/bin/go build -o "$xlang/go/golang_jwt_bench" ./tests/bench/go
# node: the pinned jose into the build tree, as tests/npm_ci.cmake does for the interop tests (no
# install script runs; the cache stays in the build tree).
cp tests/bench/node/package.json tests/bench/node/package-lock.json \
  tests/bench/node/jose_bench.mjs "$xlang/node/"
(cd "$xlang/node" && npm ci --no-audit --no-fund --ignore-scripts --cache "$PWD/.npm-cache")
# Python: PyJWT runs from tests/bench/python as it is.

# A server of this run's own: loopback only, on a port the kernel reports free, no persistence,
# its files in a temporary folder. Stopped by its PID however this script ends.
redis_dir="$(mktemp -d "${TMPDIR:-/tmp}/jot-bench-redis.XXXXXX")"
redis_pid=""
stop_redis() {
  if [[ -n "$redis_pid" ]]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  rm -rf "$redis_dir"
}
trap stop_redis EXIT
redis_port="$(/usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')"
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
  --dir "$redis_dir" --logfile "$redis_dir/redis.log" --daemonize no &
redis_pid=$!
for _ in $(seq 100); do
  if redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then
    break
  fi
  if ! kill -0 "$redis_pid" 2>/dev/null; then
    echo "error: redis-server did not start:" >&2
    cat "$redis_dir/redis.log" >&2 || true
    exit 1
  fi
  sleep 0.1
done
if ! redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then
  echo "error: redis-server on 127.0.0.1:$redis_port does not answer" >&2
  exit 1
fi

/usr/bin/python3 tools/bench-report.py --redis "127.0.0.1:$redis_port" "$@"
