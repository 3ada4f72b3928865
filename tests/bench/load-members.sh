#!/usr/bin/env bash
# Benchmark: load N synthetic members (default 100,000) into a fresh SQLite file and a fresh
# PostgreSQL schema, one process each, and print rows/s and peak memory. Not part of the tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rows=${1:-100000}
cd "$root"
dotnet build tests/NenkinBatch.Benchmarks -c Release -nologo -v quiet >/dev/null
bench="dotnet tests/NenkinBatch.Benchmarks/bin/Release/net10.0/NenkinBatch.Benchmarks.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$bench generate-members "$rows" "$work/members.csv"
echo "members file: $(du -h "$work/members.csv" | cut -f1), $rows rows; $(nproc) cores"
$bench load-members "$work/members.csv" "$work/nenkin.db" sqlite
NENKIN_BENCH_FILE="$work/members.csv" bash tests/with-postgres.sh bash -c \
  "$bench load-members \"\$NENKIN_BENCH_FILE\" \"\$NENKIN_TEST_PG;Search Path=bench\" postgres"
