#!/usr/bin/env bash
# Matching accuracy on generated cities: for each seed, generates a city with the generator's full
# perturbation mix, loads it into a fresh SQLite file, imports its 処理結果一覧表, reconciles it as a dry run,
# and scores the report against the generator's truth.csv. Prints, per seed and in total: precision of the
# automatic matches, the share of on-file rows matched automatically, the share sent to 要確認, and every
# wrong automatic match with the slips its row carried (relatives, twins, namesakes …).
#   bash tests/accuracy/run.sh [PEOPLE] [SEED…]      (defaults 50,000 people; seeds 1 2 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
people=${1:-50000}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
cd "$root"
for p in jobs/NenkinBatch.Admin jobs/NenkinBatch.Import jobs/NenkinBatch.Reconcile tests/NenkinBatch.Benchmarks; do
  dotnet build "$p" -c Release -nologo -v quiet >/dev/null
done
admin="dotnet jobs/NenkinBatch.Admin/bin/Release/net10.0/nenkin-admin.dll"
import="dotnet jobs/NenkinBatch.Import/bin/Release/net10.0/nenkin-import.dll"
reconcile="dotnet jobs/NenkinBatch.Reconcile/bin/Release/net10.0/nenkin-reconcile.dll"
bench="dotnet tests/NenkinBatch.Benchmarks/bin/Release/net10.0/NenkinBatch.Benchmarks.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NENKIN_MUNICIPALITY_CODE=121002
for seed in "${seeds[@]}"; do
  dir="$work/seed-$seed"
  $admin generate --people "$people" --seed "$seed" --out "$dir/city" >/dev/null
  export NENKIN_DB="$dir/nenkin.db" NENKIN_LOG_DIR="$dir/logs" NENKIN_REPORT_DIR="$dir/reports"
  $admin db migrate >/dev/null
  $admin load-members "$dir/city/members.csv" --quiet
  $import "$dir/city/jps-result.csv" --quiet
  $reconcile --quiet
  echo "seed $seed, $people people: $($bench accuracy "$dir/city/truth.csv" "$(ls "$dir"/reports/reconcile-*.csv)")"
done
