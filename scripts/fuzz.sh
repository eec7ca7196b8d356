#!/usr/bin/env bash
# Builds (if needed) and runs the libFuzzer targets for a bounded time.
#   bash scripts/fuzz.sh [TARGET|all] [SECONDS]     (defaults: all, 60 s each)
# Each target runs on a copy of fuzz/corpus/<target> (seeds + regressions) in a
# temp dir, so nothing is written into the checkout; the build dir is
# build-fuzz (override with QAYD_FUZZ_BUILD_DIR). A crash, leak, sanitizer
# report or timeout fails the script; the crashing input is copied to
# $QAYD_FUZZ_ARTIFACTS (default: a folder under /tmp, printed) for
# fuzz/corpus/<target>/regressions/. See docs/FUZZING.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
targets_all=(fuzz_record_parser fuzz_config fuzz_name_normalizer fuzz_http_request fuzz_api)
target="${1:-all}"
seconds="${2:-60}"
if [[ "$target" == all ]]; then
  targets=("${targets_all[@]}")
else
  [[ " ${targets_all[*]} " == *" $target "* ]] || { echo "fuzz.sh: unknown target $target" >&2; exit 2; }
  targets=("$target")
fi
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a number" >&2; exit 2; }

build="${QAYD_FUZZ_BUILD_DIR:-$root/build-fuzz}"
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ missing (scripts/install-deps.sh)" >&2; exit 1; }
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
    -DQAYD_FUZZ=ON -DQAYD_BUILD_BENCH=OFF -DQAYD_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
ninja -C "$build" -j"${QAYD_FUZZ_JOBS:-2}" "${targets[@]}"

work="$(mktemp -d /tmp/qayd-fuzz.XXXXXX)"
artifacts="${QAYD_FUZZ_ARTIFACTS:-$work/artifacts}"
mkdir -p "$artifacts"
keep=0
cleanup() { if [[ $keep == 0 ]]; then rm -rf "$work"; fi; }
trap cleanup EXIT

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t"
  mkdir -p "$corpus"
  # Seeds and regressions, flattened into one folder (libFuzzer reads one level).
  if [[ -d "$root/fuzz/corpus/$t" ]]; then
    find "$root/fuzz/corpus/$t" -type f -exec cp -t "$corpus" {} +
  fi
  echo "fuzz.sh: $t for ${seconds}s ($(ls "$corpus" | wc -l) seed inputs)"
  if ! "$build/fuzz/$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
      >"$work/$t.log" 2>&1; then
    status=1
    keep=1
    grep -E "ERROR|runtime error|Test unit written|SUMMARY" "$work/$t.log" | head -20 >&2 || true
    echo "fuzz.sh: $t FAILED; log $work/$t.log, inputs in $artifacts" >&2
  else
    grep -E "stat::number_of_executed_units|cov:" "$work/$t.log" | tail -2 | sed "s/^/  /"
  fi
done
exit $status
