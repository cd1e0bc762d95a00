#!/usr/bin/env bash
# Builds jot's libFuzzer targets (tests/fuzz, `fuzz` preset: clang + ASan + UBSan) and runs each
# one for a bounded time, starting from a copy of its committed seed corpus, so the repository is
# never modified. Fails if any target reports a crash, a leak, a timeout or a broken invariant.
#
# Usage, from anywhere: bash tools/run-fuzz.sh [target...]       (default: every target)
# Environment:
#   JOT_FUZZ_SECONDS  seconds per target (default 60); 0 only replays the seeds
#   JOT_FUZZ_JOBS     targets fuzzed at the same time (default: the number of cores)
# Findings, logs and the grown corpora stay in build/fuzz/run/<target>/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/ensure-packages.sh
# clang-14 for the compiler, libclang-rt-14-dev for libFuzzer and clang's sanitizer runtimes.
jot_ensure_packages clang-14 libclang-rt-14-dev cmake ninja-build libssl-dev nlohmann-json3-dev \
  catch2

seconds="${JOT_FUZZ_SECONDS:-60}"
jobs="${JOT_FUZZ_JOBS:-$(nproc)}"
if [[ ! "${seconds}" =~ ^[0-9]+$ || ! "${jobs}" =~ ^[1-9][0-9]*$ ]]; then
  echo "error: JOT_FUZZ_SECONDS must be a number of seconds and JOT_FUZZ_JOBS at least 1" >&2
  exit 2
fi

targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(fuzz_verify fuzz_base64url fuzz_json fuzz_jwk fuzz_claims fuzz_jwe fuzz_ecdh)
fi

echo "=== fuzz: configure, build"
cmake --preset fuzz
cmake --build --preset fuzz -j "$(nproc)"

binaries=build/fuzz/tests/fuzz
run_dir=build/fuzz/run
rm -rf "${run_dir}"

# The largest input worth trying per target: a token or JWKS well above jot's 8 KiB default cap
# for the parsers, smaller where each byte is a builder call.
max_len_of() {
  case "$1" in
    fuzz_verify) echo 16384 ;;
    fuzz_claims) echo 4096 ;;
    *) echo 8192 ;;
  esac
}

fuzz_one() {
  local target="$1" dir="${run_dir}/$1"
  mkdir -p "${dir}/corpus"
  cp tests/fuzz/corpus/"${target}"/* "${dir}/corpus/"
  local limit=(-max_total_time="${seconds}")
  if ((seconds == 0)); then
    limit=(-runs=0)  # max_total_time=0 would mean "no limit"
  fi
  # -timeout: one input taking 30 s is a finding (a hang), not a slow machine.
  # ASan/UBSan options: stop at the first report, with a stack, and check leaks per input.
  ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}" \
    "${binaries}/${target}" "${limit[@]}" -max_len="$(max_len_of "${target}")" \
    -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 -artifact_prefix="${dir}/" \
    "${dir}/corpus" >"${dir}/log.txt" 2>&1
}

echo "=== fuzz: ${#targets[@]} targets, ${seconds} s each, ${jobs} at a time"
declare -A status
running=()
for target in "${targets[@]}"; do
  if [[ ! -x "${binaries}/${target}" ]]; then
    echo "error: no fuzz target named ${target}" >&2
    exit 2
  fi
  fuzz_one "${target}" &
  running+=("$!:${target}")
  if ((${#running[@]} >= jobs)); then
    entry="${running[0]}"
    running=("${running[@]:1}")
    wait "${entry%%:*}" && status["${entry#*:}"]=0 || status["${entry#*:}"]=$?
  fi
done
for entry in "${running[@]}"; do
  wait "${entry%%:*}" && status["${entry#*:}"]=0 || status["${entry#*:}"]=$?
done

failed=0
printf '%-16s %8s %12s %10s %8s  %s\n' target status executions exec/s corpus finding
for target in "${targets[@]}"; do
  log="${run_dir}/${target}/log.txt"
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}" | tail -1)"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "${log}" | tail -1)"
  corpus="$(find "${run_dir}/${target}/corpus" -type f | wc -l)"
  finding="-"
  if ((status[${target}] != 0)); then
    failed=1
    finding="$(find "${run_dir}/${target}" -maxdepth 1 -type f \
      \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | head -1)"
    finding="${finding:-see ${log}}"
  fi
  printf '%-16s %8s %12s %10s %8s  %s\n' "${target}" "${status[${target}]}" "${runs:-?}" \
    "${speed:-?}" "${corpus}" "${finding}"
done

if ((failed != 0)); then
  for target in "${targets[@]}"; do
    if ((status[${target}] != 0)); then
      echo "=== ${target}: end of ${run_dir}/${target}/log.txt" >&2
      tail -n 40 "${run_dir}/${target}/log.txt" >&2
    fi
  done
  echo "=== fuzzing found problems; reproduce with: ${binaries}/<target> <finding>" >&2
  exit 1
fi
echo "=== fuzz: no findings"
