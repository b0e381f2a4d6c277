#!/usr/bin/env bash
# Installs, from Debian 12's archive, everything clusapi needs to build, test and run its demo.
# Safe to run again; installs only what is missing.
set -euo pipefail
PACKAGES=(
    build-essential meson ninja-build pkg-config clang libclang-rt-14-dev
    libraft-dev libuv1-dev libsqlite3-dev libgnutls28-dev libmnl-dev libcmocka-dev libxml2-dev
    iproute2 iputils-ping iputils-arping procps python3 valgrind
    resource-agents
)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
