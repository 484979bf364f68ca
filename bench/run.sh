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
