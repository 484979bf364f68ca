#!/usr/bin/env bash
# Runs a command with a scratch PostgreSQL server on loopback, its URL in
# FIELDFLOW_TEST_POSTGRES, and stops the server afterwards, whatever the
# command's outcome. The tests create and drop databases of their own on it.
#   bash scripts/with-postgres.sh ctest --test-dir build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(mktemp -d /tmp/fieldflow-postgres-XXXXXX)"
# A free port: the kernel's choice for a socket bound and closed at once.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
url="$(bash "$here/postgres.sh" start "$dir" "$port")"
stop() {
  bash "$here/postgres.sh" stop "$dir" || true
  rm -rf "$dir"
}
trap stop EXIT
FIELDFLOW_TEST_POSTGRES="$url" "$@"
