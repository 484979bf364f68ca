#!/usr/bin/env bash
# What the sealed outbox costs a capture and a synced record, with no PIN
# and with one, on this machine and as the aarch64 build runs under
# qemu-aarch64 (an emulator: its figures are the ARM code's, slowed by the
# emulation, so the ratios are what carry over to a handheld).
#   bash bench/sealing.sh [CAPTURES]
set -euo pipefail
cd "$(dirname "$0")/.."
captures="${1:-2000}"
bash scripts/install-deps.sh
bash scripts/install-cross-deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DFIELDFLOW_BENCH=ON -DFIELDFLOW_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target fieldflow-bench-sealing >/dev/null
cmake -S . -B build-bench-aarch64 --toolchain cmake/aarch64-linux-gnu.cmake \
  -DCMAKE_BUILD_TYPE=Release -DFIELDFLOW_HANDHELD_ONLY=ON -DFIELDFLOW_BENCH=ON \
  -DFIELDFLOW_TESTS=OFF >/dev/null
cmake --build build-bench-aarch64 -j"$(nproc)" --target fieldflow-bench-sealing >/dev/null
work=$(mktemp -d -p "${TMPDIR:-/var/tmp}")
trap 'rm -rf "$work"' EXIT

echo "## The sealed outbox on the handheld"
echo
echo "### x86-64, native"
echo
build-bench/bin/fieldflow-bench-sealing "$captures" "$work"
echo
echo "### aarch64 under qemu-aarch64"
echo
qemu-aarch64 build-bench-aarch64/bin/fieldflow-bench-sealing "$captures" "$work"
