#!/usr/bin/env bash
# clang-tidy (.clang-tidy at the root) over the code that faces the network
# and the devices: the gateway, the agent, the wire format, the transport and
# what the programs share. Any finding fails. Reads build/compile_commands.json,
# so scripts/build.sh runs first.
#   bash scripts/tidy.sh [FOLDER...]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-tidy-14 >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends clang-tidy-14 >/dev/null
fi
[ -f build/compile_commands.json ] || bash scripts/build.sh
folders=("$@")
[ ${#folders[@]} -gt 0 ] || folders=(agent gateway net program schemas)
pattern="^$PWD/($(IFS='|'; echo "${folders[*]}"))/"
files=$(python3 -c 'import json,re,sys
print("\n".join(sorted({e["file"] for e in json.load(open("build/compile_commands.json"))
                         if re.match(sys.argv[1], e["file"])})))' "$pattern")
if ! echo "$files" | xargs -P"$(nproc)" -n1 clang-tidy-14 -p build --quiet \
    --header-filter="$pattern" --warnings-as-errors='*' >build/tidy.log 2>&1; then
  grep -E "(warning|error):" build/tidy.log | grep -v "^/usr" | sort -u
  echo "clang-tidy: findings above (whole log in build/tidy.log)"
  exit 1
fi
echo "clang-tidy: $(echo "$files" | wc -l) files, no findings"
