#!/usr/bin/env bash
# The gateway's memory under load and abuse: its resident size while 200
# simulated handhelds upload, then again while, beside them, hundreds of
# connections stay silent, dribble a byte a second, send noise or announce
# gigabyte frames. Called by bench/run.sh; prints one table.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build-bench -j"$(nproc)" --target fieldflow-gateway fieldflow fieldflow-bench-hostile >/dev/null
work=$(mktemp -d)
trap 'kill "${sampler:-}" "${gw:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
ff=build-bench/bin/fieldflow
"$ff" masterdata generate --out "$work/master" --terminals 200 --reps 50 >/dev/null

build-bench/bin/fieldflow-gateway --listen 127.0.0.1:0 --db "$work/gw.db" --master "$work/master" \
  --handshake-timeout 5 --frame-timeout 5 >"$work/gw.out" 2>"$work/gw.log" &
gw=$!
for _ in $(seq 100); do grep -q "listening on" "$work/gw.out" 2>/dev/null && break; sleep 0.1; done
address=$(sed -n 's/^listening on //p' "$work/gw.out")
# Every 0.2 s, with a phase mark, the resident KiB and how many of them are
# the store's file, which the gateway reads through a memory map: those are
# the kernel's cached pages of that file, not the gateway's own memory. Both
# from one reading of the process's mappings, as SQLite maps the file anew
# when it grows. The peak of each phase is read off it.
echo idle >"$work/phase"
( while kill -0 "$gw" 2>/dev/null; do
    echo "$(cat "$work/phase")" "$(awk -v db="$work/gw.db" '/^[0-9a-f]+-/ { mapped = ($NF == db) }
        $1 == "Rss:" { all += $2; if (mapped) store += $2 }
        END { print all + 0, store + 0 }' "/proc/$gw/smaps" 2>/dev/null)"
    sleep 0.2
  done ) >"$work/rss" &
sampler=$!
sleep 2
agents=200 records=${MEMORY_RECORDS:-500}
fleet() {
  "$ff" loadgen --gateway "$address" --master "$work/master" --agents "$agents" \
    --records "$records" --batch 100 --db "$work/gw.db" --prefix "$1" >"$work/$1.out"
}
echo honest >"$work/phase"
fleet honest
echo abused >"$work/phase"
build-bench/bin/fieldflow-bench-hostile "$address" 40 100 100 20 20 >"$work/hostile.out" &
hostile=$!
sleep 5  # let the hostile connections pile up first
fleet abused1
fleet abused2
wait "$hostile"
echo after >"$work/phase"
sleep 2
kill "$sampler" 2>/dev/null || true
kill -TERM "$gw"; wait "$gw" || true; gw=""

# The peak of a phase: resident less the store's mapped pages, or (with
# "mapped") those pages alone.
peak() {
  awk -v p="$1" -v what="${2:-own}" '$1 == p { v = what == "mapped" ? $3 : $2 - $3 }
    $1 == p && v > m { m = v } END { printf "%.1f", m / 1024 }' "$work/rss"
}
once() { sed -n 's/.*exactly once: //p' "$work/$1.out"; }
rate() { awk '/records\/s committed/ { print $(NF - 2) }' "$work/$1.out"; }
echo
echo "## Gateway memory under load and abuse (SQLite, full durability)"
echo
echo "| phase | what runs | peak resident MiB, the store's mapped pages aside | peak of the store's mapped pages MiB | committed records/s | exactly once |"
echo "|---|---|---|---|---|---|"
echo "| idle | the gateway alone, after start | $(peak idle) | $(peak idle mapped) | | |"
echo "| honest | $agents agents × $records records | $(peak honest) | $(peak honest mapped) | $(rate honest) | $(once honest) |"
echo "| abused | the same twice more, beside 100 silent, 100 one-byte-a-second, 20 noise and 20 gigabyte-frame connections, each reconnecting when closed | $(peak abused) | $(peak abused mapped) | $(rate abused1), $(rate abused2) | $(once abused1), $(once abused2) |"
echo "| after | all gone | $(peak after) | $(peak after mapped) | | |"
echo
echo "What the abusive clients met, over 40 s:"
echo
sed 's/^/- /' "$work/hostile.out"
awk '$1 == "honest" && $2 - $3 > h { h = $2 - $3 } $1 == "abused" && $2 - $3 > a { a = $2 - $3 }
  END { printf "\nPeak under abuse / peak under honest load: %.2f\n", a / h }' "$work/rss"
