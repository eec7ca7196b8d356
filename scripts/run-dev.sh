#!/usr/bin/env bash
# README command (1): installs what is missing, builds, and runs qaydd on the
# embedded default (SQLite under ./state, the bundled sample feed, the review
# UI on 127.0.0.1). Stop it with Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
QAYD_BROWSER_TESTS=0 bash "$root/scripts/install-deps.sh"
QAYD_BUILD_TESTS=OFF bash "$root/scripts/build.sh" -DQAYD_BUILD_TESTS=OFF -DQAYD_BUILD_BENCH=OFF
state="$root/state"
mkdir -p "$state/spool"
chmod 700 "$state"
config="$state/qayd.json"
if [[ ! -f "$config" ]]; then
  sed -e "s#@STATE@#$state#g" -e "s#@ROOT@#$root#g" "$root/config/qayd.dev.json.in" > "$config"
fi
build="${QAYD_BUILD_DIR:-$root/build}"
"$build/daemon/qaydd" --check-config "$config"
if [[ ! -f "$state/admin-password" ]]; then
  head -c 12 /dev/urandom | base64 | tr -d '/+=' > "$state/admin-password"
  chmod 600 "$state/admin-password"
  "$build/cli/qayd" user add admin --role admin --db "$state/register.db" --password-file "$state/admin-password" >/dev/null
  "$build/cli/qayd" user add monitor --role monitor --db "$state/register.db" --password-file "$state/admin-password" >/dev/null
fi
port="$(grep -o '"port": *[0-9]*' "$config" | grep -o '[0-9]*$')"
echo "qaydd: review UI at http://127.0.0.1:$port/ (users admin and monitor, password in $state/admin-password)"
exec "$build/daemon/qaydd" --config "$config"
