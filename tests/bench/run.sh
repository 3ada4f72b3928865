#!/usr/bin/env bash
# The benchmark harness: generates a synthetic city once, then runs each job that exists against a
# fresh SQLite file and a fresh PostgreSQL schema, one process per measurement, and prints wall time,
# rows/s and peak memory — beside the anchor an issue names, measured in the same run.
#   bash tests/bench/run.sh [PEOPLE] [JPS_ROWS]     (defaults 10,000 and PEOPLE/10)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
people=${1:-10000}
jps_rows=${2:-$((people / 10))}
cd "$root"
dotnet build jobs/NenkinBatch.Admin -c Release -nologo -v quiet >/dev/null
dotnet build tests/NenkinBatch.Benchmarks -c Release -nologo -v quiet >/dev/null
admin="dotnet jobs/NenkinBatch.Admin/bin/Release/net10.0/nenkin-admin.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, .NET $(dotnet --version)"
echo "== generate --people $people --jps-rows $jps_rows"
$admin generate --people "$people" --jps-rows "$jps_rows" --seed 1 --out "$work/city"
iconv -f CP932 -t UTF-8 "$work/city/jps-result.csv" > "$work/jps-result.utf8.csv"
export NENKIN_BENCH_CITY="$work/city" NENKIN_BENCH_DIR="$work"
bash tests/with-postgres.sh bash -c '
  set -euo pipefail
  bench="dotnet tests/NenkinBatch.Benchmarks/bin/Release/net10.0/NenkinBatch.Benchmarks.dll"
  port=$(echo "$NENKIN_TEST_PG" | sed -E "s/.*Port=([0-9]+).*/\1/")
  psql=(psql "host=127.0.0.1 port=$port user=postgres dbname=nenkin_test" -q -v ON_ERROR_STOP=1)
  anchor() { # table columns file: psql \copy of the same rows as UTF-8 CSV into a table of the same columns
    "${psql[@]}" -c "CREATE TABLE $1 ($(printf "c%d text," $(seq 1 $(($2 - 1)))) c$2 text)"
    local start=$(date +%s%N)
    "${psql[@]}" -c "\\copy $1 FROM $3 WITH (FORMAT csv, HEADER true)"
    local end=$(date +%s%N)
    echo "anchor       psql \\copy of the same rows: $(( (end - start) / 1000000 )) ms"
  }
  echo "== load-members ($(($(wc -l < "$NENKIN_BENCH_CITY/members.csv") - 1)) rows)"
  $bench load-members "$NENKIN_BENCH_CITY/members.csv" "$NENKIN_BENCH_DIR/members.db" sqlite
  $bench load-members "$NENKIN_BENCH_CITY/members.csv" "$NENKIN_TEST_PG;Search Path=bench_members" postgres
  anchor anchor_members 17 "$NENKIN_BENCH_CITY/members.csv"
  echo "== import jps-result.csv, CP932 ($(($(wc -l < "$NENKIN_BENCH_CITY/jps-result.csv") - 1)) rows)"
  $bench import "$NENKIN_BENCH_CITY/jps-result.csv" "$NENKIN_BENCH_DIR/import.db" sqlite
  $bench import "$NENKIN_BENCH_CITY/jps-result.csv" "$NENKIN_TEST_PG;Search Path=bench_import" postgres
  anchor anchor_jps 20 "$NENKIN_BENCH_DIR/jps-result.utf8.csv"
'
