#!/usr/bin/env bash
# The purge benchmark: a generated city of about PEOPLE people on file, a tenth of them past their retention period
# (nenkin-admin generate --retention-people), loaded into a fresh PostgreSQL schema and a fresh SQLite file; then
# nenkin-purge plan and execute on each, timed, with the peak memory of each process. Prints the figures and the bars
# (PostgreSQL: plan under 60 s, execute under 10 minutes, peak memory under 500 MB).
#   bash tests/bench/purge.sh [PEOPLE]     (default 1,000,000)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
people=${1:-1000000}
cd "$root"
dotnet build jobs/NenkinBatch.Admin -c Release -nologo -v quiet >/dev/null
dotnet build jobs/NenkinBatch.Purge -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Of the generated old people about 68 % are past their period; the city's generator puts about 57 % of its residents on file.
retention=$(( people * 10 / 68 ))
residents=$(( (people - retention) * 100 / 57 ))
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, .NET $(dotnet --version)"
echo "== generate --people $residents --retention-people $retention"
dotnet jobs/NenkinBatch.Admin/bin/Release/net10.0/nenkin-admin.dll generate --people "$residents" --retention-people "$retention" --seed 1 --out "$work/city" | head -1
NENKIN_BENCH_DIR="$work" bash tests/with-postgres.sh bash tests/bench/purge-measure.sh
