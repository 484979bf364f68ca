#!/usr/bin/env bash
# Installs what the aarch64 cross build of the handheld's programs needs on
# Debian 12 (see docs/handheld.md), and only what is missing.
set -euo pipefail

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $sudo dpkg --add-architecture arm64
  $sudo apt-get update -qq
fi

# libzint-dev is left out: it is not multiarch, and its arm64 package would
# replace the host's, which the host's scan tests need.
packages=(
  g++-aarch64-linux-gnu qemu-user
  libsqlite3-dev:arm64 libsqlitecpp-dev:arm64 libcapnp-dev:arm64 libzxing-dev:arm64
  libboost-dev:arm64 libssl-dev:arm64 libstb-dev:arm64 libwebp-dev:arm64 zlib1g-dev:arm64
  libspdlog-dev:arm64 libfmt-dev:arm64 libtomlplusplus-dev:arm64
  libsodium-dev:arm64 libkeyutils-dev:arm64
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
