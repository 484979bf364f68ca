#!/usr/bin/env bash
# A scratch PostgreSQL server for the tests and benchmarks, on loopback only:
#   bash scripts/postgres.sh start DIR PORT   prints the server's URL
#   bash scripts/postgres.sh stop DIR
# Debian's initdb refuses root, so as root the server runs as `postgres`,
# and DIR must be where that user can reach it (under /tmp, say).
set -euo pipefail

action="${1:?usage: postgres.sh start|stop DIR [PORT]}"
dir="${2:?usage: postgres.sh start|stop DIR [PORT]}"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    port="${3:?usage: postgres.sh start DIR PORT}"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir" -U fieldflow --auth=trust -E UTF8 >/dev/null
    fi
    # The sockets live in the data folder: /var/run/postgresql may not exist.
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=on -c random_page_cost=1.1" \
      start >/dev/null
    echo "postgresql://fieldflow@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    ;;
  *)
    echo "postgres.sh: unknown action $action" >&2
    exit 2
    ;;
esac
