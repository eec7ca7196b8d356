#!/usr/bin/env bash
# Installs the Debian 12 packages qayd needs to build, run and test.
# Idempotent: installs only what is missing. Run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev libboost-system-dev libboost-program-options-dev
  libcurl4-openssl-dev rapidjson-dev libicu-dev libabsl-dev libjemalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql
  libsystemd-dev systemd libsodium-dev
  clang libclang-rt-14-dev
  python3 curl
  # packaging and operations checks: dpkg-shlibdeps (CPack's shlibdeps),
  # lintian on the .deb, promtool (Prometheus) for /metrics and the alert rules
  dpkg-dev fakeroot lintian prometheus
)
if [[ "${QAYD_BROWSER_TESTS:-1}" == 1 ]]; then
  packages+=(chromium)
  # Node.js may come from Debian or be on the machine already (npm with it).
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi
