#!/usr/bin/env bash
# Installs what fieldflow needs to build and run on Debian 12, and only what
# is missing: safe to run again and again.
set -euo pipefail

packages=(
  build-essential cmake pkg-config python3 sqlite3 clang-format git
  libboost-dev libsqlite3-dev libsqlitecpp-dev libfccp-dev nlohmann-json3-dev
  capnproto libcapnp-dev libssl-dev doctest-dev
  libzxing-dev libstb-dev libwebp-dev libzint-dev time openssl
  prometheus-cpp-dev prometheus
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
