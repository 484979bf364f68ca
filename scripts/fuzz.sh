#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs each for SECONDS (default 20) from
# its seed corpus in tests/fuzz/<target>/, as many at once as there are
# cores. Fails on any crash, leak, timeout or sanitizer report; the input
# that caused it is left in build-fuzz/findings/. Prints each target's
# executions and coverage.
#   bash scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}

bash scripts/install-clang.sh
cmake --preset fuzz >/dev/null
cmake --build build-fuzz -j"$(nproc)"
mkdir -p build-fuzz/findings
# One target's run; its summary line, or its failure, in build-fuzz/<target>.result.
fuzz_one() {
  local target=$1 corpus=build-fuzz/corpus/$1  # grows from run to run; the seeds stay as checked in
  mkdir -p "$corpus"
  if build-fuzz/bin/fieldflow-fuzz-$target -max_total_time="$seconds" -detect_leaks=1 \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/findings/$target-" "$corpus" "tests/fuzz/$target" \
      >"build-fuzz/$target.log" 2>&1; then
    awk -v t="$target" '/DONE/ { cov = $3 " " $4 " " $5 " " $6 } /stat::number_of_executed_units/ { runs = $2 }
      END { printf "%-13s %s executions, %s\n", t, runs, cov }' "build-fuzz/$target.log" \
      >"build-fuzz/$target.result"
  else
    { echo "$target: FAILED (see build-fuzz/$target.log and build-fuzz/findings/)"
      grep -E "ERROR|SUMMARY|runtime error" "build-fuzz/$target.log" | head -5; } \
      >"build-fuzz/$target.result"
    return 1
  fi
}
# As many targets at once as there are cores: each is one process on one core.
targets=(frame record scan_content gps csv enrolment_uri http_query)
status=0
for ((i = 0; i < ${#targets[@]}; i += $(nproc))); do
  pids=()
  for target in "${targets[@]:i:$(nproc)}"; do
    fuzz_one "$target" & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
done
for target in "${targets[@]}"; do cat "build-fuzz/$target.result"; done
exit $status
