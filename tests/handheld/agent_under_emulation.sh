#!/usr/bin/env bash
# The handheld's agent, built for ARM and run under user-mode emulation,
# does a visit with no gateway running, then syncs it to a gateway built for
# the host: every record is stored once and the outbox drains. A real camera
# frame is read by the ARM build of ZXing on the way.
#   agent_under_emulation.sh EMULATOR AGENT HOST_BIN_DIR BARCODE_SAMPLES
set -euo pipefail
emulator=$1 agent=$2 host=$3 samples=$4
work=$(mktemp -d)
trap 'kill "${gw:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
run() { "$emulator" "$agent" --state "$work/handheld" "$@"; }

# ELF e_machine 0xb7: AArch64.
[ "$(od -An -tx1 -j18 -N2 "$agent" | tr -d ' \n')" = "b700" ] || fail "$agent is not an aarch64 program"
"$host/fieldflow" masterdata generate --out "$work/master" --terminals 5 --reps 2 >/dev/null
IFS=, read -r terminal _ _ _ lat lon _ < <(sed -n 2p "$work/master/terminals.csv")
IFS=, read -r rep _ _ _ device < <(sed -n 2p "$work/master/reps.csv")

run init --device "$device" --rep "$rep"
run checkin --terminal "$terminal" --lat "$lat" --lon "$lon" --accuracy 8
run count --product P01 --qty 12
printf '6901234567892\n' | run scan --line
# One EAN-13 in a photo, as the sample's README and its .txt say.
run scan --image "$samples/ean13-3/03.webp" | tee "$work/scan.out"
grep -q "$(head -c 13 "$samples/ean13-3/03.txt")" "$work/scan.out" ||
  fail "the aarch64 agent did not read $(cat "$samples/ean13-3/03.txt") from ean13-3/03.webp"
run checkout
queued=$(run status --json | sed -n 's/.*"depth":\([0-9]*\).*/\1/p')
[ "$queued" = 5 ] || fail "expected 5 queued records offline, the agent says $queued"

"$host/fieldflow-gateway" --listen 127.0.0.1:0 --db "$work/gateway.db" --master "$work/master" \
  --auth open >"$work/gw.out" 2>"$work/gw.log" &
gw=$!
for _ in $(seq 100); do grep -q "listening on" "$work/gw.out" 2>/dev/null && break; sleep 0.1; done
address=$(sed -n 's/^listening on //p' "$work/gw.out")
[ -n "$address" ] || fail "the host gateway did not start: $(cat "$work/gw.log")"
run sync --gateway "$address" --retry-for 30
queued=$(run status --json | sed -n 's/.*"depth":\([0-9]*\).*/\1/p')
[ "$queued" = 0 ] || fail "$queued records still queued after the sync"
stored=$(sqlite3 "$work/gateway.db" "SELECT count(*) FROM records WHERE device = '$device'")
[ "$stored" = 5 ] || fail "the gateway stored $stored of the 5 records"
run sync --gateway "$address" --retry-for 30  # nothing left: nothing sent twice
stored=$(sqlite3 "$work/gateway.db" "SELECT count(DISTINCT seq) || '/' || count(*) FROM records")
[ "$stored" = "5/5" ] || fail "records stored twice: $stored"
echo "the aarch64 agent captured 5 records offline and the host gateway stored each once"
