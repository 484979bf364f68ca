#!/usr/bin/env bash
# The handheld's serve, built for ARM and run under user-mode emulation, as
# the rep's page drives it: its GPS a recording at a terminal, its scan
# engine a FIFO, its sync a gateway built for the host. A visit made through
# the page's API reaches the gateway with no sync command, and SIGTERM ends
# it cleanly.
#   serve_under_emulation.sh EMULATOR AGENT HOST_BIN_DIR WEB_DIR
set -euo pipefail
emulator=$1 agent=$2 host=$3 web=$4
work=$(mktemp -d)
trap 'kill "${serve_pid:-}" "${events_pid:-}" "${gw:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() {
  echo "FAILED: $*" >&2
  for log in serve.log gw.log; do [ -f "$work/$log" ] && sed "s/^/$log: /" "$work/$log" >&2; done
  exit 1
}
run() { "$emulator" "$agent" --state "$work/handheld" "$@"; }
field() { python3 -c 'import json, sys; v = json.load(sys.stdin)
for k in sys.argv[1:]: v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v) if isinstance(v, (dict, list)) or v is None else v)' "$@"; }
# Decimal degrees as NMEA writes them: ddmm.mmmm (dddmm.mmmm for longitude).
nmea_angle() { awk -v d="$1" -v w="$2" 'BEGIN { a = int(d); printf "%0" w "d%07.4f", a, (d - a) * 60 }'; }
nmea() {
  local sum=0 i
  for ((i = 0; i < ${#1}; i++)); do sum=$((sum ^ $(printf %d "'${1:i:1}"))); done
  printf '$%s*%02X\r\n' "$1" "$sum"
}

[ "$(od -An -tx1 -j18 -N2 "$agent" | tr -d ' \n')" = "b700" ] || fail "$agent is not an aarch64 program"
"$host/fieldflow" masterdata generate --out "$work/master" --terminals 5 --reps 2 >/dev/null
IFS=, read -r terminal _ _ _ lat lon _ < <(sed -n 2p "$work/master/terminals.csv")
IFS=, read -r rep _ _ _ device < <(sed -n 2p "$work/master/reps.csv")
IFS=, read -r product _ _ _ gtin _ < <(sed -n 2p "$work/master/products.csv")

"$host/fieldflow-gateway" --listen 127.0.0.1:0 --db "$work/gateway.db" --master "$work/master" \
  --auth open >"$work/gw.out" 2>"$work/gw.log" &
gw=$!
for _ in $(seq 100); do grep -q "listening on" "$work/gw.out" 2>/dev/null && break; sleep 0.1; done
address=$(sed -n 's/^listening on //p' "$work/gw.out")
[ -n "$address" ] || fail "the host gateway did not start"

run init --device "$device" --rep "$rep" >/dev/null
# The receiver's recording: a fix on the terminal, 8 satellites, HDOP 0.9.
{
  nmea "GNRMC,031500.00,A,$(nmea_angle "$lat" 2),N,$(nmea_angle "$lon" 3),E,0.0,0.0,221126,,,A"
  nmea "GNGGA,031500.00,$(nmea_angle "$lat" 2),N,$(nmea_angle "$lon" 3),E,1,08,0.9,12.0,M,8.0,M,,"
} >"$work/fix.nmea"
mkfifo "$work/scanner"
"$emulator" "$agent" --state "$work/handheld" serve --ui 127.0.0.1:0 --gateway "$address" \
  --gps-replay "$work/fix.nmea" --scanner "$work/scanner" --web "$web" >"$work/serve.out" 2>"$work/serve.log" &
serve_pid=$!
for _ in $(seq 300); do grep -q "serving the handheld's page" "$work/serve.out" && break; sleep 0.1; done
app=$(sed -n "s/^serving the handheld's page at //p" "$work/serve.out")
[ -n "$app" ] || fail "serve did not start"
port=${app%/}; port=${port##*:}

# As the page starts: its files, then the session's token.
curl -fsS "$app" | grep -q "<html" || fail "GET / did not serve the page"
token=$(curl -fsS "${app}api/session" | field token)
post() {  # path, JSON body; prints the body and then the status
  curl -sS -o - -w '\n%{http_code}' -H 'Content-Type: application/json' \
    -H "X-Fieldflow-Token: $token" -d "$2" "$app${1#/}"
}
ok() {  # path, JSON body; the answer's body, or fail
  local answer status
  answer=$(post "$@")
  status=${answer##*$'\n'}
  [ "$status" = 200 ] || fail "POST $1 $2 answered $status: ${answer%$'\n'*}"
  printf '%s\n' "${answer%$'\n'*}"
}
# The rules before any route: the token of this start, the Host listened on.
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"terminal\":\"$terminal\"}" "${app}api/checkin")
[ "$status" = 403 ] || fail "a check-in without the token answered $status, not 403"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: fieldflow.example:$port" "${app}api/state")
[ "$status" = 421 ] || fail "a request for another host answered $status, not 421"

# The page listens for the scan engine's codes.
curl -sSN "${app}api/events" >"$work/events" &
events_pid=$!
fix=$(curl -fsS "${app}api/state" | field fix)
[ "$fix" != null ] || fail "serve has no fix from $work/fix.nmea"

[ "$(ok /api/checkin "{\"terminal\":\"$terminal\"}" | field inside)" = True ] ||
  fail "the check-in at $terminal's own position was not inside its geofence"
code=6901234567892
echo "$code" >"$work/scanner"
for _ in $(seq 100); do grep -q "\"code\":\"$code\"" "$work/events" && break; sleep 0.1; done
grep -q '^event: scan$' "$work/events" || fail "no scan event for $code: $(cat "$work/events")"
[ "$(curl -fsS "${app}api/visit" | field scans 0 code)" = "$code" ] ||
  fail "the scan engine's $code is not in the visit"
ok /api/count "{\"gtin\":\"$gtin\",\"quantity\":12}" >/dev/null
ok /api/checkout '{}' >/dev/null

# No sync command: serve's own sync delivers the four records.
for _ in $(seq 300); do
  [ "$(curl -fsS "${app}api/state" | field records_waiting)" = 0 ] && break
  sleep 0.1
done
stored=$(sqlite3 "$work/gateway.db" \
  "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM records WHERE device = '$device' ORDER BY seq)")
[ "$stored" = "check_in scan stock_count check_out" ] ||
  fail "the gateway stored '$stored', not the check-in, the scan, the count and the check-out"
"$host/fieldflow" records --db "$work/gateway.db" --device "$device" >"$work/records.jsonl"
grep -q "$code" "$work/records.jsonl" || fail "the gateway's scan does not hold $code"
grep stock_count "$work/records.jsonl" | grep -q "\"$product\"" ||
  fail "the gateway's count is not of $product (GTIN $gtin)"
depth=$(run status --json | field depth)
[ "$depth" = 0 ] || fail "status --json says $depth records still queued"

kill -TERM "$serve_pid"
code=0
wait "$serve_pid" || code=$?
serve_pid=""
[ "$code" = 0 ] || fail "serve exited $code on SIGTERM"
echo "the aarch64 serve took a visit through its page's API and its scan engine, and its sync stored it at the host gateway"
