#!/usr/bin/env bash
# `cmake --install` into a staging root (DESTDIR) under several prefixes: the
# installed unit must name only files that install put there (ExecStart*,
# ExecReload, the config, Documentation= pages), the config must sit under
# /etc when the prefix is /usr, the installed qaydd must accept the installed
# config, and `systemd-analyze verify` must pass on the staged unit.
# usage: install_test.sh BUILD_DIR [SYSTEMD_ANALYZE]
set -euo pipefail
build="$1"
analyze="${2:-}"
work="$(mktemp -d /tmp/qayd-install-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

check_prefix() {
  local prefix="$1" unitdir="$2" config="$3"
  local dest="$work/root${prefix//\//_}"
  echo "== prefix $prefix (DESTDIR $dest)"
  DESTDIR="$dest" cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 \
    || { cat "$work/install.log"; fail "cmake --install --prefix $prefix"; return; }
  local unit="$dest$unitdir/qayd.service"
  [[ -f "$unit" ]] || { fail "no unit at $unitdir/qayd.service"; return; }
  [[ -f "$dest$config" ]] || fail "no config at $config"

  # Every absolute path on an Exec line: the staged install's, or (/bin/kill) the system's.
  local paths
  paths=$(grep -E '^Exec(StartPre|Start|Reload)=' "$unit" | cut -d= -f2- | tr ' ' '\n' | grep '^/' | sort -u)
  [[ -n "$paths" ]] || fail "no Exec paths in the unit"
  while read -r p; do
    if [[ "$p" == /bin/* ]]; then
      [[ -x "$p" ]] || fail "$p (system tool) missing"
    elif [[ ! -e "$dest$p" ]]; then
      fail "unit names $p, not installed under prefix $prefix"
    fi
  done <<<"$paths"
  grep -q -- "--config $config\$" "$unit" || fail "ExecStart does not read $config"
  grep -q "^ExecStart=$prefix/sbin/qaydd " "$unit" || fail "ExecStart is not $prefix/sbin/qaydd"

  # Documentation=: file:// paths and man: pages.
  local docs
  docs=$(grep '^Documentation=' "$unit" | cut -d= -f2- | tr ' ' '\n')
  [[ -n "$docs" ]] || fail "no Documentation="
  while read -r d; do
    case "$d" in
      file://*) [[ -f "$dest${d#file://}" ]] || fail "Documentation $d not installed" ;;
      man:*)
        local page="${d#man:}" name section
        name="${page%(*}"; section="${page#*(}"; section="${section%)}"
        [[ -f "$dest$prefix/share/man/man$section/$name.$section.gz" ]] || fail "man page $page not installed" ;;
      *) fail "unexpected Documentation entry $d" ;;
    esac
  done <<<"$docs"

  # The installed daemon accepts the installed config and knows its version.
  "$dest$prefix/sbin/qaydd" --check-config "$dest$config" >"$work/check.log" 2>&1 \
    || { cat "$work/check.log"; fail "qaydd --check-config $config"; }
  "$dest$prefix/sbin/qaydd" --version | grep -q '^qaydd [0-9]' || fail "qaydd --version"
  "$dest$prefix/bin/qayd" --version | grep -q '^qayd [0-9]' || fail "qayd --version"
  [[ -f "$dest$prefix/share/qayd/static/index.html" ]] || fail "review UI not installed"

  # systemd's own check on the staged unit: a copy whose staged files are
  # named by their path under the staging root (systemd-analyze --root would
  # want a whole system there: sysinit.target...). Any output fails the test.
  if [[ -n "$analyze" ]]; then
    local out copy="$work/verify/qayd.service"
    mkdir -p "$work/verify"
    sed -E "s#(=|-config )$prefix/#\\1$dest$prefix/#g; s#--config (/etc[^ ]*)#--config $dest\\1#" "$unit" >"$copy"
    grep -q "^ExecStart=$dest$prefix/sbin/qaydd --config $dest$config\$" "$copy" || fail "verify copy: $(grep ^ExecStart= "$copy")"
    out=$("$analyze" verify --man=no "$copy" 2>&1) || fail "systemd-analyze verify: $out"
    [[ -z "$out" ]] || fail "systemd-analyze verify printed: $out"
  fi

  # A second install keeps an operator's config and puts the example beside it.
  echo '{"logging": {"level": "debug"}}' >"$dest$config"
  DESTDIR="$dest" cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 || fail "second install"
  grep -q debug "$dest$config" || fail "a second install overwrote $config"
  [[ -f "$dest$config.example" ]] || fail "no $config.example beside the kept config"
}

check_prefix /usr /lib/systemd/system /etc/qayd/qayd.json
check_prefix /usr/local /usr/local/lib/systemd/system /usr/local/etc/qayd/qayd.json
check_prefix /opt/qayd /opt/qayd/lib/systemd/system /etc/opt/qayd/qayd/qayd.json

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "all installs name only installed files"
