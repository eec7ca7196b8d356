#!/usr/bin/env bash
# The performance benchmark (docs/PERFORMANCE.md): one command.
#
#   scripts/bench.sh [RESULTS_DIR]
#
# Builds qayd-corpus, qayd-bench and qayd-baseline (Release, build-perf/),
# then for each register size: generates the corpus (seed 1), builds the
# SQLite register, runs start-up + ingest RUNS times on a fresh copy, and runs
# the pg_trgm baseline on the same corpus; then batch mode (a fresh file
# deduplicated against itself). Writes JSON per run, summary.json (medians)
# and throughput.svg into RESULTS_DIR (default build-perf/bench-results).
#
# Scale (environment):
#   QAYD_BENCH_SIZES     register sizes            (default "10000 100000 1000000")
#   QAYD_BENCH_INCOMING  incoming reports per run  (default 100000)
#   QAYD_BENCH_RUNS      runs per size (median)    (default 3)
#   QAYD_BENCH_BATCH     batch-mode file size      (default 1000000; 0 skips)
#   QAYD_BENCH_BASELINE  baseline reports per size (default 2000; 0 skips)
#   QAYD_BENCH_SMALL=1   CI-sized: sizes "2000 10000", 2000 incoming, 1 run,
#                        batch 5000, baseline 500
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QAYD_BENCH_BUILD_DIR:-$root/build-perf}"
out="${1:-$build/bench-results}"
if [[ "${QAYD_BENCH_SMALL:-0}" == 1 ]]; then
  : "${QAYD_BENCH_SIZES:=2000 10000}" "${QAYD_BENCH_INCOMING:=2000}" "${QAYD_BENCH_RUNS:=1}"
  : "${QAYD_BENCH_BATCH:=5000}" "${QAYD_BENCH_BASELINE:=500}"
fi
sizes="${QAYD_BENCH_SIZES:-10000 100000 1000000}"
incoming="${QAYD_BENCH_INCOMING:-100000}"
runs="${QAYD_BENCH_RUNS:-3}"
batch="${QAYD_BENCH_BATCH:-1000000}"
baseline="${QAYD_BENCH_BASELINE:-2000}"
data="${QAYD_DATA_DIR:-$root/data}"

# -O2: GCC 12 at -O3 reports a false -Wrestrict in libstdc++ (warnings are errors).
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DQAYD_BUILD_BENCH=ON >/dev/null
ninja -C "$build" -j"$(nproc)" qayd-corpus qayd-bench qayd-baseline >/dev/null
bin="$build/bench"
mkdir -p "$out"
rm -f "$out"/*.json "$out"/throughput.svg
work="$(mktemp -d "${TMPDIR:-/tmp}/qayd-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
{
  echo "{\"host\":\"$(hostname)\",\"cpus\":$(nproc),"
  echo "\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')\","
  echo "\"mem_gib\":$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo),"
  echo "\"load_at_start\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"commit\":\"$(git -C "$root" rev-parse --short HEAD)\"}"
} >"$out/machine.json"

for n in $sizes; do
  echo "bench: register $n, incoming $incoming" >&2
  "$bin/qayd-corpus" --data "$data" --seed 1 --register "$n" --incoming "$incoming" \
    --register-out "$work/reg.jsonl" --incoming-out "$work/inc.jsonl" >"$out/corpus-$n.json"
  "$bin/qayd-bench" build --db "$work/register.db" --input "$work/reg.jsonl" >"$out/build-$n.json"
  for k in $(seq 1 "$runs"); do
    cp "$work/register.db" "$work/run.db"
    cp "$work/register.db.truth" "$work/run.db.truth"
    rm -f "$work/run.db-wal" "$work/run.db-shm"
    # The register just built or copied is written back before the run, so the
    # run does not share the disk and the kernel's writeback with its set-up.
    sync
    "$bin/qayd-bench" run --db "$work/run.db" --input "$work/inc.jsonl" >"$out/run-$n-$k.json"
    echo "bench:   run $k: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%.0f reports/s, start-up %.1f s" % (r["ingest"]["reports_per_s"], r["startup"]["seconds"]))' "$out/run-$n-$k.json")" >&2
  done
  if [[ "$baseline" != 0 ]]; then
    echo "bench:   pg_trgm baseline, $baseline reports" >&2
    bash "$root/scripts/bench-baseline.sh" "$build" "$work/reg.jsonl" "$work/inc.jsonl" "$baseline" \
      >"$out/baseline-$n.json"
  fi
  rm -f "$work"/run.db* "$work"/register.db*
done

if [[ "$batch" != 0 ]]; then
  echo "bench: batch mode, $batch reports against themselves" >&2
  "$bin/qayd-corpus" --data "$data" --seed 2 --register 0 --incoming "$batch" --rereport 0 \
    --self-dup 0.3 --register-out "$work/none.jsonl" --incoming-out "$work/batch.jsonl" \
    >"$out/corpus-batch.json"
  "$bin/qayd-bench" batch --db "$work/batch.db" --input "$work/batch.jsonl" >"$out/batch-1.json"
fi
python3 "$root/bench/report.py" "$out" >/dev/null
echo "bench: results in $out (summary.json, throughput.svg)" >&2
