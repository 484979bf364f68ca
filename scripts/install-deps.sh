#!/usr/bin/env bash
# Installs what fieldflow needs to build and run on Debian 12, and only what
# is missing: safe to run again and again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config python3 sqlite3 clang-format git
  libboost-dev libsqlite3-dev libsqlitecpp-dev libfccp-dev nlohmann-json3-dev
  capnproto libcapnp-dev libssl-dev doctest-dev
  libzxing-dev libstb-dev libwebp-dev libzint-dev time openssl zlib1g-dev
  prometheus-cpp-dev prometheus chromium curl mosquitto libmosquitto-dev
  libpq-dev postgresql libcli11-dev libspdlog-dev libfmt-dev
  faketime
  libxlsxwriter-dev python3-openpyxl
  libtomlplusplus-dev libsystemd-dev dpkg-dev lintian
  libqrencode-dev libsodium-dev libkeyutils-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Node.js runs npm for the dashboard's chart library below; a machine that
# has it from elsewhere keeps its own.
command -v npm >/dev/null || missing+=(nodejs npm)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The dashboard's chart library (uPlot) from the npm registry, at the
# version web/package-lock.json pins; the gateway serves it itself.
web="$(dirname "$0")/../web"
if [ ! -f "$web/node_modules/uplot/dist/uPlot.iife.min.js" ]; then
  npm ci --prefix "$web" --no-audit --no-fund >/dev/null
fi
# playwright-core drives Debian's Chromium in the browser test.
browser="$(dirname "$0")/../tests/browser"
if [ ! -d "$browser/node_modules/playwright-core" ]; then
  npm ci --prefix "$browser" --no-audit --no-fund >/dev/null
fi
