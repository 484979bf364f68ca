#!/usr/bin/env bash
# Unpacks the amd64 fieldflow-gateway and fieldflow-tools packages in PACKAGES
# into a scratch root (dpkg -x, nothing touches this machine's /usr), starts
# the gateway from there with a config file (the packaged example, pointed at
# the scratch folder), fetches its dashboard — the page must be the installed
# copy, marked here, not the source tree's web/ the build came from — and
# syncs a small fleet of the installed tools' load generator to it.
# An arm64 agent package, when there is one, delivers a visit to it under
# qemu, its serve started as the unit starts it: with the packaged agent.toml.
#   bash packaging/check-installed.sh PACKAGES
set -euo pipefail
packages="$(realpath "$1")"
scratch="$(mktemp -d)"
gateway_pid=""
finish() {
  if [ -n "$gateway_pid" ]; then kill "$gateway_pid" 2>/dev/null || true; wait "$gateway_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap finish EXIT
fail() { echo "check-installed: $*" >&2; [ -f "$scratch/gateway.log" ] && sed 's/^/  gateway: /' "$scratch/gateway.log" >&2; exit 1; }

root="$scratch/root"
for name in fieldflow-gateway fieldflow-tools; do
  deb=$(ls "$packages"/${name}_*_amd64.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || fail "no ${name}_*_amd64.deb in $packages"
  dpkg -x "$deb" "$root"
done
for path in usr/bin/fieldflow-gateway usr/bin/fieldflow usr/share/fieldflow/web/index.html \
            usr/share/fieldflow/web/node_modules/uplot/dist/uPlot.iife.min.js; do
  [ -f "$root/$path" ] || fail "$path is not in the packages"
done

# A mark only the installed page carries.
mark="<!-- installed copy $$ -->"
echo "$mark" >> "$root/usr/share/fieldflow/web/index.html"

"$root/usr/bin/fieldflow" masterdata generate --out "$scratch/master" --terminals 4 --reps 2 >/dev/null
config="$scratch/gateway.toml"
sed -e "s|^listen = .*|listen = \"127.0.0.1:0\"|" \
    -e "s|^db = .*|db = \"$scratch/gateway.db\"|" \
    "$root/etc/fieldflow/gateway.toml" > "$config"
cat >> "$config" <<TOML
master = "$scratch/master"
http = "127.0.0.1:0"
auth = "open"
TOML
"$root/usr/bin/fieldflow-gateway" --check-config "$config" >/dev/null || fail "the example config is refused"
"$root/usr/bin/fieldflow-gateway" --config "$config" \
  >"$scratch/gateway.out" 2>"$scratch/gateway.log" &
gateway_pid=$!
http=""
for _ in $(seq 1 100); do
  http=$(sed -n "s/^operators' http on //p" "$scratch/gateway.out")
  [ -n "$http" ] && grep -q '^listening on ' "$scratch/gateway.out" && break
  kill -0 "$gateway_pid" 2>/dev/null || fail "the installed gateway stopped at start"
  sleep 0.1
done
[ -n "$http" ] || fail "the installed gateway did not start its operators' http in 10 s"

page=$(curl -fsS "http://$http/") || fail "GET / failed"
[[ "$page" == *"$mark"* ]] || fail "GET / did not serve the installed index.html"
curl -fsS -o /dev/null "http://$http/vendor/uPlot.iife.min.js" || fail "GET /vendor/uPlot.iife.min.js failed"
curl -fsS -o /dev/null "http://$http/app.js" || fail "GET /app.js failed"
agents=$(sed -n "s/^listening on //p" "$scratch/gateway.out")
fleet=$("$root/usr/bin/fieldflow" loadgen --gateway "$agents" --master "$scratch/master" \
          --agents 2 --records 50 --batch 10 2>&1) || fail "the load generator failed: $fleet"
[[ "$fleet" == *"acked 100 of 100 exactly once: yes"* ]] || fail "the fleet was not acked: $fleet"
"$root/usr/bin/fieldflow" audit verify --db "$scratch/gateway.db" >/dev/null || fail "the store's audit log does not verify"
echo "check-installed: the installed gateway, started with its config file, serves its dashboard from $root/usr/share/fieldflow/web and took a fleet's 100 records"

# The arm64 agent, when it was packaged: unpacked apart, run under the
# emulator with the arm64 libraries its Depends name, it captures a visit
# and delivers it to the installed gateway.
arm_deb=$(ls "$packages"/fieldflow-agent_*_arm64.deb 2>/dev/null | head -1)
if [ -n "$arm_deb" ]; then
  command -v qemu-aarch64 >/dev/null || fail "an arm64 package to check, and no qemu-aarch64"
  dpkg -x "$arm_deb" "$scratch/arm64"
  # Plain qemu-aarch64: the multiarch libraries are where the arm64 loader
  # looks, and with -L a program that starts a thread (serve) hangs.
  agent=(qemu-aarch64 "$scratch/arm64/usr/bin/fieldflow-agent" --state "$scratch/handheld")
  IFS=, read -r terminal _ _ _ lat lon _ < <(sed -n 2p "$scratch/master/terminals.csv")
  IFS=, read -r rep _ _ _ device < <(sed -n 2p "$scratch/master/reps.csv")
  "${agent[@]}" init --device "$device" --rep "$rep" >/dev/null || fail "the arm64 agent did not start"
  "${agent[@]}" checkin --terminal "$terminal" --lat "$lat" --lon "$lon" --accuracy 8 >/dev/null \
    || fail "the arm64 agent did not check in"
  agent_config="$scratch/agent.toml"
  sed -e "s|^ui = .*|ui = \"127.0.0.1:0\"|" -e "s|^gpsd = .*||" \
    "$scratch/arm64/etc/fieldflow/agent.toml" > "$agent_config"
  cat >> "$agent_config" <<TOML
gateway = "$agents"
sync-every = 1
TOML
  "${agent[@]}" serve --check-config "$agent_config" >/dev/null || fail "the agent's example config is refused"
  "${agent[@]}" serve --config "$agent_config" >"$scratch/serve.out" 2>"$scratch/serve.log" &
  serve_pid=$!
  status=""
  for _ in $(seq 1 300); do
    status=$("${agent[@]}" status --json)
    [[ "$status" == *'"depth":0,'* ]] && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$scratch/serve.log" >&2; fail "the arm64 agent's serve stopped"; }
    sleep 0.1
  done
  kill "$serve_pid"; wait "$serve_pid" || fail "the arm64 agent's serve did not stop cleanly on SIGTERM"
  [[ "$status" == *'"depth":0,'* ]] || fail "the arm64 agent's serve did not deliver its outbox: $status"
  echo "check-installed: the arm64 agent from its package, under qemu-aarch64, served with its packaged config, delivered a check-in to it"
fi
