#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster on 127.0.0.1 for the test suite, and print its admin URL.
#   eval "$(.ci/postgres.sh start)"   # exports SIPOA_TEST_POSTGRES_URL and SIPOA_PG_DIR
#   .ci/postgres.sh stop "$SIPOA_PG_DIR"
# Installs Debian's postgresql when it is missing. The server runs as the `postgres` user because
# PostgreSQL refuses to run as root.
set -euo pipefail

cmd=${1:-start}
if [[ $cmd == stop ]]; then
  dir=${2:?usage: postgres.sh stop DIR}
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  echo "installing postgresql from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

dir=$(mktemp -d /tmp/sipoa-pg.XXXXXX)
chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
su postgres -s /bin/sh -c "$bin/initdb -D '$dir/data' -U postgres -A trust --no-sync -E UTF8 >/dev/null"
su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -l '$dir/log' -w -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null"
echo "export SIPOA_TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:$port/postgres"
echo "export SIPOA_PG_DIR=$dir"
