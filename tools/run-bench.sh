#!/usr/bin/env bash
# Builds jot_bench (the `bench` preset: Release, benchmark only), runs its correctness checks,
# starts a throwaway Redis server for the Redis blocklist benchmarks, then tools/bench-report.py,
# which runs the benchmarks and the compile-cost measurement and writes docs/benchmark.md,
# docs/benchmark.png and the generated part of README.md's Performance section. Installs what a
# fresh Debian 12 machine lacks first. Takes a few minutes; run it on a quiet machine (the report
# states the load average before and after).
# Usage, from anywhere: bash tools/run-bench.sh [bench-report.py options, e.g. --repetitions 9]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/ensure-packages.sh

# The demo's packages, plus Google Benchmark, the two peer libraries Debian packages (cpp-jwt is
# header-only on nlohmann/json; libjwt is found through pkg-config), hiredis for jot::redis and a
# Redis server (redis-cli comes with redis-tools) for the blocklist benchmarks, and matplotlib for
# the chart.
jot_ensure_packages g++ cmake ninja-build libssl-dev nlohmann-json3-dev libbenchmark-dev \
  libcpp-jwt-dev libjwt-dev libhiredis-dev redis-server redis-tools pkg-config python3 \
  python3-matplotlib

# JOT_BUILD_REDIS=ON: without hiredis the configure fails, rather than the report quietly losing
# its Redis rows.
cmake --preset bench -DJOT_BUILD_REDIS=ON
cmake --build --preset bench -j "$(nproc)"
ctest --preset bench

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
