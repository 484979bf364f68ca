#!/usr/bin/env bash
# The fault proxy's soak: three real handhelds sync SOAK_RECORDS captures
# each through the fault-injecting proxy (tests/support/fault_proxy.cpp),
# and every record must reach the gateway exactly once. The same test as in
# .ci/run, with more records. Called by bench/run.sh; prints one table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
records=${SOAK_RECORDS:-400}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
start=$(date +%s.%N)
status=0
FIELDFLOW_SOAK_RECORDS=$records build/bin/fieldflow_integration_tests -tc='faults*' >"$out" 2>&1 ||
  status=$?
seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
seed=$(sed -n 's/.*MESSAGE: fault seed \([0-9]*\).*/\1/p' "$out")
# The counts are the test's last message: a run that stopped before it has none.
read -r stored clean dropped truncated delayed stalled < <(sed -n \
  's/.*MESSAGE: \([0-9]*\) records stored; connections: \([0-9]*\) clean, \([0-9]*\) dropped, \([0-9]*\) truncated, \([0-9]*\) delayed, \([0-9]*\) stalled.*/\1 \2 \3 \4 \5 \6/p' "$out") ||
  { stored=0 clean=0 dropped=0 truncated=0 delayed=0 stalled=0; }
echo "## Faults: the proxy's soak"
echo
echo "| records | connections | clean | dropped | truncated | delayed | stalled | seconds | every record once, every outbox empty |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "| $stored | $((clean + dropped + truncated + delayed + stalled)) | $clean | $dropped | $truncated | $delayed | $stalled | $seconds | $([ "$status" = 0 ] && echo yes || echo no) |"
echo
echo "Seed $seed: \`FIELDFLOW_FAULT_SEED=$seed FIELDFLOW_SOAK_RECORDS=$records build/bin/fieldflow_integration_tests -tc='faults*'\` replays it."
[ "$status" = 0 ] || { grep -E "ERROR|FAILED" "$out" | head -5 || tail -5 "$out"; exit 1; }
