#!/usr/bin/env bash
# The main job: a day in the field. Reps capture store visits on their
# handhelds, some with no network at all; a gateway starts on its embedded
# SQLite store; everything is uploaded, judged, committed and acked; then
# the operator's view of what was accepted, flagged and rejected.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

bin="$PWD/build/bin"
run="$PWD/demo-run"
rm -rf "$run"
mkdir -p "$run"
cd "$run"

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }
agent() { local who=$1; shift; "$bin/fieldflow-agent" --state "handhelds/$who" "$@" | sed 's/^/   /'; }
# Column of terminals.csv for a terminal: 2 name, 4 territory, 5 lat, 6 lon.
terminal() { awk -F, -v id="$1" -v col="$2" '$1 == id { print $col }' master/terminals.csv; }
# A GPS fix at the terminal, optionally moved north by some metres.
at() {
  local lat lon
  lat=$(terminal "$1" 5); lon=$(terminal "$1" 6)
  awk -v lat="$lat" -v north="${2:-0}" 'BEGIN { printf "%.6f", lat + north / 111195 }'
  printf ' %s' "$lon"
}
visit_in() {
  local who=$1 id=$2 north=${3:-0} fix
  fix=($(at "$id" "$north"))
  say "$who checks in at $id $(terminal "$id" 2) ($(terminal "$id" 4))${3:+, GPS ${north} m off}"
  agent "$who" checkin --terminal "$id" --lat "${fix[0]}" --lon "${fix[1]}" --accuracy 12
}

gateway_pid=""
stop_gateway() {
  if [ -n "$gateway_pid" ] && kill -0 "$gateway_pid" 2>/dev/null; then
    kill -TERM "$gateway_pid"
    wait "$gateway_pid" || true
  fi
}
trap stop_gateway EXIT

section "Master data"
"$bin/fieldflow" masterdata generate --out master --seed 7 --terminals 24 --reps 4 | sed 's/^/   /'
say "reps:"
tail -n +2 master/reps.csv | sed 's/^/     /'

section "Morning, no network: two reps capture visits offline"
for who in dev-001:R01 dev-003:R03; do
  agent "${who%%:*}" init --device "${who%%:*}" --rep "${who##*:}"
done
visit_in dev-001 T001
agent dev-001 count --product P01 --qty 12 --lot 20260311
agent dev-001 count --product P02 --qty 5 --lot 20251102
agent dev-001 checkout
visit_in dev-001 T002 600
agent dev-001 count --product P03 --qty 4
agent dev-001 checkout
visit_in dev-003 T005
agent dev-003 count --product P99 --qty 3
agent dev-003 count --product P01 --qty -2
agent dev-003 count --product P04 --qty 9 --lot 20260102
agent dev-003 checkout
for who in dev-001 dev-003; do
  say "$who status:"
  agent "$who" status
done

section "The gateway starts on its embedded SQLite store"
"$bin/fieldflow-gateway" --listen 127.0.0.1:0 --db gateway.db --master master >gateway.out 2>gateway.log &
gateway_pid=$!
for _ in $(seq 100); do
  grep -q "listening on" gateway.out 2>/dev/null && break
  sleep 0.1
done
address=$(sed -n 's/^listening on //p' gateway.out)
[ -n "$address" ] || { cat gateway.log; echo "the gateway did not start" >&2; exit 1; }
say "listening on $address (log: demo-run/gateway.log)"

section "Back in coverage: the offline handhelds sync"
for who in dev-001 dev-003; do
  say "$who:"
  agent "$who" sync --gateway "$address"
done

section "Afternoon, online: two more reps visit and sync right away"
agent dev-002 init --device dev-002 --rep R02
agent dev-004 init --device dev-004 --rep R04
visit_in dev-002 T002
agent dev-002 count --product P05 --qty 7
agent dev-002 checkout
say "dev-002 checks in at T999, a terminal the master data does not know"
agent dev-002 checkin --terminal T999 --lat 31.2 --lon 121.5 --accuracy 10
agent dev-002 checkout
visit_in dev-004 T008
agent dev-004 count --product P06 --qty 20 --lot 20260520
say "dev-004 scans packs on the shelf with the handheld's scan engine"
# An EAN-13, a GS1 DataMatrix of an expired lot, a traceability code, and a
# product the master data does not know, as a scan engine types them.
printf '%s\n' "]E06901234000016" "]d201069012340000161720013110OLDLOT" \
  "86010000001234567890" "4006381333931" | agent dev-004 scan --line
visit_in dev-004 T014
agent dev-004 checkout
for who in dev-002 dev-004; do
  say "$who:"
  agent "$who" sync --gateway "$address"
done

section "What the gateway committed"
"$bin/fieldflow" summary --db gateway.db | sed 's/^/   /'

section "Flagged records (booked, for review)"
"$bin/fieldflow" records --db gateway.db --verdict flagged | sed 's/^/   /'

section "Rejected records (kept verbatim in quarantine)"
"$bin/fieldflow" records --db gateway.db --verdict rejected | sed 's/^/   /'

section "The gateway stops cleanly"
stop_gateway
gateway_pid=""
say "store: demo-run/gateway.db; master data: demo-run/master/; handhelds: demo-run/handhelds/"
say "explore: build/bin/fieldflow records --db demo-run/gateway.db [--verdict flagged|rejected] [--kind check_in]"
