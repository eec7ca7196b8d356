#!/usr/bin/env bash
# The sustained load test (docs/PERFORMANCE.md, "Load: submissions and review
# at the same time"): one command.
#
#   scripts/load.sh [SECONDS]        (default 300)
#
# Builds qaydd, qayd and qayd-load (Release, build-load/), creates a fresh
# SQLite register in a temporary state folder with K monitor users and a
# partner token (`qayd user add`, `qayd token add`), starts qaydd on
# 127.0.0.1 (port 0), runs qayd-load for SECONDS (submissions and the review
# workflow at the same time; qaydd's RSS sampled), stops qaydd with SIGTERM
# (it must exit 0), then checks the register against what the daemon
# acknowledged (`qayd-load verify`). Prints the figures; exit 0 only when no
# request failed, the daemon exited 0 and the register holds every
# acknowledged report exactly once.
#
# Environment:
#   QAYD_LOAD_SUBMITTERS  submission connections   (default 4)
#   QAYD_LOAD_MONITORS    monitor connections      (default 2)
#   QAYD_LOAD_BATCH       records per submission   (default 1)
#   QAYD_LOAD_RECORDS     record pool              (default 1000 per second of run)
#   QAYD_LOAD_REPEAT=1    send the pool again when it is used up (re-deliveries,
#                         answered "duplicate"): the register stops growing, so RSS
#                         growth after the warm-up is not data (leak check)
#   QAYD_LOAD_WARMUP      seconds before the steady part (RSS growth; default 20 %)
#   QAYD_LOAD_OUT         results folder           (default build-load/load-results)
#   QAYD_LOAD_BUILD_DIR   build folder             (default build-load/)
#   QAYD_LOAD_COMMIT      commit named in summary.json (default: git HEAD of this tree)
#   QAYD_LOAD_ASAN=1      use the ASan+UBSan build (build-load-asan/): LeakSanitizer
#                         reports leaks when qaydd exits, and the exit status fails
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-300}"
submitters="${QAYD_LOAD_SUBMITTERS:-4}"
monitors="${QAYD_LOAD_MONITORS:-2}"
batch="${QAYD_LOAD_BATCH:-1}"
records="${QAYD_LOAD_RECORDS:-$((seconds * 1000 + 5000))}"
data="${QAYD_DATA_DIR:-$root/data}"

build="${QAYD_LOAD_BUILD_DIR:-$root/build-load}"
flags=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DQAYD_BUILD_BENCH=ON)
if [[ "${QAYD_LOAD_ASAN:-0}" == 1 ]]; then
  build="${QAYD_LOAD_BUILD_DIR:-$root/build-load-asan}"
  # Debug, as CI's sanitizer build: GCC 12 at -O2 with -fsanitize reports a false
  # -Wmaybe-uninitialized in libstdc++ (warnings are errors).
  flags=(-DCMAKE_BUILD_TYPE=Debug -DQAYD_SANITIZE=ON -DQAYD_BUILD_BENCH=ON)
fi
out="${QAYD_LOAD_OUT:-$build/load-results}"
# -O2: GCC 12 at -O3 reports a false -Wrestrict in libstdc++ (warnings are errors).
cmake -S "$root" -B "$build" -G Ninja "${flags[@]}" >/dev/null
ninja -C "$build" -j"$(nproc)" qaydd qayd qayd-load >"$build/load-build.log" 2>&1 ||
  { tail -30 "$build/load-build.log" >&2; exit 1; }
qaydd="$build/daemon/qaydd"
qayd="$build/cli/qayd"
load="$build/bench/load/qayd-load"

work="$(mktemp -d "${TMPDIR:-/tmp}/qayd-load.XXXXXX")"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT
state="$work/state"
mkdir -p "$state" "$out"
chmod 700 "$state"
db="$state/register.db"
head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$work/password"
for i in $(seq 1 "$monitors"); do
  "$qayd" user add "load-monitor-$i" --role monitor --db "$db" --password-file "$work/password" >/dev/null
done
"$qayd" token add load-partner --scope submit --db "$db" >"$work/token"
cat >"$work/qayd.json" <<JSON
{
  "store": {"sqlite_path": "$db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "submissions": {"enabled": true},
  "logging": {"level": "info"},
  "daemon": {"drain_timeout_s": 30}
}
JSON

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
"$qaydd" --config "$work/qayd.json" 2>"$work/qaydd.log" &
pid=$!
port=""
for _ in $(seq 1 600); do
  port="$(grep -o 'http listening.*port=[0-9]*' "$work/qaydd.log" | grep -o '[0-9]*$' || true)"
  if [[ -n "$port" ]] && grep -q 'qaydd ready' "$work/qaydd.log"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$work/qaydd.log" >&2; exit 1; fi
  sleep 0.1
done
[[ -n "$port" ]] || { echo "load: qaydd did not become ready" >&2; exit 1; }

machine="cpus $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "load: $seconds s, $submitters submitters, $monitors monitors, batch $batch; $machine" >&2
load_rc=0
"$load" run --port "$port" --token-file "$work/token" --password-file "$work/password" \
  --monitors "$monitors" --submitters "$submitters" --batch "$batch" --duration "$seconds" \
  --records "$records" --data "$data" --pid "$pid" --rss-interval 5 \
  --repeat-pool "${QAYD_LOAD_REPEAT:-0}" --warmup "${QAYD_LOAD_WARMUP:--1}" \
  --journal "$work/journal.tsv" --json "$out/run.json" || load_rc=$?
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
commit="${QAYD_LOAD_COMMIT:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)}"

kill -TERM "$pid"
daemon_rc=0
wait "$pid" || daemon_rc=$?
pid=""
verify_rc=0
"$load" verify --db "$db" --journal "$work/journal.tsv" >"$out/verify.json" || verify_rc=$?
cp "$work/qaydd.log" "$out/qaydd.log"
{
  echo "{\"machine\":\"$machine\",\"load_at_end\":\"$load_end\",\"seconds\":$seconds,"
  echo "\"commit\":\"$commit\",\"asan\":${QAYD_LOAD_ASAN:-0},"
  echo "\"load_rc\":$load_rc,\"daemon_exit\":$daemon_rc,\"verify_rc\":$verify_rc}"
} >"$out/summary.json"
echo "load: verify $(cat "$out/verify.json")" >&2
echo "load: qaydd exit status $daemon_rc (SIGTERM); load average at end $load_end" >&2
echo "load: results in $out (run.json, verify.json, summary.json, qaydd.log)" >&2
if grep -q 'LeakSanitizer\|AddressSanitizer\|runtime error' "$out/qaydd.log"; then
  echo "load: sanitizer report in qaydd.log" >&2
  exit 1
fi
[[ $load_rc == 0 && $daemon_rc == 0 && $verify_rc == 0 ]]
