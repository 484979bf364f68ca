#!/usr/bin/env bash
# The handheld's footprint: the stripped aarch64 agent and the libraries it
# brings beyond the C/C++ runtime and OpenSSL; resident memory and CPU time
# while capturing and syncing 10,000 records (under qemu-aarch64, and the
# same natively for comparison); serve's resident memory while its page
# polls and its background sync delivers; bytes on the wire for a typical
# visit against the same records as JSON. Called by bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-cross-deps.sh
cmake --preset aarch64 >/dev/null
cmake --build build-aarch64 -j"$(nproc)" --target fieldflow-agent >/dev/null
cmake --build build-bench -j"$(nproc)" --target fieldflow-agent fieldflow-gateway fieldflow >/dev/null
work=$(mktemp -d)
trap 'kill "${serving:-}" "${gw:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
ff=build-bench/bin/fieldflow
lib=/usr/lib/aarch64-linux-gnu
mib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }

# Binary and its libraries, following NEEDED entries transitively.
aarch64-linux-gnu-strip -o "$work/fieldflow-agent" build-aarch64/bin/fieldflow-agent
agent_bytes=$(stat -c %s "$work/fieldflow-agent")
declare -A seen
queue=("$work/fieldflow-agent")
extra_bytes=0 extra_list=""
while [ ${#queue[@]} -gt 0 ]; do
  file=${queue[0]}; queue=("${queue[@]:1}")
  for needed in $(aarch64-linux-gnu-readelf -d "$file" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
    [ -n "${seen[$needed]:-}" ] && continue
    seen[$needed]=1
    case "$needed" in
      libc.so*|libm.so*|libstdc++.so*|libgcc_s.so*|ld-linux-aarch64*|libssl.so*|libcrypto.so*) continue ;;
    esac
    path=$(readlink -f "$lib/$needed")
    extra_bytes=$((extra_bytes + $(stat -c %s "$path")))
    extra_list="$extra_list $needed"
    queue+=("$path")
  done
done

"$ff" masterdata generate --out "$work/master" --terminals 20 --reps 4 >/dev/null
IFS=, read -r terminal _ _ _ lat lon _ < <(sed -n 2p "$work/master/terminals.csv")
start_gateway() {  # the gateway's flags beyond these, if any
  rm -f "$work"/gw.db*
  build-bench/bin/fieldflow-gateway --listen 127.0.0.1:0 --db "$work/gw.db" --master "$work/master" \
    --auth open --http 127.0.0.1:0 "$@" >"$work/gw.out" 2>"$work/gw.log" &
  gw=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/gw.out" 2>/dev/null && break; sleep 0.1; done
  address=$(sed -n 's/^listening on //p' "$work/gw.out")
  http=$(sed -n "s/^operators' http on //p" "$work/gw.out")
}
stop_gateway() { kill "$gw"; wait "$gw" || true; gw=""; }

# 10,000 records queued in one command (a distributor's flow file, one
# record per row), then synced; every figure from GNU time.
{
  echo "flow_id,date,seller_id,buyer_id,product_id,lot,qty"
  for i in $(seq 10000); do echo "F$i,2026-11-02,D01,$terminal,P01,L1,1"; done
} >"$work/flows.csv"
measure() {  # name, then the agent command
  local name=$1; shift
  local state="$work/state-$name"
  "$@" --state "$state" init --device "dev-$name" --rep R01 >/dev/null
  /usr/bin/time -f "%U %S %M" -o "$work/$name.capture" "$@" --state "$state" upload flows "$work/flows.csv" >/dev/null
  start_gateway
  /usr/bin/time -f "%U %S %M" -o "$work/$name.sync" "$@" --state "$state" sync --gateway "$address" --batch 500 >/dev/null
  stop_gateway
  # Interactive captures: a process started per record, as a rep's tap does.
  "$@" --state "$state" checkin --terminal "$terminal" --lat "$lat" --lon "$lon" --accuracy 8 >/dev/null
  /usr/bin/time -f "%U %S %M" -o "$work/$name.one" bash -c '
    for _ in $(seq 20); do "$@" count --product P01 --qty 3 >/dev/null; done' _ "$@" --state "$state"
  # What the process needs before it does anything: its usage message.
  /usr/bin/time -f "%U %S %M" -o "$work/$name.bare" "$@" --help >/dev/null 2>&1 || true
}
measure arm qemu-aarch64 "$work/fieldflow-agent"
measure x86 build-bench/bin/fieldflow-agent
# serve as the rep's app runs it, its page polling /api/state every 0.2 s:
# first with nothing to sync with, then while its background sync delivers
# 2,000 queued records and a 3 MiB photo, and on once all is delivered.
# Resident from the kernel's counters of the process (VmRSS, VmHWM: under
# qemu-aarch64, the emulator's with the agent inside). Then the same with
# the outbox sealed under the rep's PIN, its photo opened before it is sent.
head -n 2001 "$work/flows.csv" >"$work/flows-2000.csv"
head -c $((3 << 20)) /dev/urandom >"$work/photo.jpg"
vm() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
serve_start() {  # the agent command, then serve's own flags
  "$@" --ui 127.0.0.1:0 --web web/handheld >"$work/serve.out" 2>"$work/serve.log" &
  serving=$!
  for _ in $(seq 300); do grep -q "serving the handheld's page" "$work/serve.out" && break; sleep 0.1; done
  app=$(sed -n "s/^serving the handheld's page at //p" "$work/serve.out")
  [ -n "$app" ] || { cat "$work/serve.log" >&2; echo "serve did not start" >&2; exit 1; }
  curl -fsS "$app" >/dev/null
}
poll() { for _ in $(seq "$1"); do curl -fsS "${app}api/state"; echo; sleep 0.2; done; }
serve_measure() {  # name, the rep's PIN (none: no PIN), then the agent command
  local name=$1 pin=$2; shift 2
  local state="$work/serve-$name"
  "$@" --state "$state" init --device "dev-s$name" --rep R01 >/dev/null
  # With a PIN the outbox and the photo are sealed, and set-pin leaves the
  # handheld unlocked for serve (the key in the kernel's keyring).
  [ "$pin" = none ] || printf '%s\n' "$pin" | "$@" --state "$state" set-pin >/dev/null
  "$@" --state "$state" upload flows "$work/flows-2000.csv" >/dev/null
  "$@" --state "$state" checkin --terminal "$terminal" --lat "$lat" --lon "$lon" --accuracy 8 >/dev/null
  "$@" --state "$state" display --product P01 --facings 4 --position eye --photo "$work/photo.jpg" >/dev/null
  serve_start "$@" --state "$state" serve
  poll 15 >/dev/null
  local idle
  idle=$(vm "$serving" VmRSS)
  kill "$serving"; wait "$serving"
  start_gateway
  serve_start "$@" --state "$state" serve --gateway "$address"
  local delivered=""
  for _ in $(seq 600); do
    poll 1 >"$work/state.json"
    grep -q '"photos_waiting":0,.*"records_waiting":0,' "$work/state.json" && { delivered=1; break; }
  done
  [ -n "$delivered" ] || { echo "serve did not deliver its outbox" >&2; exit 1; }
  poll 15 >/dev/null
  echo "$idle $(vm "$serving" VmHWM) $(vm "$serving" VmRSS)" >"$work/$name.serve"
  kill "$serving"; wait "$serving"; serving=""
  stop_gateway
}
serve_measure arm none qemu-aarch64 "$work/fieldflow-agent"
serve_measure x86 none build-bench/bin/fieldflow-agent
# Natively only: under qemu-aarch64 the key set-pin leaves in the kernel's
# keyring is not found again, so the outbox stays locked.
serve_measure x86-sealed 246810 build-bench/bin/fieldflow-agent
served() { awk -v i="$2" '{ printf "%.1f", $i / 1024 }' "$work/$1.serve"; }

# GNU time's last line (a failing command gets a line of its own first).
per() { tail -n 1 "$work/$1" | awk -v n="$2" '{ printf "%.1f", ($1 + $2) * 1e6 / n }'; }
rss() { tail -n 1 "$work/$1" | awk '{ printf "%.1f", $3 / 1024 }'; }

# A typical visit: check-in, five counts, three scans, a display with its
# photo's hash, a promotion, a check-out — as framed on the wire (the
# gateway's received-bytes counter, hello included) and as compact JSON.
# The photo's bytes are not the records': this gateway takes no photos, so
# that the display goes with its photo's hash and the photo stays behind.
start_gateway --max-photo-bytes 0
state="$work/state-visit"
agent=build-bench/bin/fieldflow-agent
"$agent" --state "$state" init --device dev-visit --rep R01 >/dev/null
"$agent" --state "$state" checkin --terminal "$terminal" --lat "$lat" --lon "$lon" --accuracy 8 >/dev/null
for p in P01 P02 P03 P04 P05; do "$agent" --state "$state" count --product "$p" --qty 12 --lot B2611 >/dev/null; done
printf '6901234567892\n]d201069012345678901720013110B2611P01\x1d21SN0001\n12345678901234567890\n' |
  "$agent" --state "$state" scan --line >/dev/null
head -c 200000 /dev/urandom >"$work/shelf.jpg"
"$agent" --state "$state" display --product P01 --facings 4 --position eye --photo "$work/shelf.jpg" >/dev/null
"$agent" --state "$state" promotion --product P02 --kind discount --price 19.90 --from 2026-11-01 --to 2026-11-30 >/dev/null
"$agent" --state "$state" checkout >/dev/null
"$agent" --state "$state" sync --gateway "$address" >/dev/null
wire=$(curl -s "http://$http/metrics" | awk '/^fieldflow_received_bytes_total/ { print $2 }')
records=$(sqlite3 "$work/gw.db" "SELECT count(*) FROM records WHERE device = 'dev-visit'")
"$ff" records --db "$work/gw.db" --device dev-visit >"$work/visit.jsonl"
stop_gateway
# The records as a device would send them as JSON: what it captured, not
# what the gateway added (verdict, reasons, arrival time), in one array.
json=$(python3 -c '
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
for r in rows:
    for key in ("verdict", "reasons", "received_at"): r.pop(key, None)
print(len(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()))' "$work/visit.jsonl")

echo
echo "## The handheld's footprint (aarch64)"
echo
echo "| measure | aarch64 under qemu-aarch64 | x86-64 natively | goal |"
echo "|---|---|---|---|"
echo "| stripped fieldflow-agent | $(mib "$agent_bytes") MiB | | |"
echo "| libraries beyond the C/C++ runtime and OpenSSL |$(echo "$extra_list" | sed 's/ /, /g; s/^, / /') — $(mib "$extra_bytes") MiB | | |"
echo "| binaries in all, beyond runtime and OpenSSL | $(mib $((agent_bytes + extra_bytes))) MiB | | under 8 MB |"
echo "| peak resident while syncing 10,000 records | $(rss arm.sync) MiB (emulator included) | $(rss x86.sync) MiB | under 16 MB |"
echo "| peak resident while queueing 10,000 records | $(rss arm.capture) MiB | $(rss x86.capture) MiB | |"
echo "| CPU per record queued (10,000 in one command) | $(per arm.capture 10000) µs | $(per x86.capture 10000) µs | |"
echo "| CPU per record synced | $(per arm.sync 10000) µs | $(per x86.sync 10000) µs | |"
echo "| peak resident printing its usage (the floor) | $(rss arm.bare) MiB | $(rss x86.bare) MiB | |"
echo "| CPU per interactive capture (20 processes), process start included | $(per arm.one 20000) ms | $(per x86.one 20000) ms | |"
echo "| serve: resident serving its page, polled, nothing to sync | $(served arm 1) MiB | $(served x86 1) MiB | under 16 MB |"
echo "| serve: peak resident while the page polls and the sync delivers 2,000 records and a 3 MiB photo | $(served arm 2) MiB | $(served x86 2) MiB | under 16 MB |"
echo "| serve: resident once all is delivered, the page still polling | $(served arm 3) MiB | $(served x86 3) MiB | under 16 MB |"
echo "| serve, the outbox sealed under a PIN: peak resident while the sync delivers the same | not measured | $(served x86-sealed 2) MiB | under 16 MB |"
echo "| serve, the outbox sealed under a PIN: resident once all is delivered | not measured | $(served x86-sealed 3) MiB | under 16 MB |"
awk -v w="$wire" -v j="$json" -v n="$records" 'BEGIN {
  printf "| a typical visit (%d records) on the wire | %d bytes framed, hello included; %d bytes as compact JSON | ratio %.2f | under 1/3 of JSON |\n", n, w, j, w / j }'
