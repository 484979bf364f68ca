#!/usr/bin/env bash
# Power cuts, not kills: the agent's outbox while it captures and syncs and
# the gateway's group commit, each cut at a random write or sync and
# reopened from what a disk would have kept (tests/support/power_cut_vfs.h).
# CAPTURE_CUTS, SYNC_CUTS and COMMIT_CUTS set the counts (1,000 in all by
# default), SEED the random cut points. Called by bench/run.sh; prints the
# section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFIELDFLOW_BENCH=ON >/dev/null
cmake --build build -j"$(nproc)" --target fieldflow-bench-power-cut >/dev/null
echo "## Power cuts: the outbox and the group commit"
echo
build/bin/fieldflow-bench-power-cut --capture "${CAPTURE_CUTS:-400}" --sync "${SYNC_CUTS:-300}" \
  --commit "${COMMIT_CUTS:-300}" --seed "${SEED:-20261203}"
