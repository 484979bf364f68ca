#!/usr/bin/env bash
# Every libFuzzer target for FUZZ_SECONDS (scripts/fuzz.sh): its executions
# and coverage. Called by bench/run.sh; prints one table.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-150}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
bash scripts/fuzz.sh "$seconds" >"$out" 2>&1 || status=$?
declare -A reads=(
  [frame]="bytes on an agent's connection, as the session reads them (batches, deflated batches, every record judged)"
  [record]="one record's bytes through the decoder and every validator"
  [scan_content]="scanned codes: GS1 raw and bracketed, traceability codes, AIM prefixes, check digits"
  [gps]="NMEA 0183 and gpsd JSON lines"
  [csv]="distribution files, UTF-8 and GBK")
echo "## Fuzzing"
echo
echo "| target | what it reads | executions in $seconds s | coverage (edges) | features |"
echo "|---|---|---|---|---|"
for target in frame record scan_content gps csv; do
  awk -v t="$target" -v what="${reads[$target]}" '$1 == t && $3 == "executions," {
      printf "| %s | %s | %s | %s | %s |\n", t, what, $2, $5, $7 }
    $1 == t ":" && $2 == "FAILED" { printf "| %s | %s | FAILED | | |\n", t, what }' "$out"
done
# A target's failure, or else whatever stopped the build.
[ "$status" = 0 ] || { grep -A5 "FAILED" "$out" || tail -20 "$out"; exit 1; }
