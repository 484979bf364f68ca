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
  [csv]="distribution files, UTF-8 and GBK"
  [enrolment_uri]="whatever code the scan engine hands \`fieldflow-agent init --enrolment\`: what reads must write back as a URI that reads the same (\`core/enrolment_uri.cpp\`)"
  [http_query]="the operators' listener's query strings and Cookie headers, as browsers send them (\`net/http_query.cpp\`)")
echo "## Fuzzing"
echo
echo "| target | what it reads | executions in $seconds s | coverage (edges) | features |"
echo "|---|---|---|---|---|"
# One row per line scripts/fuzz.sh printed, in its order of targets.
while read -r target result; do
  echo "| $target | ${reads[$target]:-} | $result |"
done < <(awk '$3 == "executions," { print $1, $2 " | " $5 " | " $7 }
  $2 == "FAILED" { sub(":", "", $1); print $1, "FAILED | |" }' "$out")
# A target's failure, or else whatever stopped the build.
[ "$status" = 0 ] || { grep -A5 "FAILED" "$out" || tail -20 "$out"; exit 1; }
