#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: creates (once) and starts a cluster listening on
# 127.0.0.1 only, then prints the URL to put in SSJ_TEST_DATABASE_URL. Running it again while the
# cluster is up only prints the URL. Installs Debian's postgresql when it is missing.
#   export SSJ_TEST_DATABASE_URL=$(bash .ci/postgres.sh)
# Settings (environment): SSJ_PG_PORT (54329), SSJ_PG_DIR (/tmp/ssj-postgres).
set -euo pipefail
PORT=${SSJ_PG_PORT:-54329}
DIR=${SSJ_PG_DIR:-/tmp/ssj-postgres}
DBNAME=ssj_test

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ] && command -v pg_ctl >/dev/null 2>&1; then found=$(dirname "$(command -v pg_ctl)"); fi
  echo "$found"
}

BIN=$(find_bin)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    BIN=$(find_bin)
  fi
fi
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "PostgreSQL (initdb, pg_ctl) not found; install the postgresql package" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_owner() { su postgres -s /bin/sh -c "$*"; }
  OWNER=postgres
else
  as_owner() { sh -c "$*"; }
  OWNER=$(id -un)
fi

if [ ! -s "$DIR/data/PG_VERSION" ]; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = "0" ] && chown postgres: "$DIR"
  as_owner "'$BIN/initdb' -D '$DIR/data' -U '$OWNER' --auth=trust -E UTF8 --locale=C.UTF-8 >'$DIR/initdb.log' 2>&1" \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
  # Throwaway data: durability off for speed; listen on the loopback address only.
  cat >>"$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
fi

if ! as_owner "'$BIN/pg_ctl' -D '$DIR/data' status" >/dev/null 2>&1; then
  as_owner "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w -t 60 start" >/dev/null \
    || { tail -n 30 "$DIR/server.log" >&2; exit 1; }
fi

if ! as_owner "'$BIN/psql' -h 127.0.0.1 -p $PORT -U '$OWNER' -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='$DBNAME'\"" | grep -q 1; then
  as_owner "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U '$OWNER' $DBNAME"
fi
echo "postgresql+psycopg://$OWNER@127.0.0.1:$PORT/$DBNAME"
