#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
# The store's suite and the integration suite run twice: on SQLite, and on
# a scratch PostgreSQL server that lives for this run. Three tests at a time
# on two cores: they wait on sockets, disks and child processes more than
# they compute.
bash scripts/with-postgres.sh ctest --test-dir build --output-on-failure -j3
