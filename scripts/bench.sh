#!/usr/bin/env bash
# The performance benchmark (docs/PERFORMANCE.md): one command.
#
#   scripts/bench.sh [RESULTS_DIR]
#
# Builds qayd, qaydd, qayd-corpus, qayd-bench and qayd-baseline (Release,
# build-perf/), then for each register size: generates the corpus (seed 1)
# and measures
#   - the product (bench/product.py): the register built through matching by
#     `qayd ingest` (review items, provisional victims and merges as in
#     production), then on fresh copies of it `qayd ingest` of the incoming
#     file RUNS times (start-up included), and once a running qaydd: its
#     start-up, one partner batch (POST /api/v1/reports) of the first
#     API_BATCH incoming reports, and the rest dropped into its spool folder;
#   - the driver (qayd-bench, labelled as such): a register stored without
#     matching, start-up + ingest RUNS times, match latency, accuracy;
#   - the pg_trgm baseline on the same corpus;
# then batch mode (a fresh file deduplicated against itself), and, if
# PG_SIZES is set, the product on PostgreSQL. Writes JSON per run,
# summary.json (medians, with the machine's load) and throughput.svg into
# RESULTS_DIR (default build-perf/bench-results).
#
# Scale (environment):
#   QAYD_BENCH_SIZES     register sizes            (default "10000 100000 1000000")
#   QAYD_BENCH_INCOMING  incoming reports per run  (default 100000)
#   QAYD_BENCH_RUNS      runs per size (median)    (default 3)
#   QAYD_BENCH_API_BATCH records in the partner batch (default 10000; 0 skips qaydd)
#   QAYD_BENCH_BATCH     batch-mode file size      (default 1000000; 0 skips)
#   QAYD_BENCH_BASELINE  baseline reports per size (default 2000; 0 skips)
#   QAYD_BENCH_PG_SIZES  register sizes on PostgreSQL (default none; e.g. "10000")
#   QAYD_BENCH_PG_INCOMING incoming reports per PostgreSQL run (default 10000)
#   QAYD_BENCH_PG_BEFORE another qayd (e.g. an older commit's) to time alternately
#                        with this one on the same PostgreSQL register, run by run
#                        (before/after on a shared machine); their --decisions
#                        files must be identical
#   QAYD_BENCH_BUILD_DIR where to build (default build-perf); QAYD_BENCH_NO_BUILD=1
#                        uses the executables already there
#   QAYD_BENCH_SMALL=1   CI-sized: sizes "2000 10000", 2000 incoming, 1 run,
#                        API batch 500, batch 5000, baseline 500
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QAYD_BENCH_BUILD_DIR:-$root/build-perf}"
out="${1:-$build/bench-results}"
if [[ "${QAYD_BENCH_SMALL:-0}" == 1 ]]; then
  : "${QAYD_BENCH_SIZES:=2000 10000}" "${QAYD_BENCH_INCOMING:=2000}" "${QAYD_BENCH_RUNS:=1}"
  : "${QAYD_BENCH_BATCH:=5000}" "${QAYD_BENCH_BASELINE:=500}" "${QAYD_BENCH_API_BATCH:=500}"
fi
sizes="${QAYD_BENCH_SIZES:-10000 100000 1000000}"
incoming="${QAYD_BENCH_INCOMING:-100000}"
runs="${QAYD_BENCH_RUNS:-3}"
batch="${QAYD_BENCH_BATCH:-1000000}"
baseline="${QAYD_BENCH_BASELINE:-2000}"
api_batch="${QAYD_BENCH_API_BATCH:-10000}"
pg_sizes="${QAYD_BENCH_PG_SIZES:-}"
pg_incoming="${QAYD_BENCH_PG_INCOMING:-10000}"
data="${QAYD_DATA_DIR:-$root/data}"

# -O2: GCC 12 at -O3 reports a false -Wrestrict in libstdc++ (warnings are errors).
# QAYD_BENCH_NO_BUILD=1 uses the executables already in QAYD_BENCH_BUILD_DIR.
if [[ "${QAYD_BENCH_NO_BUILD:-0}" != 1 ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DQAYD_BUILD_BENCH=ON >/dev/null
  ninja -C "$build" -j"$(nproc)" qayd qaydd qayd-corpus qayd-bench qayd-baseline >/dev/null
fi
bin="$build/bench"
qayd="$build/cli/qayd"
qaydd="$build/daemon/qaydd"
product="python3 $root/bench/product.py"
mkdir -p "$out"
rm -f "$out"/*.json "$out"/throughput.svg
work="$(mktemp -d "${TMPDIR:-/tmp}/qayd-bench.XXXXXX")"
pg_dir="$work-pg"  # outside $work (0700): the server runs as user postgres
cleanup() {
  if [[ -f "$pg_dir/port" ]]; then bash "$root/scripts/pg-test-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
began="$(date -u +%FT%TZ)"
{
  echo "{\"host\":\"$(hostname)\",\"cpus\":$(nproc),"
  echo "\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')\","
  echo "\"mem_gib\":$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo),"
  echo "\"load_at_start\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"commit\":\"$(git -C "$root" rev-parse --short HEAD)\"}"
} >"$out/machine.json"

# The product on register `db` (built through matching) of size $1, backend
# label $2: `qayd ingest` RUNS times on fresh copies made by $3 (a command
# taking the copy's location), then (SQLite only) a running qaydd.
product_runs() {
  local n="$1" backend="$2" copy="$3" inc="$4" k loc
  for k in $(seq 1 "$runs"); do
    loc="$($copy run)"
    sync
    $product ingest --qayd "$qayd" --db "$loc" --input "$inc" >"$out/product-$backend-$n-$k.json"
    echo "bench:   $backend qayd ingest run $k: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%.0f reports/s, start-up %.1f s, peak %d MiB" % (r["reports_per_s"], r["startup_s"], r["peak_rss_mib"]))' "$out/product-$backend-$n-$k.json")" >&2
  done
}
sqlite_copy() {
  rm -f "$work"/run.db*
  cp "$work/matched.db" "$work/run.db"
  echo "$work/run.db"
}
pg_copy() {
  PGOPTIONS="-c client_min_messages=warning" psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE matched" >/dev/null
  echo "${pg_admin%/*}/$1"
}

for n in $sizes; do
  echo "bench: register $n, incoming $incoming" >&2
  "$bin/qayd-corpus" --data "$data" --seed 1 --register "$n" --incoming "$incoming" \
    --register-out "$work/reg.jsonl" --incoming-out "$work/inc.jsonl" >"$out/corpus-$n.json"
  # The product: the register built through matching, then the incoming file.
  rm -f "$work"/matched.db*
  $product ingest --qayd "$qayd" --db "$work/matched.db" --input "$work/reg.jsonl" \
    >"$out/product-build-$n.json"
  product_runs "$n" sqlite sqlite_copy "$work/inc.jsonl"
  if [[ "$api_batch" != 0 ]]; then
    rm -rf "$work/daemon" "$work"/run.db*
    cp "$work/matched.db" "$work/run.db"
    head -n "$api_batch" "$work/inc.jsonl" >"$work/api.jsonl"
    tail -n +"$((api_batch + 1))" "$work/inc.jsonl" >"$work/spool.jsonl"
    sync
    $product daemon --qaydd "$qaydd" --qayd "$qayd" --db "$work/run.db" --workdir "$work/daemon" \
      --api-input "$work/api.jsonl" --spool-input "$work/spool.jsonl" >"$out/product-daemon-$n.json"
    echo "bench:   qaydd: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("start-up %.1f s, partner batch %.0f reports/s, spool %.0f reports/s, peak %d MiB" % (r["startup_s"], r["api"]["reports_per_s"], r["spool"]["reports_per_s"], r["peak_rss_mib"]))' "$out/product-daemon-$n.json")" >&2
  fi
  rm -f "$work"/run.db* "$work"/matched.db*
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
for n in $pg_sizes; do
  echo "bench: PostgreSQL, register $n, incoming $pg_incoming" >&2
  if [[ ! -f "$pg_dir/port" ]]; then
    pg_url="$(QAYD_PG_FSYNC=on bash "$root/scripts/pg-test-cluster.sh" start "$pg_dir")"
    pg_admin="${pg_url%/*}/postgres"
  fi
  "$bin/qayd-corpus" --data "$data" --seed 1 --register "$n" --incoming "$pg_incoming" \
    --register-out "$work/reg.jsonl" --incoming-out "$work/inc.jsonl" >/dev/null
  PGOPTIONS="-c client_min_messages=warning" psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS matched" -c "CREATE DATABASE matched" >/dev/null
  $product ingest --qayd "$qayd" --db "${pg_admin%/*}/matched" --input "$work/reg.jsonl" \
    >"$out/product-pg-build-$n.json"
  if [[ -n "${QAYD_BENCH_PG_BEFORE:-}" ]]; then
    # Alternately the other qayd ("before") and this one, each on a fresh copy.
    for k in $(seq 1 "$runs"); do
      for which in before after; do
        q="$qayd"
        [[ "$which" == before ]] && q="$QAYD_BENCH_PG_BEFORE"
        loc="$(pg_copy run)"
        sync
        $product ingest --qayd "$q" --db "$loc" --input "$work/inc.jsonl" \
          --decisions "$work/decisions-$which.jsonl" >"$out/product-pg$which-$n-$k.json"
        echo "bench:   pg $which run $k: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%.0f reports/s (load %s .. %s)" % (r["reports_per_s"], r["load_before"], r["load_after"]))' "$out/product-pg$which-$n-$k.json")" >&2
      done
      cmp -s "$work/decisions-before.jsonl" "$work/decisions-after.jsonl" ||
        { echo "bench: pg before and after decide differently (register $n)" >&2; exit 1; }
    done
    # This qayd's runs are the table's PostgreSQL row.
    for k in $(seq 1 "$runs"); do
      cp "$out/product-pgafter-$n-$k.json" "$out/product-pg-$n-$k.json"
    done
  else
    product_runs "$n" pg pg_copy "$work/inc.jsonl"
  fi
done

echo "{\"began\":\"$began\",\"ended\":\"$(date -u +%FT%TZ)\",\"load_at_end\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >"$out/machine-end.json"
python3 "$root/bench/report.py" "$out"
echo "bench: results in $out (summary.json, throughput.svg)" >&2
