#!/usr/bin/env bash
# The Debian package as operations meet it: built by the documented command
# (scripts/package.sh), its contents and control data checked, lintian run
# (no errors; the report is kept as build/lintian.txt), then installed with
# `dpkg -i` on this machine, `qaydd --check-config /etc/qayd/qayd.json` run,
# the installed unit verified, and the package purged again. Needs root (CI
# runs as root on a throwaway machine); refuses to touch a machine where qayd
# is already installed.
# usage: deb_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$1"
build="$2"
work="$(mktemp -d /tmp/qayd-deb-test.XXXXXX)"
installed=0
cleanup() {
  if ((installed)); then dpkg -P qayd >"$work/purge.log" 2>&1 || cat "$work/purge.log"; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

[[ "$(id -u)" == 0 ]] || { echo "FAIL: needs root for dpkg -i (CI runs as root)"; exit 1; }
if dpkg-query -W -f='${Status}' qayd 2>/dev/null | grep -q 'install ok installed'; then
  echo "FAIL: qayd is already installed here; this test installs and purges it"
  exit 1
fi

QAYD_BUILD_DIR="$build" QAYD_SKIP_BUILD=1 QAYD_PACKAGE_DIR="$work" bash "$src/scripts/package.sh"
deb="$(ls "$work"/qayd_*.deb)"
cp "$work/lintian.txt" "$build/lintian.txt" 2>/dev/null || true

# Contents and control data.
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/files"
for f in ./usr/sbin/qaydd ./usr/bin/qayd ./lib/systemd/system/qayd.service ./etc/qayd/qayd.json \
         ./usr/share/man/man8/qaydd.8.gz ./usr/share/man/man1/qayd.1.gz ./usr/share/man/man5/qayd.json.5.gz \
         ./usr/share/doc/qayd/copyright ./usr/share/doc/qayd/changelog.Debian.gz \
         ./usr/share/doc/qayd/OPERATIONS.md ./usr/share/qayd/static/index.html; do
  grep -qx "$f" "$work/files" || fail "$f not in the package"
done
dpkg-deb -e "$deb" "$work/control"
grep -qx /etc/qayd/qayd.json "$work/control/conffiles" || fail "/etc/qayd/qayd.json is not a conffile"
depends="$(grep '^Depends:' "$work/control/control")"
for lib in libc6 libsqlite3-0 libpq5 adduser; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib (shlibdeps): $depends"
done
[[ "$depends" == *libicu* ]] || fail "Depends lacks ICU: $depends"

# lintian: no errors.
if [[ -f "$work/lintian.txt" ]]; then
  cat "$work/lintian.txt"
  if grep -q '^E: ' "$work/lintian.txt"; then fail "lintian reports errors"; fi
else
  fail "lintian did not run (scripts/install-deps.sh installs it)"
fi

# Install it for real.
installed=1
dpkg -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "dpkg -i"; exit 1; }
/usr/sbin/qaydd --check-config /etc/qayd/qayd.json || fail "qaydd --check-config /etc/qayd/qayd.json"
/usr/sbin/qaydd --version | grep -q "^qaydd $(dpkg-query -W -f='${Version}' qayd | cut -d- -f1)" \
  || fail "qaydd --version does not match the package version"
/usr/bin/qayd export --help | grep -q '^usage: qayd export' || fail "qayd export --help"
getent passwd qayd >/dev/null || fail "no system user qayd"
if command -v systemd-analyze >/dev/null; then
  out="$(systemd-analyze verify --man=no /lib/systemd/system/qayd.service 2>&1)" || fail "systemd-analyze verify: $out"
  [[ -z "$out" ]] || fail "systemd-analyze verify printed: $out"
fi

# Purge: the package's files and its conffile go; nothing else is touched.
dpkg -P qayd >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg -P"; }
installed=0
[[ ! -e /usr/sbin/qaydd ]] || fail "/usr/sbin/qaydd left after purge"
[[ ! -e /etc/qayd/qayd.json ]] || fail "/etc/qayd/qayd.json left after purge"

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "the package builds, installs, checks its config and purges"
