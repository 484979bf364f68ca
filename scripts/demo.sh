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
# The demo's day: the latest day in China (where the reps work) whose
# working hours are over, so that no visit lies in the future.
day=$(TZ=Asia/Shanghai date -d 'now - 18 hours' +%Y-%m-%d)
# The time of day on the handhelds, in minutes after midnight China time.
clock=0
time_is() { clock=$((10#${1%%:*} * 60 + 10#${1##*:})); }
now() { printf '%02d:%02d' $((clock / 60)) $((clock % 60)); }
# A capture on a handheld at the story's time of day: the handheld's own
# clock says so (Debian's faketime), as a rep's does when the visit happens.
# Each capture takes a couple of minutes of the rep's time.
capture() {
  local who=$1; shift
  faketime "$day $(now):00 +0800" "$bin/fieldflow-agent" --state "handhelds/$who" "$@" | sed 's/^/   /'
  clock=$((clock + 2))
}
# Says what happens, at the time it happens.
when() { printf '   %s %s\n' "$(now)" "$*"; }
# Column of terminals.csv for a terminal: 2 name, 4 territory, 5 lat, 6 lon.
terminal() { awk -F, -v id="$1" -v col="$2" '$1 == id { print $col }' master/terminals.csv; }
# A GPS fix at the terminal, optionally moved north by some metres.
at() {
  local lat lon
  lat=$(terminal "$1" 5); lon=$(terminal "$1" 6)
  awk -v lat="$lat" -v north="${2:-0}" 'BEGIN { printf "%.6f", lat + north / 111195 }'
  printf ' %s' "$lon"
}
# The product the flow data delivered most of to a terminal, and half that
# quantity: what a rep plausibly finds on the shelf.
on_shelf() {
  awk -F, -v t="$1" '$4 == t { got[$5] += $7 } END {
    for (p in got) if (got[p] > best) { best = got[p]; product = p }
    if (product == "") print "P01", 1; else print product, int(best / 2) }' books/flows.csv
}
count_shelf() {
  local who=$1 terminal=$2 shelf
  shelf=($(on_shelf "$terminal"))
  capture "$who" count --product "${shelf[0]}" --qty "${shelf[1]}"
}
# The operator enrols a handheld for a rep; the credential, shown once, goes
# onto the device.
enrol() {
  local token
  token=$("$bin/fieldflow" device enroll --device "$1" --rep "$2" --db gateway.db --master master 2>/dev/null)
  agent "$1" init --device "$1" --rep "$2" --credential "$token"
}
# visit_in HH:MM WHO TERMINAL [METRES_OFF]
visit_in() {
  time_is "$1"
  local who=$2 id=$3 north=${4:-0} fix
  fix=($(at "$id" "$north"))
  when "$who checks in at $id $(terminal "$id" 2) ($(terminal "$id" 4))${4:+, GPS ${north} m off}"
  capture "$who" checkin --terminal "$id" --lat "${fix[0]}" --lon "${fix[1]}" --accuracy 12
}
# visit_out HH:MM WHO
visit_out() {
  time_is "$1"
  when "$2 checks out"
  capture "$2" checkout
}

gateway_pid=""
stop_gateway() {
  if [ -n "$gateway_pid" ] && kill -0 "$gateway_pid" 2>/dev/null; then
    kill -TERM "$gateway_pid"
    wait "$gateway_pid" || true
  fi
}
trap stop_gateway EXIT

ff() { "$bin/fieldflow" "$@" 2>&1 | sed 's/^/   /'; }
first_month=$(date -d "$(date +%Y-%m-01) -2 month" +%Y-%m)
second_month=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)

section "Master data, and three months of distribution books"
# demo-data writes master data (the same generator as `fieldflow masterdata
# generate`) and the books: the company's shipments, the distributors' flow
# data and stock reports, with a few anomalies of every kind planted.
ff demo-data --out books --seed 7 --terminals 24 --months 3 --start "$first_month"
cp -r books/master master
say "reps:"
tail -n +2 master/reps.csv | sed 's/^/     /'
say "importing into the store the gateway will use (one GBK file among them):"
iconv -f UTF-8 -t GB18030 books/stock.csv >books/stock-gbk.csv
ff import opening books/opening.csv --db gateway.db
ff import shipments books/shipments.csv --db gateway.db
ff import flows books/flows.csv --db gateway.db
ff import stock books/stock-gbk.csv --db gateway.db --encoding gbk
say "the same flow file again changes nothing:"
ff import flows books/flows.csv --db gateway.db
say "$first_month is closed; a distributor's late rows for it arrive afterwards:"
ff period close "$first_month" --db gateway.db --by demo
ff import flows books/flows-late.csv --db gateway.db

section "The operator plans the day's visits"
say "master data into the store, as version 1 (running gateways take up later versions by themselves):"
ff master import master --db gateway.db --by demo
# R02 covers Pudong: three of its pharmacies and clinics, in route order.
cat >plan.csv <<CSV
rep_id,date,terminal_id,purpose,order
R02,$day,T013,陈列检查,1
R02,$day,T019,库存盘点,2
R02,$day,T007,新品推广,3
CSV
ff plan import plan.csv --db gateway.db --by demo
ff plan list --date "$day" --rep R02 --db gateway.db

section "Morning of $day, no network: two reps capture visits offline"
for who in dev-001:R01 dev-003:R03; do
  enrol "${who%%:*}" "${who##*:}"
done
say "(times are China time; each handheld's clock reads the time of its capture)"
visit_in 09:10 dev-001 T001
count_shelf dev-001 T001
when "dev-001 counts a lot that the flow data never brought to T001"
capture dev-001 count --product P02 --qty 5 --lot 20251102
visit_out 09:40 dev-001
say "dev-001 drives 17 km across the city to T002"
visit_in 10:25 dev-001 T002 600
count_shelf dev-001 T002
visit_out 10:55 dev-001
visit_in 09:30 dev-003 T005
capture dev-003 count --product P99 --qty 3
capture dev-003 count --product P01 --qty -2
count_shelf dev-003 T005
visit_out 10:05 dev-003
for who in dev-001 dev-003; do
  say "$who status:"
  agent "$who" status
done

section "The gateway starts on its embedded SQLite store"
"$bin/fieldflow-gateway" --listen 127.0.0.1:0 --db gateway.db --master master \
  --http 127.0.0.1:0 >gateway.out 2>gateway.log &
gateway_pid=$!
for _ in $(seq 100); do
  grep -q "listening on" gateway.out 2>/dev/null && break
  sleep 0.1
done
address=$(sed -n 's/^listening on //p' gateway.out)
[ -n "$address" ] || { cat gateway.log; echo "the gateway did not start" >&2; exit 1; }
http=$(sed -n "s/^operators' http on //p" gateway.out)
say "listening on $address (log: demo-run/gateway.log); operators' pages on http://$http/"

section "Back in coverage: the offline handhelds sync"
for who in dev-001 dev-003; do
  say "$who:"
  agent "$who" sync --gateway "$address"
done

section "Afternoon, online: two more reps visit and sync right away"
enrol dev-002 R02
enrol dev-004 R04
say "dev-002 syncs before setting out: the handheld downloads its rep's terminals"
agent dev-002 sync --gateway "$address"
agent dev-002 status | grep -E 'master|photos'
say "the day's plan as the handheld holds it, which the rep starts from:"
agent dev-002 plan --day "$day"
# A storefront photo (门头照) as the handheld's camera leaves it.
python3 - storefront.png <<'PY'
import struct, sys, zlib
w, h = 320, 240
rows = b"".join(b"\0" + b"".join(
    bytes((200, 30, 40)) if y < 60 else bytes((235, 235, 230)) if (x // 40) % 2 else bytes((90, 140, 190))
    for x in range(w)) for y in range(h))
chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
time_is 13:20
fix=($(at T013 20))
when "dev-002 checks in at the nearest terminal, with a storefront photo"
capture dev-002 checkin --nearest --lat "${fix[0]}" --lon "${fix[1]}" --accuracy 12 --photo storefront.png
count_shelf dev-002 T013
visit_out 13:45 dev-002
visit_in 14:00 dev-002 T002
count_shelf dev-002 T002
visit_out 14:30 dev-002
time_is 15:05
when "dev-002 checks in at T999, a terminal the master data does not know"
capture dev-002 checkin --terminal T999 --lat 31.2 --lon 121.5 --accuracy 10
visit_out 15:20 dev-002
visit_in 14:10 dev-004 T008
count_shelf dev-004 T008
when "dev-004 scans packs on the shelf with the handheld's scan engine"
# An EAN-13, a GS1 DataMatrix of an expired lot, a traceability code, and a
# product the master data does not know, as a scan engine types them.
printf '%s\n' "]E06901234000016" "]d201069012340000161720013110OLDLOT" \
  "86010000001234567890" "4006381333931" | capture dev-004 scan --line
say "dev-004 walks on to T014, 3 km away, without checking out of T008"
visit_in 14:55 dev-004 T014
visit_out 15:30 dev-004
say "50 minutes after checking in at T014, dev-004's handheld checks in at a hospital in"
say "Hangzhou, 160 km away: no road gets there that fast; someone else carries the"
say "handheld, or the fix is made up (the day's one impossible travel)"
visit_in 15:45 dev-004 T011
visit_out 16:10 dev-004
for who in dev-002 dev-004; do
  say "$who:"
  agent "$who" sync --gateway "$address"
done

section "The rep's app: dev-002's handheld runs serve"
"$bin/fieldflow-agent" --state handhelds/dev-002 serve --ui 127.0.0.1:0 --gateway "$address" \
  >serve.out 2>serve.log &
serve_pid=$!
app=""
for _ in $(seq 1 100); do
  app=$(sed -n "s/^serving the handheld's page at //p" serve.out)
  [ -n "$app" ] && break
  sleep 0.1
done
say "the app answers at $app (loopback only; on the handheld its browser opens it):"
curl -fsS "${app}api/state" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("     records waiting %s, photos waiting %s, master data version %s, plan version %s"
      % (s["records_waiting"], s["photos_waiting"], s["master_version"], s["plan_version"]))'
kill -TERM "$serve_pid"
wait "$serve_pid" && say "serve stopped on SIGTERM with its outbox intact (exit 0)"

section "A commercial rep uploads a distributor's flow data and stock report"
enrol dev-006 R06
lot="B$(date -d "$day" +%y%m)P01"
cat >d01-flows.csv <<CSV
flow_id,date,seller_id,buyer_id,product_id,lot,qty
FX-1,$day,D01,T001,P01,$lot,2
FX-2,$day,D04,T005,P01,$lot,1
FX-3,$day,D01,T001,P01,$lot,many
CSV
cat >d01-stock.csv <<CSV
report_id,date,holder_id,product_id,lot,qty
SX-1,$day,D01,P01,,9999
CSV
say "FX-2 is a Pudong distributor selling in Hangzhou; FX-3 is not a number; SX-1 is far off the ledger"
time_is 16:30
capture dev-006 upload flows d01-flows.csv || true
capture dev-006 upload stock d01-stock.csv
agent dev-006 sync --gateway "$address"

section "A handheld nobody enrolled"
agent dev-009 init --device dev-009 --rep R05
visit_in 16:40 dev-009 T005
agent dev-009 sync --gateway "$address" 2>&1 | sed 's/^/   /' || true
agent dev-009 status | grep outbox

section "What the gateway committed"
"$bin/fieldflow" summary --db gateway.db | sed 's/^/   /'

section "The operators' view: probes, metrics, and the review queue"
say "readiness: $(curl -s "http://$http/readyz")"
say "from /metrics (Prometheus text format):"
curl -s "http://$http/metrics" | grep -E '^fieldflow_records_total|^fieldflow_device_outbox_records' | sed 's/^/     /'
password="demo-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
echo "$password" | "$bin/fieldflow" operator add reviewer --role reviewer --db gateway.db --by demo | sed 's/^/   /'
csrf=$(curl -s -c cookies -H 'Content-Type: application/json' \
  -d "{\"name\":\"reviewer\",\"password\":\"$password\"}" "http://$http/api/login" |
  sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p')
queue=$(curl -s -b cookies "http://$http/api/review")
first=$(echo "$queue" | sed -n 's/^{"next_before":[^,]*,"records":\[{[^}]*"id":\([0-9]*\).*/\1/p')
say "review queue: $(echo "$queue" | grep -o '"id":' | wc -l) flagged records wait; the reviewer approves record $first:"
curl -s -b cookies -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
  -d '{"decision":"approve","comment":"checked with the rep by phone"}' \
  "http://$http/api/review/$first" | sed 's/^/     /'

section "Flagged records (booked, for review)"
"$bin/fieldflow" records --db gateway.db --verdict flagged | sed 's/^/   /'

section "Rejected records (kept verbatim in quarantine)"
"$bin/fieldflow" records --db gateway.db --verdict rejected | sed 's/^/   /'

section "The distribution books: ledger, anomalies, field effectiveness"
say "ledger of $second_month, first lines (stock = opening + inbound − outbound):"
"$bin/fieldflow" ledger --period "$second_month" --db gateway.db --master master | head -6 | sed 's/^/     /'
say "what terminals bought in $second_month, first lines:"
"$bin/fieldflow" ledger --period "$second_month" --db gateway.db --master master --view terminals | head -4 | sed 's/^/     /'
say "anomalies of $second_month (record_id,kind,reason,detail):"
"$bin/fieldflow" anomalies --period "$second_month" --db gateway.db --master master | sed 's/^/     /'
all=$("$bin/fieldflow" anomalies --db gateway.db --master master | tail -n +2 | cut -d, -f1-3 | sort)
# The commercial rep's upload above (FX-, SX- ids) is not in the generator's key.
found=$(echo "$all" | grep -v -E '^(FX|SX)-' || true)
uploaded=$(echo "$all" | grep -E '^(FX|SX)-' | tr '\n' ' ' || true)
planted=$(tail -n +2 books/answer-key.csv | sort)
if [ "$found" = "$planted" ]; then
  say "all $(echo "$planted" | wc -l) planted anomalies found, and nothing else;"
  say "  and from the field upload: $uploaded"
else
  say "the scan and the answer key differ:"
  diff <(echo "$planted") <(echo "$found") | sed 's/^/     /' || true
fi
say "the day's plan against what the reps did: R02 left T019 and T007 out, which count as missed"
say "once the day is over, and checked in at T002 off plan (T999, unknown, is quarantined):"
"$bin/fieldflow" effectiveness --period "${day:0:7}" --db gateway.db --master master --view plan | sed 's/^/     /'
photo=$(sha256sum storefront.png | cut -d' ' -f1)
"$bin/fieldflow" photo get "$photo" --db gateway.db --out storefront-at-gateway.png 2>&1 | sed 's/^/   /'
if cmp -s storefront.png storefront-at-gateway.png; then
  say "dev-002's storefront photo reached the gateway byte for byte; reviewers see it on the review card"
else
  say "dev-002's storefront photo differs at the gateway"
fi
say "the day's visits: coverage of A/B/C terminals against monthly targets, and per rep"
"$bin/fieldflow" effectiveness --period "${day:0:7}" --db gateway.db --master master | sed 's/^/     /'
"$bin/fieldflow" effectiveness --period "${day:0:7}" --db gateway.db --master master --view reps | sed 's/^/     /'

section "The gateway stops cleanly"
stop_gateway
say "every record and operator action is in the hash-chained audit log:"
ff audit verify --db gateway.db
gateway_pid=""
say "store: demo-run/gateway.db; master data: demo-run/master/; handhelds: demo-run/handhelds/"
say "explore: build/bin/fieldflow records --db demo-run/gateway.db [--verdict flagged|rejected] [--kind check_in]"
say "the dashboard: build/bin/fieldflow-gateway --listen 127.0.0.1:7700 --db demo-run/gateway.db --master demo-run/master --http 127.0.0.1:7780,"
say "  then open http://127.0.0.1:7780/ and log in as reviewer (password: $password)"
say "the rep's app: build/bin/fieldflow-agent --state demo-run/handhelds/dev-002 serve --ui 127.0.0.1:8090 --gateway 127.0.0.1:7700,"
say "  then open http://127.0.0.1:8090/ (a phone-sized window shows it as a handheld would)"
