#!/usr/bin/env bash
# The benchmark harness: generates a synthetic city once, then runs each job that exists against a
# fresh SQLite file and a fresh PostgreSQL schema, one process per measurement, and prints wall time,
# rows/s and peak memory — beside an anchor (what PostgreSQL itself takes for the same rows), measured in the same run.
#   bash tests/bench/run.sh [PEOPLE] [JPS_ROWS]     (defaults 10,000 and PEOPLE/10)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
people=${1:-10000}
jps_rows=${2:-$((people / 10))}
cd "$root"
dotnet build jobs/NenkinBatch.Admin -c Release -nologo -v quiet >/dev/null
dotnet build tests/NenkinBatch.Benchmarks -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, .NET $(dotnet --version)"
echo "== generate --people $people --jps-rows $jps_rows"
dotnet jobs/NenkinBatch.Admin/bin/Release/net10.0/nenkin-admin.dll generate --people "$people" --jps-rows "$jps_rows" --seed 1 --out "$work/city"
iconv -f CP932 -t UTF-8 "$work/city/jps-result.csv" > "$work/jps-result.utf8.csv"
NENKIN_BENCH_DIR="$work" bash tests/with-postgres.sh bash tests/bench/measure.sh
