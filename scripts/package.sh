#!/usr/bin/env bash
# Builds the Debian package of qayd (CPack's DEB generator, cmake/QaydPackage.cmake):
#   bash scripts/package.sh            -> build/qayd_<version>-1_<arch>.deb
# then runs lintian on it (its report goes to build/lintian.txt).
# Extra arguments go to cmake (scripts/build.sh). QAYD_SKIP_BUILD=1 packages
# the build folder as it is; QAYD_PACKAGE_DIR puts the .deb elsewhere.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QAYD_BUILD_DIR:-$root/build}"
out="${QAYD_PACKAGE_DIR:-$build}"

if [[ "${QAYD_SKIP_BUILD:-0}" != 1 ]]; then
  QAYD_BUILD_DIR="$build" bash "$root/scripts/build.sh" "$@"
fi
mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log" >&2; exit 1; }
rm -rf "$out/_CPack_Packages"
deb="$(ls -t "$out"/qayd_*.deb | head -n 1)"
echo "package.sh: $deb"
if command -v lintian >/dev/null 2>&1; then
  # lintian exits non-zero on errors; its report is kept either way.
  lintian --tag-display-limit 0 --info "$deb" >"$out/lintian.txt" 2>&1 || true
  echo "package.sh: lintian: $(grep -c '^E: ' "$out/lintian.txt" || true) errors," \
       "$(grep -c '^W: ' "$out/lintian.txt" || true) warnings (${out}/lintian.txt)"
fi
