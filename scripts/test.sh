#!/usr/bin/env bash
# README command (2): installs what is missing, builds with warnings as
# errors, and runs the whole test suite: unit, integration (SQLite and a
# throwaway PostgreSQL cluster on loopback), process-level and browser tests,
# then all of them again under ASan+UBSan, then a short libFuzzer run.
# Set QAYD_SKIP_SANITIZE=1 to skip the sanitizer pass.
# The suite runs from a copy of the checkout (its tracked files and the untracked ones
# git does not ignore) in a fresh temporary folder with nothing beside it, so a test
# that reads anything outside the repository (a ../shared beside the checkout, say)
# fails here as it would in a user's clone. QAYD_TEST_IN_PLACE=1 runs in the checkout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [[ "${QAYD_TEST_IN_PLACE:-0}" != 1 ]]; then
  # A fixed folder (one run at a time, under a lock): the tests' compile definitions
  # name it, so ccache's results carry over from one run to the next.
  alone="/tmp/qayd-alone"
  exec 9>/tmp/qayd-alone.lock
  flock 9
  rm -rf "$alone"
  mkdir -m 755 "$alone" "$alone/qayd"
  trap 'rm -rf "$alone"' EXIT
  if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # (files deleted in the working tree but still in the index are left out)
    (cd "$root" && git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do [[ -e "$f" || -L "$f" ]] && printf '%s\0' "$f"; done |
      xargs -0 -r cp --parents -P -t "$alone/qayd")
  else
    tar -C "$root" --exclude='./build*' --exclude='./state' -cf - . | tar -C "$alone/qayd" -xf -
  fi
  echo "test.sh: running from a copy at $alone/qayd (nothing beside it)"
  status=0
  QAYD_TEST_IN_PLACE=1 bash "$alone/qayd/scripts/test.sh" || status=$?
  exit $status
fi

bash scripts/install-deps.sh
if [[ -f scripts/browser-test-setup.sh ]]; then bash scripts/browser-test-setup.sh; fi

jobs="$(nproc)"
work="$(mktemp -d /tmp/qayd-test.XXXXXX)"
chmod 755 "$work"  # the postgres user must reach the test cluster below it
pg_dir="$work/pg"
cleanup() {
  if [[ -x scripts/pg-test-cluster.sh && -d "$pg_dir" ]]; then
    bash scripts/pg-test-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -x scripts/pg-test-cluster.sh ]]; then
  QAYD_TEST_PG_URL="$(bash scripts/pg-test-cluster.sh start "$pg_dir")"
  export QAYD_TEST_PG_URL
  echo "test.sh: PostgreSQL test cluster at $QAYD_TEST_PG_URL"
fi

echo "test.sh: building (warnings are errors)"
QAYD_BUILD_DIR="$root/build" bash scripts/build.sh -DQAYD_WERROR=ON -DQAYD_BUILD_TESTS=ON -DQAYD_BUILD_BENCH=ON

status=0
# Runs ctest in a build folder, keeping its output for the closing summary.
run_ctest() {
  local dir="$1"
  shift
  (cd "$dir" && ctest --output-on-failure "$@") 2>&1 | tee -a "$work/ctest.log"
}
echo "test.sh: running unit, integration, process and browser tests"
run_ctest build -j"$jobs" -L 'unit|integration' --timeout 600 || status=1
run_ctest build -j1 -L 'process|browser' --timeout 600 || status=1

if [[ "${QAYD_SKIP_SANITIZE:-0}" != 1 ]]; then
  echo "test.sh: building with ASan+UBSan"
  QAYD_BUILD_DIR="$root/build-asan" QAYD_BUILD_TYPE=Debug bash scripts/build.sh \
    -DQAYD_WERROR=ON -DQAYD_SANITIZE=ON -DQAYD_BUILD_TESTS=ON -DQAYD_BUILD_BENCH=OFF
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  run_ctest build-asan -j"$jobs" -L 'unit|integration|process' --timeout 900 || status=1
  run_ctest build-asan -j1 -L 'browser' --timeout 900 || status=1
fi

echo "test.sh: short fuzz run (clang libFuzzer, 20 s per target; docs/FUZZING.md)"
fuzz_failed=0
bash scripts/fuzz.sh all 20 || { status=1; fuzz_failed=1; }

# One closing line for every ctest run together (the fuzz step counts as one test).
total=$(grep -oE 'tests failed out of [0-9]+' "$work/ctest.log" | awk '{s += $5} END {print s + 0}')
failed=$(grep -oE '[0-9]+ tests failed out of' "$work/ctest.log" | awk '{s += $1} END {print s + 0}')
total=$((total + 1))
failed=$((failed + fuzz_failed))
echo "$((total - failed)) passed, $failed failed"
exit $status
