#!/usr/bin/env bash
# Time and peak memory of an Excel download of ROWS ledger lines (100,000
# by default), built in release mode: bash bench/workbook.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DFIELDFLOW_BENCH=ON -DFIELDFLOW_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target fieldflow-bench-workbook >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build-bench/bin/fieldflow-bench-workbook "${1:-100000}" "$work"
