#!/usr/bin/env bash
# The benchmark harness: generates a synthetic city of PEOPLE residents once (default 10,000), then
# runs each job that exists against a fresh SQLite file and a fresh PostgreSQL schema, one process
# per measurement, and prints wall time, rows/s and peak memory — with, where an issue names one,
# the anchor measured in the same run. Not part of the test run.
#   bash tests/bench/run.sh [PEOPLE]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
people=${1:-10000}
cd "$root"
dotnet build jobs/NenkinBatch.Admin -c Release -nologo -v quiet >/dev/null
dotnet build tests/NenkinBatch.Benchmarks -c Release -nologo -v quiet >/dev/null
admin="dotnet jobs/NenkinBatch.Admin/bin/Release/net10.0/nenkin-admin.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, .NET $(dotnet --version)"
echo "== generate --people $people"
$admin generate --people "$people" --seed 1 --out "$work/city"
echo "== load-members ($(($(wc -l < "$work/city/members.csv") - 1)) rows)"
export NENKIN_BENCH_CITY="$work/city" NENKIN_BENCH_DIR="$work"
bash tests/with-postgres.sh bash -c '
  set -euo pipefail
  bench="dotnet tests/NenkinBatch.Benchmarks/bin/Release/net10.0/NenkinBatch.Benchmarks.dll"
  $bench load-members "$NENKIN_BENCH_CITY/members.csv" "$NENKIN_BENCH_DIR/nenkin.db" sqlite
  $bench load-members "$NENKIN_BENCH_CITY/members.csv" "$NENKIN_TEST_PG;Search Path=bench" postgres
  port=$(echo "$NENKIN_TEST_PG" | sed -E "s/.*Port=([0-9]+).*/\1/")
  psql=(psql "host=127.0.0.1 port=$port user=postgres dbname=nenkin_test" -q -v ON_ERROR_STOP=1)
  "${psql[@]}" -c "CREATE TABLE anchor_members ($(printf "c%d text," $(seq 1 16)) c17 text)"
  start=$(date +%s%N)
  "${psql[@]}" -c "\\copy anchor_members FROM $NENKIN_BENCH_CITY/members.csv WITH (FORMAT csv, HEADER true)"
  end=$(date +%s%N)
  echo "anchor: psql \\copy of the same rows into a plain table: $(( (end - start) / 1000000 )) ms"
'
