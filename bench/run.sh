#!/usr/bin/env bash
# Reproduces every figure in docs/benchmarks.md: builds the benchmarks in
# release mode and prints the tables.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DFIELDFLOW_BENCH=ON -DFIELDFLOW_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target fieldflow-bench-scan >/dev/null
echo "## Scanning a camera frame"
echo
build-bench/bin/fieldflow-bench-scan --runs "${RUNS:-30}"

# The distribution books: TERMINALS × MONTHS × ORDERS terminal orders (the
# defaults make about ten million flow rows), imported with `fieldflow
# import`, then the ledger and the anomaly scan; beside the sqlite3 shell
# importing the same CSV and summing it per seller, product and month.
cmake --build build-bench -j"$(nproc)" --target fieldflow-bench-books fieldflow >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ff=build-bench/bin/fieldflow
"$ff" demo-data --out "$work/data" --seed 1 --terminals "${TERMINALS:-50000}" \
  --months "${MONTHS:-12}" --orders "${ORDERS:-16}" >/dev/null
rows=$(($(wc -l <"$work/data/flows.csv") - 1))
mb=$(($(stat -c %s "$work/data/flows.csv") / 1000000))
# Wall seconds and peak resident GiB of a command, from GNU time's report.
timed() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr"; exit 1; }
  read -r wall kib <"$work/time"
  echo "$wall $(awk -v k="$kib" 'BEGIN { printf "%.2f", k / 1048576 }')"
}
for kind in opening shipments stock; do "$ff" import $kind "$work/data/$kind.csv" --db "$work/books.db" >/dev/null; done
read -r import_s import_gib < <(timed "$ff" import flows "$work/data/flows.csv" --db "$work/books.db")
read -r shell_import_s _ < <(timed sqlite3 "$work/shell.db" \
  "CREATE TABLE flows (flow_id TEXT PRIMARY KEY, date TEXT, seller_id TEXT, buyer_id TEXT, product_id TEXT, lot TEXT, qty INTEGER)" \
  ".mode csv" ".import --skip 1 $work/data/flows.csv flows")
read -r shell_sum_s _ < <(timed sqlite3 "$work/shell.db" \
  "SELECT seller_id, product_id, substr(date, 1, 7), sum(qty) FROM flows GROUP BY 1, 2, 3" \
  "SELECT buyer_id, product_id, substr(date, 1, 7), sum(qty) FROM flows GROUP BY 1, 2, 3")
echo
echo "## Distribution books: $rows flow rows ($mb MB of CSV)"
echo
echo "| step | result |"
echo "|---|---|"
awk -v s="$import_s" -v n="$rows" -v g="$import_gib" \
  'BEGIN { printf "| fieldflow import flows | %.1f s, %.0f rows/s, peak %.2f GiB |\n", s, n / s, g }'
awk -v s="$shell_import_s" -v n="$rows" \
  'BEGIN { printf "| sqlite3 shell .import of the same CSV (flow_id key, no checks) | %.1f s, %.0f rows/s |\n", s, n / s }'
awk -v a="$import_s" -v b="$shell_import_s" \
  'BEGIN { printf "| import rate, fieldflow / sqlite3 shell | %.2f |\n", b / a }'
awk -v s="$shell_sum_s" 'BEGIN { printf "| sqlite3 shell: sums per seller and per buyer, product and month | %.2f s |\n", s }'
build-bench/bin/fieldflow-bench-books "$work/books.db" "$work/data/master" "$shell_sum_s"

# The downlink: what a territory's master data weighs on the wire and how
# long a handheld takes to apply it.
cmake --build build-bench -j"$(nproc)" --target fieldflow-bench-downlink >/dev/null
echo
echo "## Master data down to a handheld"
echo
build-bench/bin/fieldflow-bench-downlink "$work/downlink"

# The gateway's ingest beside the raw SQLite limit and Mosquitto.
bash bench/gateway_ingest.sh

# The gateway's memory under load and abuse.
bash bench/gateway_memory.sh

# The handheld's footprint on 64-bit ARM.
bash bench/footprint.sh

# The sealed outbox's cost per capture and per synced record, natively and
# under qemu-aarch64.
bash bench/sealing.sh

# The fault proxy's soak: every record exactly once through dropped,
# truncated, delayed and stalled connections.
bash bench/fault_soak.sh

# Every parser of untrusted input under libFuzzer, longer than in .ci/run.
bash bench/fuzz.sh

# Power cuts against the outbox and the group commit: nothing acked or
# reported saved may be lost, nothing stored twice.
bash bench/power_cut.sh
