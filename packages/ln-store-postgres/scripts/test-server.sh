#!/usr/bin/env bash
# A throwaway PostgreSQL server for ln-store-postgres's tests: a new cluster
# in a temporary directory, listening only on a Unix socket in that directory
# (no TCP port, so several runs on one machine never collide).
#
#   eval "$(bash scripts/test-server.sh start)"   # exports LN_TEST_POSTGRES_URL, LN_TEST_POSTGRES_DIR
#   bash scripts/test-server.sh stop "$LN_TEST_POSTGRES_DIR"
#
# Needs Debian's postgresql package (`apt-get install -y postgresql`; `start`
# installs it when it is missing and the caller is root). As root, the server
# runs as the `postgres` user the package creates. Progress goes to stderr;
# stdout carries only the export lines.
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

start() {
  local bin dir as=()
  bin=$(find_bin)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" != 0 ]; then echo "postgresql is not installed (apt-get install -y postgresql)" >&2; exit 1; fi
    echo "installing Debian's postgresql..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
    bin=$(find_bin)
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ln-pg-test-XXXXXX")
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
    as=(runuser -u postgres --)
  fi
  # No fsync at initdb (a throwaway cluster); the server itself keeps fsync on,
  # so commits the store acknowledges are real ones.
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir -p 5432 -c max_connections=50" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "export LN_TEST_POSTGRES_DIR='$dir'"
  echo "export LN_TEST_POSTGRES_URL='postgresql://postgres@/postgres?host=$dir&port=5432'"
}

stop() {
  local dir=${1:?directory printed by start}
  local bin as=()
  bin=$(find_bin)
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  if [ -d "$dir/data" ]; then "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true; fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
