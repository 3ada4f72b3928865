#!/usr/bin/env bash
# The 住基 sync benchmark: a generated city's initial full history (about 3 rows a person) into a fresh PostgreSQL
# schema and a fresh SQLite file, beside the anchor — psql \copy of the same rows into a plain table of the same
# columns, measured in the same run — then a daily delta against each loaded database. Prints wall time, rows/s,
# peak memory and the ratio to the anchor.
#   bash tests/bench/juki.sh [PEOPLE] [DELTA_ROWS]     (defaults 1,000,000 and 10,000)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
people=${1:-1000000}
delta_rows=${2:-10000}
cd "$root"
dotnet build jobs/NenkinBatch.Admin -c Release -nologo -v quiet >/dev/null
dotnet build tests/NenkinBatch.Benchmarks -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, .NET $(dotnet --version)"
echo "== generate --people $people --juki-changes $delta_rows"
dotnet jobs/NenkinBatch.Admin/bin/Release/net10.0/nenkin-admin.dll generate --people "$people" --juki-changes "$delta_rows" --seed 1 --out "$work/city"
NENKIN_BENCH_DIR="$work" bash tests/with-postgres.sh bash tests/bench/juki-measure.sh
