#!/usr/bin/env bash
# Unpacks the amd64 fieldflow-gateway and fieldflow-tools packages in PACKAGES
# into a scratch root (dpkg -x, nothing touches this machine's /usr), starts
# the gateway from there with a config file (the packaged example, pointed at
# the scratch folder), fetches its dashboard — the page must be the installed
# copy, marked here, not the source tree's web/ the build came from — and
# syncs a small fleet of the installed tools' load generator to it.
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
