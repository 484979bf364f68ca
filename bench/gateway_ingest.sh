#!/usr/bin/env bash
# The gateway's validated, durably committed ingest on SQLite and on
# PostgreSQL (a scratch server on loopback): its capacity with 1, 10 and 200
# simulated handhelds each sending its next batch once the last is acked,
# and its ack latency with 200 handhelds offering 50,000 records a second.
# Beside it, the physical limit (the very rows the gateway stored, inserted
# straight into a fresh store of the same kind by a minimal program, with
# the same durability) and a peer a user might pick instead (Mosquitto with
# persistence, QoS 1, the same payload sizes, one message per record).
# Then several gateway processes (1, 2 and 3) on one PostgreSQL server,
# the 200 handhelds spread over them as a load balancer would, beside COPY
# of the same rows and Mosquitto, with their ack latency at 50,000 and then
# 20,000 records a second offered.
# Called by bench/run.sh; prints one table per store and one for the
# several gateways, every figure from this one run.
# GATEWAY_RECORDS, GATEWAY_ROUNDS, GATEWAY_OFFERED and GATEWAY_SECONDS (of
# each offered-rate run) make a smaller run; GATEWAY_INSTANCES ("1 2 3")
# the numbers of gateways tried; BENCH_BUILD another build folder (its
# figures then not comparable with a Release build's).
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${BENCH_BUILD:-build-bench}
cmake --build "$bench" -j"$(nproc)" --target fieldflow-gateway fieldflow \
  fieldflow-bench-raw-insert fieldflow-bench-mqtt >/dev/null
work=$(mktemp -d)
# The server's own folder, where its user (postgres, under root) can reach it.
pg=$(mktemp -d /tmp/fieldflow-bench-pg-XXXXXX)
cleanup() {
  kill "${gw:-}" "${broker:-}" ${gws[@]+"${gws[@]}"} 2>/dev/null || true
  [ -f "$pg/PG_VERSION" ] && bash scripts/postgres.sh stop "$pg" || true
  rm -rf "$work" "$pg"
}
trap cleanup EXIT
ff="$bench/bin/fieldflow"
total=${GATEWAY_RECORDS:-200000}
"$ff" masterdata generate --out "$work/master" --terminals 200 --reps 50 >/dev/null
server=$(bash scripts/postgres.sh start "$pg" $((20000 + RANDOM % 20000)))
server=${server%/postgres}

# A fresh, empty store of the kind named: its location.
fresh_store() {
  if [ "$1" = sqlite ]; then
    rm -f "$work/$2".db*
    echo "$work/$2.db"
  else
    psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $2" -c "CREATE DATABASE $2"
    echo "$server/$2"
  fi
}

# A gateway on a fresh store of the kind named, listening at $address.
start_gateway() {
  db=$(fresh_store "$1" "gw")
  "$bench"/bin/fieldflow-gateway --listen 127.0.0.1:0 --db "$db" \
    --master "$work/master" >"$work/gw.out" 2>"$work/gw.log" &
  gw=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/gw.out" 2>/dev/null && break; sleep 0.1; done
  address=$(sed -n 's/^listening on //p' "$work/gw.out")
}
stop_gateway() { kill "$gw"; wait "$gw" || true; gw=""; }

# $1 gateways on one fresh PostgreSQL store, all their addresses in
# $address, comma-separated as loadgen and the handhelds take them.
gws=()
start_gateways() {
  db=$(fresh_store postgresql gw)
  address=""
  for i in $(seq "$1"); do
    "$bench"/bin/fieldflow-gateway --listen 127.0.0.1:0 --db "$db" \
      --master "$work/master" >"$work/gw$i.out" 2>"$work/gw$i.log" &
    gws+=($!)
    for _ in $(seq 100); do grep -q "listening on" "$work/gw$i.out" 2>/dev/null && break; sleep 0.1; done
    address+="${address:+,}$(sed -n 's/^listening on //p' "$work/gw$i.out")"
  done
}
stop_gateways() {
  kill "${gws[@]}"
  for pid in "${gws[@]}"; do wait "$pid" || true; done
  gws=()
}

# One loadgen run against that gateway: its figures into the arrays under `key`.
declare -A rate p50 p99 p999 worst once raw_rows raw_records
measure() {
  local key=$1 agents=$2 records=$3
  shift 3
  # A run that is not exactly once exits 1: the table says so.
  "$ff" loadgen --gateway "$address" --master "$work/master" --agents "$agents" \
    --records "$records" --batch 100 --db "$db" "$@" >"$work/lg.out" || true
  read -r "rate[$key]" "p50[$key]" "p99[$key]" "p999[$key]" "worst[$key]" "once[$key]" < <(awk '
    /records\/s committed/ { rate = $(NF - 2) }
    /ack latency/ { p50 = $(NF - 10); p99 = $(NF - 7); p999 = $(NF - 4); max = $(NF - 1) }
    /exactly once/ { once = $NF }
    END { print rate, p50, p99, p999, max, once }' "$work/lg.out")
}

# The median of numbers (of an even count, the lower middle one).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The figures of `key` from its median round by rate, measured as
# key_1 ... key_$rounds (of an even count, the lower middle one); exactly
# once is every round's.
median_round() {
  local key=$1 middle round
  middle=$(for round in $(seq "$rounds"); do echo "${rate[${key}_${round}]} $round"; done |
    sort -g | awk -v n="$rounds" 'NR == int((n + 1) / 2) { print $2 }')
  rate[$key]=${rate[${key}_${middle}]} p50[$key]=${p50[${key}_${middle}]}
  p99[$key]=${p99[${key}_${middle}]} p999[$key]=${p999[${key}_${middle}]}
  worst[$key]=${worst[${key}_${middle}]} once[$key]=yes
  for round in $(seq "$rounds"); do
    [ "${once[${key}_${round}]}" = yes ] || once[$key]=no
  done
}

offered=${GATEWAY_OFFERED:-50000}
seconds=${GATEWAY_SECONDS:-6}
# Capacity and the raw limit in rounds, one after the other, so that both
# sides meet the machine's ups and downs alike: each is the median round.
rounds=${GATEWAY_ROUNDS:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "GATEWAY_ROUNDS must be a whole number from 1" >&2; exit 2; }
for store in sqlite postgresql; do
  declare -a rows_rounds=() records_rounds=()
  for round in $(seq "$rounds"); do
    for agents in 1 10 200; do
      start_gateway "$store"
      measure "${store}_${agents}_${round}" "$agents" $((total / agents))
      stop_gateway
    done
    # The store of the 200 handhelds' run, as the gateway left it: its
    # records' average size sets the MQTT messages' size, and its rows are
    # what the raw program inserts, all of them or the records table alone.
    if [ "$store" = sqlite ]; then
      bytes=$(sqlite3 "$db" "SELECT CAST(avg(length(raw)) AS INTEGER) FROM records")
    fi
    rows_rounds+=("$("$bench"/bin/fieldflow-bench-raw-insert "$db" \
      "$(fresh_store "$store" raw)" 10000 | awk '{ print $(NF - 3) }')")
    records_rounds+=("$("$bench"/bin/fieldflow-bench-raw-insert "$db" \
      "$(fresh_store "$store" raw)" 10000 records | awk '{ print $(NF - 3) }')")
  done
  raw_rows[$store]=$(median "${rows_rounds[@]}")
  raw_records[$store]=$(median "${records_rounds[@]}")
  for agents in 1 10 200; do median_round "${store}_${agents}"; done
  # Latency at a given load: 200 handhelds on their own schedules, six
  # seconds at the offered rate, first on a gateway just started on an
  # empty store, then on the same gateway once it has stored those
  # records: another 200 devices, with packs of their own.
  start_gateway "$store"
  measure "${store}_offered" 200 $((offered * seconds / 200)) --rate "$offered"
  measure "${store}_service" 200 $((offered * seconds / 200)) --rate "$offered" --first-device 201
  stop_gateway
done

# Several gateways on one PostgreSQL server: capacity with 200 handhelds,
# in rounds of 1, 2 and 3 gateways one after the other, each the median
# round, so that the numbers of gateways meet the machine's ups and downs
# alike; then latency on a fresh store at the offered rate and at 20,000
# records a second (or the offered rate's 2/5 in a smaller run).
low=$((offered * 2 / 5))
instances=${GATEWAY_INSTANCES:-1 2 3}
for round in $(seq "$rounds"); do
  for n in $instances; do
    start_gateways "$n"
    measure "multi_${n}_${round}" 200 $((total / 200))
    stop_gateways
  done
done
for n in $instances; do
  median_round "multi_$n"
  for r in "$offered" "$low"; do
    start_gateways "$n"
    measure "multi_${n}_at_$r" 200 $((r * seconds / 200)) --rate "$r"
    stop_gateways
  done
done

# Mosquitto keeps every message for an offline persistent subscriber and
# saves its store to disk every second (it has no sync per message).
port=$((20000 + RANDOM % 20000))
declare -A mqtt
for agents in 1 10 200; do
  rm -rf "$work/mq" && mkdir -p "$work/mq"
  cat >"$work/mq/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $work/mq/
autosave_interval 1
max_queued_messages 0
$( [ "$(id -u)" -eq 0 ] && echo "user root" )
CONF
  mosquitto -c "$work/mq/mosquitto.conf" >"$work/mq/log" 2>&1 &
  broker=$!
  sleep 0.5
  mqtt[$agents]=$("$bench"/bin/fieldflow-bench-mqtt 127.0.0.1 "$port" "$agents" \
    $((total / agents)) "$bytes" | awk '{ print $(NF - 2) }')
  kill "$broker"; wait "$broker" || true; broker=""
done

for store in sqlite postgresql; do
  name=$([ "$store" = sqlite ] && echo SQLite || echo PostgreSQL)
  echo
  echo "## Gateway ingest: $name, full durability, batches of 100"
  echo
  echo "| agents | records | committed records/s | ack p50 ms | ack p99 ms | ack p99.9 ms | max ms | exactly once | share of raw, the same rows (${raw_rows[$store]} records/s) | share of raw, records table alone (${raw_records[$store]} records/s) | Mosquitto QoS 1 messages/s | gateway / Mosquitto |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for agents in 1 10 200 offered service; do
    key="${store}_${agents}"
    awk -v a="$agents" -v t="$total" -v r="${rate[$key]}" -v p50="${p50[$key]}" \
      -v p99="${p99[$key]}" -v p999="${p999[$key]}" -v m="${worst[$key]}" \
      -v o="${once[$key]}" -v rr="${raw_rows[$store]}" -v rc="${raw_records[$store]}" \
      -v mq="${mqtt[$agents]:-0}" -v offered="$offered" -v seconds="$seconds" \
      'BEGIN {
         if (a == "offered" || a == "service") {
           printf "| 200 offering %d records/s, %s | %d | %s | %s | %s | %s | %s | %s | — | — | — | — |\n",
                  offered, a == "offered" ? "just started on an empty store" : sprintf("the same gateway %d records later", offered * seconds),
                  offered * seconds, r, p50, p99, p999, m, o
         } else {
           printf "| %s | %s | %s | %s | %s | %s | %s | %s | %.0f %% | %.0f %% | %s | %.2f |\n",
                  a, t, r, p50, p99, p999, m, o, 100 * r / rr, 100 * r / rc, mq, r / mq
         }
       }'
  done
done
echo
echo "Records of $bytes bytes on average, from a fleet of visits (check-ins, stock counts, scans of GS1 DataMatrix and traceability codes, terminal sales, check-outs) and commercial reps' stock reports. Raw: the rows the gateway stored in the 200 handhelds' run (records, reasons, audit entries, open visits, pack sightings, stock reports), inserted into a fresh store, 10,000 per transaction, with the same durability (SQLite: WAL with synchronous=FULL; PostgreSQL 15: synchronous_commit on, fsync on), given in that run's records per second. Capacity and raw rows are the median of $rounds rounds run one after the other (each round: 1, 10 and 200 handhelds, then the raw program on the 200 handhelds' rows). The same Mosquitto figures stand beside both tables."

echo
echo "## Gateway ingest: several gateways on one PostgreSQL server, 200 handhelds, batches of 100"
echo
echo "| gateways | committed records/s | ack p50 ms | ack p99 ms | exactly once | share of COPY of the same rows (${raw_rows[postgresql]} records/s) | gateways / Mosquitto QoS 1 (${mqtt[200]} messages/s) | ack p99 ms offering $offered records/s | exactly once | ack p99 ms offering $low records/s | exactly once |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for n in $instances; do
  key="multi_$n" hi="multi_${n}_at_$offered" lo="multi_${n}_at_$low"
  awk -v n="$n" -v r="${rate[$key]}" -v p50="${p50[$key]}" -v p99="${p99[$key]}" \
    -v o="${once[$key]}" -v rr="${raw_rows[postgresql]}" -v mq="${mqtt[200]}" \
    -v hp="${p99[$hi]}" -v ho="${once[$hi]}" -v lp="${p99[$lo]}" -v lo="${once[$lo]}" \
    'BEGIN { printf "| %s | %s | %s | %s | %s | %.0f %% | %.2f | %s | %s | %s | %s |\n",
                    n, r, p50, p99, o, 100 * r / rr, r / mq, hp, ho, lp, lo }'
done
echo
echo "Each gateway is its own process on the one server's store; loadgen sends device i to gateway i modulo their number (\`--gateway A,B,C\`). Capacity: $total records in all, each number of gateways on a fresh store, the median of $rounds rounds of 1, 2 and 3 gateways run one after the other; latency: $seconds seconds at the offered rate, each on a fresh store."
