#!/usr/bin/env bash
# The gateway's validated, durably committed ingest with 1, 10 and 200
# simulated handhelds, beside the physical limit (the same rows inserted
# straight into SQLite by a minimal program, with the same durability) and
# beside a peer a user might pick instead (Mosquitto with persistence, QoS 1,
# the same payload sizes, one message per record). Called by bench/run.sh;
# prints one table, every figure from this one run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build-bench -j"$(nproc)" --target fieldflow-gateway fieldflow \
  fieldflow-bench-raw-insert fieldflow-bench-mqtt >/dev/null
work=$(mktemp -d)
trap 'kill "${gw:-}" "${broker:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
ff=build-bench/bin/fieldflow
total=${GATEWAY_RECORDS:-200000}
"$ff" masterdata generate --out "$work/master" --terminals 200 --reps 50 >/dev/null

declare -A rate p50 p99 p999 worst once mqtt
for agents in 1 10 200; do
  rm -f "$work"/gw.db*
  build-bench/bin/fieldflow-gateway --listen 127.0.0.1:0 --db "$work/gw.db" \
    --master "$work/master" >"$work/gw.out" 2>"$work/gw.log" &
  gw=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/gw.out" 2>/dev/null && break; sleep 0.1; done
  address=$(sed -n 's/^listening on //p' "$work/gw.out")
  "$ff" loadgen --gateway "$address" --master "$work/master" --agents "$agents" \
    --records $((total / agents)) --batch 100 --db "$work/gw.db" >"$work/lg.out"
  kill "$gw"; wait "$gw" || true; gw=""
  read -r rate[$agents] p50[$agents] p99[$agents] p999[$agents] worst[$agents] once[$agents] < <(awk '
    /records\/s committed/ { rate = $(NF - 2) }
    /ack latency/ { p50 = $(NF - 10); p99 = $(NF - 7); p999 = $(NF - 4); max = $(NF - 1) }
    /exactly once/ { once = $NF }
    END { print rate, p50, p99, p999, max, once }' "$work/lg.out")
done
# The records as the gateway stored them: their average size sets the raw
# rows' and the MQTT messages' size.
bytes=$(sqlite3 "$work/gw.db" "SELECT CAST(avg(length(raw)) AS INTEGER) FROM records")
raw=$(build-bench/bin/fieldflow-bench-raw-insert "$work/raw.db" "$total" 10000 "$bytes" |
  awk '{ print $(NF - 1) }')

# Mosquitto keeps every message for an offline persistent subscriber and
# saves its store to disk every second (it has no sync per message).
port=$((20000 + RANDOM % 20000))
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
  mqtt[$agents]=$(build-bench/bin/fieldflow-bench-mqtt 127.0.0.1 "$port" "$agents" \
    $((total / agents)) "$bytes" | awk '{ print $(NF - 2) }')
  kill "$broker"; wait "$broker" || true; broker=""
done

echo
echo "## Gateway ingest: SQLite, full durability, batches of 100"
echo
echo "| agents | records | committed records/s | ack p50 ms | ack p99 ms | ack p99.9 ms | max ms | exactly once | share of raw SQLite ($raw rows/s) | Mosquitto QoS 1 messages/s | gateway / Mosquitto |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for agents in 1 10 200; do
  awk -v a="$agents" -v t="$total" -v r="${rate[$agents]}" -v p50="${p50[$agents]}" \
    -v p99="${p99[$agents]}" -v p999="${p999[$agents]}" -v m="${worst[$agents]}" \
    -v o="${once[$agents]}" -v raw="$raw" -v mq="${mqtt[$agents]}" \
    'BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %.0f %% | %s | %.2f |\n",
             a, t, r, p50, p99, p999, m, o, 100 * r / raw, mq, r / mq }'
done
echo
echo "Records of $bytes bytes on average; raw SQLite: the same rows into the gateway's records table, 10,000 per transaction, WAL with synchronous=FULL."
