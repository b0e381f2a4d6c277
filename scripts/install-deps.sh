#!/usr/bin/env bash
# Installs, from Debian 12's archive, everything clusapi needs to build, test and run its demo.
# Safe to run again; installs only what is missing.
set -euo pipefail
PACKAGES=(
    build-essential meson ninja-build pkg-config clang libclang-rt-14-dev
    libraft-dev libuv1-dev libsqlite3-dev libgnutls28-dev libmnl-dev libsystemd-dev libcmocka-dev
    libxml2-dev
    iproute2 iputils-ping iputils-arping procps python3 valgrind curl nftables e2fsprogs mount
    resource-agents nginx-light systemd
)
# Only bench/appfailover.sh and bench/failover2.sh need these, for the Pacemaker clusters they
# compare against; they install them (BENCH_ONLY=1 source this file, install_bench_packages).
BENCH_PACKAGES=(pacemaker pacemaker-cli-utils corosync corosync-qnetd corosync-qdevice
    resource-agents nginx-light)

install_missing() {
    local p
    local -a missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Packages such as nginx, corosync and systemd's own start their services when installed;
    # the tests start the daemons they need in namespaces of their own, and nothing may run on
    # the host for them. A policy-rc.d that denies every start (the Debian way for containers)
    # stands while they install, unless the machine has one already.
    local deny=
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        deny=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' >"$deny"
        chmod 755 "$deny"
    fi
    local rc=0
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
    [[ -z $deny ]] || rm -f "$deny"
    return $rc
}

install_bench_packages() {
    install_missing "${BENCH_PACKAGES[@]}"
}

[[ ${BENCH_ONLY:-0} == 1 ]] || install_missing "${PACKAGES[@]}"
