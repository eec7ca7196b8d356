#!/usr/bin/env bash
# The pg_trgm baseline on a corpus: starts a throwaway PostgreSQL cluster on
# loopback (scripts/pg-test-cluster.sh), runs qayd-baseline, stops the cluster.
#   scripts/bench-baseline.sh BUILD_DIR REGISTER.jsonl INCOMING.jsonl [LIMIT] [THRESHOLD]
# Prints the baseline's JSON summary on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$1" register="$2" incoming="$3" limit="${4:-0}" threshold="${5:-0.5}"
pg_dir="$(mktemp -d /tmp/qayd-bench-pg.XXXXXX)"
trap 'bash "$root/scripts/pg-test-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true' EXIT
url="$(QAYD_PG_FSYNC=on bash "$root/scripts/pg-test-cluster.sh" start "$pg_dir")"
"$build/bench/qayd-baseline" --pg "$url" --register "$register" --incoming "$incoming" \
  --limit "$limit" --threshold "$threshold"
