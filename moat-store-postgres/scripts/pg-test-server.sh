#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster for Moat's tests: initdb into a temporary data
# directory as the `postgres` user (PostgreSQL refuses to run as root), pg_ctl start on a free
# loopback port (listen_addresses=127.0.0.1, Unix socket in a temporary directory), and a test role
# and database with a random password.
#
#   pg-test-server.sh start [STATE_DIR]   prints `export MOAT_PG_URL=... MOAT_PG_USER=... PGPASSWORD=...`
#   pg-test-server.sh pause [STATE_DIR]   pg_ctl stop -m fast, keeping the data (tests of an outage)
#   pg-test-server.sh resume [STATE_DIR]  pg_ctl start again on the same port
#   pg-test-server.sh stop  [STATE_DIR]   pg_ctl stop -m fast, then deletes STATE_DIR
#
# STATE_DIR defaults to /tmp/moat-pg-test. Installs Debian's postgresql package with apt-get only
# when no /usr/lib/postgresql/*/bin/initdb exists. Idempotent: `start` on a running cluster prints
# its settings again.
set -euo pipefail

cmd="${1:-}"
state="${2:-/tmp/moat-pg-test}"

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  return 1
}

as_postgres() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "$cmd" in
  start)
    if [ -f "$state/env" ] && [ -f "$state/data/postmaster.pid" ]; then
      cat "$state/env"
      exit 0
    fi
    bin="$(find_bin || true)"
    if [ -z "$bin" ]; then
      echo "pg-test-server: no PostgreSQL found, installing Debian's postgresql" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
      bin="$(find_bin)"
    fi
    if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    fi
    mkdir -p "$state/data" "$state/sock"
    chmod 700 "$state/data"
    if [ "$(id -u)" = "0" ]; then chown -R postgres "$state"; fi
    chmod 755 "$state"
    password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
    pwfile="$state/pw"
    printf '%s\n' "$password" > "$pwfile"
    if [ "$(id -u)" = "0" ]; then chown postgres "$pwfile"; fi
    chmod 600 "$pwfile"
    as_postgres "$bin/initdb" -D "$state/data" -U postgres -A scram-sha-256 --pwfile="$pwfile" -E UTF8 --no-locale >"$state/initdb.log" 2>&1 \
      || { cat "$state/initdb.log" >&2; exit 1; }
    port="$(free_port)"
    cat >> "$state/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$state/sock'
max_connections = 200
CONF
    as_postgres "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 60 start >/dev/null \
      || { cat "$state/server.log" >&2; exit 1; }
    PGPASSWORD="$password" "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres <<SQL >&2
CREATE ROLE moat_test LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE moat_test OWNER moat_test;
SQL
    {
      echo "export MOAT_PG_URL='jdbc:postgresql://127.0.0.1:$port/moat_test'"
      echo "export MOAT_PG_USER='moat_test'"
      echo "export PGPASSWORD='$password'"
      echo "export MOAT_PG_STATE='$state'"
    } > "$state/env"
    chmod 600 "$state/env"
    cat "$state/env"
    ;;
  pause)
    bin="$(find_bin)"
    as_postgres "$bin/pg_ctl" -D "$state/data" -m fast -w -t 60 stop >/dev/null
    ;;
  resume)
    bin="$(find_bin)"
    as_postgres "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 60 start >/dev/null
    ;;
  stop)
    if [ -f "$state/data/postmaster.pid" ]; then
      bin="$(find_bin)"
      as_postgres "$bin/pg_ctl" -D "$state/data" -m fast -w -t 60 stop >/dev/null || true
    fi
    rm -rf "$state"
    ;;
  *)
    echo "usage: $0 start|pause|resume|stop [STATE_DIR]" >&2
    exit 2
    ;;
esac
