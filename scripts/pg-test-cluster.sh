#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and benchmarks.
#
#   pg-test-cluster.sh start DIR   create (initdb) and start a cluster in DIR on
#                                  127.0.0.1, a free port, trust auth; creates
#                                  database qayd_test; prints its libpq URL
#   pg-test-cluster.sh url DIR     prints the URL of the running cluster in DIR
#   pg-test-cluster.sh stop DIR    stops the cluster and removes DIR
#
# Uses Debian's /usr/lib/postgresql/15/bin (override with PG_BIN). When run as
# root, the server runs as user postgres (DIR is chowned to it). Set
# QAYD_PG_FSYNC=on for durable settings (benchmarks); tests default to off.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop|url DIR" >&2
  exit 2
fi
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
dir="$(realpath -m "$dir")"

as_pg() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

url() {
  local port
  port="$(cat "$dir/port")"
  echo "postgresql://postgres@127.0.0.1:${port}/qayd_test"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 30000))
}

case "$cmd" in
  start)
    if [[ -f "$dir/port" ]] && as_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      url
      exit 0
    fi
    mkdir -p "$dir"
    chmod 0700 "$dir"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir"; fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_pg "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    fsync="${QAYD_PG_FSYNC:-off}"
    for attempt in 1 2 3 4 5; do
      port="$(free_port)"
      if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
          -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=200 -c shared_buffers=128MB" \
          >/dev/null 2>&1; then
        echo "$port" >"$dir/port"
        break
      fi
      if [[ "$attempt" == 5 ]]; then
        cat "$dir/server.log" >&2 || true
        exit 1
      fi
    done
    as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt \
      -c "SELECT 1 FROM pg_database WHERE datname = 'qayd_test'" | grep -q 1 \
      || as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres qayd_test
    url
    ;;
  url)
    [[ -f "$dir/port" ]] || { echo "no cluster in $dir" >&2; exit 1; }
    url
    ;;
  stop)
    if [[ -f "$dir/data/PG_VERSION" ]]; then
      as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop|url DIR" >&2
    exit 2
    ;;
esac
