#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL on a free loopback port, exported as NENKIN_TEST_PG,
# and stops the server afterwards whatever the command did. postgres refuses to run as root, so
# as root the server runs as the `postgres` user. An already set NENKIN_TEST_PG is used as it is.
set -euo pipefail

if [ -n "${NENKIN_TEST_PG:-}" ]; then exec "$@"; fi

bindir=""
for candidate in "$(command -v pg_config >/dev/null 2>&1 && pg_config --bindir || true)" /usr/lib/postgresql/*/bin; do
  if [ -n "$candidate" ] && [ -x "$candidate/postgres" ] && [ -x "$candidate/initdb" ]; then bindir=$candidate; fi
done
if [ -z "$bindir" ]; then
  echo "PostgreSQL server binaries not found. Install them (Debian: apt-get install postgresql) or set NENKIN_TEST_PG." >&2
  exit 1
fi

as_server_user() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port=54329
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

data=$(mktemp -d /tmp/nenkin-pg.XXXXXX)
[ "$(id -u)" = "0" ] && chown postgres: "$data"
cleanup() {
  as_server_user "$bindir/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

as_server_user "$bindir/initdb" -D "$data/db" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$data/initdb.log" 2>&1 \
  || { cat "$data/initdb.log" >&2; exit 1; }
# Durability settings off: the tests kill clients, never this throwaway server.
as_server_user "$bindir/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$data/server.log" >&2; exit 1; }
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres nenkin_test

export NENKIN_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=nenkin_test"
export NENKIN_TEST_PG_BIN="$bindir"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway)"
set +e
"$@"
status=$?
set -e
exit $status
