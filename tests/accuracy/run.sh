#!/usr/bin/env bash
# Matching accuracy on generated cities: for each seed, generates a city with the generator's full perturbation mix, loads
# it into a fresh SQLite file as the nightly chain would (members, the 住基 initial history — so the register's residents,
# former addresses and names are on file —, the 処理結果一覧表), reconciles it as a dry run, and scores the report against
# the generator's truth.csv. Prints per seed the figures the matcher is held to (wrong automatic matches, the share of
# on-file rows matched automatically, the share sent to 要確認, the share of misspelt foreign residents found; each
# against what is wanted), wrong automatic matches by case and 要確認 by reason; then, for all seeds together, the
# same and per case what became of the rows (automatic, 要確認, 市未登録, 返戻).
#   bash tests/accuracy/run.sh [PEOPLE] [SEED…]      (defaults 50,000 people; seeds 1 2 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
people=${1:-50000}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
cd "$root"
for p in jobs/NenkinBatch.Admin jobs/NenkinBatch.JukiSync jobs/NenkinBatch.Import jobs/NenkinBatch.Reconcile tests/NenkinBatch.Benchmarks; do
  dotnet build "$p" -c Release -nologo -v quiet >/dev/null
done
admin="dotnet jobs/NenkinBatch.Admin/bin/Release/net10.0/nenkin-admin.dll"
sync="dotnet jobs/NenkinBatch.JukiSync/bin/Release/net10.0/nenkin-juki-sync.dll"
import="dotnet jobs/NenkinBatch.Import/bin/Release/net10.0/nenkin-import.dll"
reconcile="dotnet jobs/NenkinBatch.Reconcile/bin/Release/net10.0/nenkin-reconcile.dll"
bench="dotnet tests/NenkinBatch.Benchmarks/bin/Release/net10.0/NenkinBatch.Benchmarks.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NENKIN_MUNICIPALITY_CODE=121002
pairs=()
for seed in "${seeds[@]}"; do
  dir="$work/seed-$seed"
  $admin generate --people "$people" --seed "$seed" --out "$dir/city" >/dev/null
  export NENKIN_DB="$dir/nenkin.db" NENKIN_LOG_DIR="$dir/logs" NENKIN_REPORT_DIR="$dir/reports"
  $admin db migrate >/dev/null
  $admin load-members "$dir/city/members.csv" --quiet
  # The history only: the list is about the days before the files were made; the deltas are the days after.
  status=0
  $sync "$dir/city/juki-history.csv" --quiet || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq 10 ] || exit "$status"
  $import "$dir/city/jps-result.csv" --quiet
  $reconcile --quiet
  report=$(ls "$dir"/reports/reconcile-*.csv)
  pairs+=("$dir/city/truth.csv" "$report")
  echo "seed $seed, $people people: $($bench accuracy --register --brief "$dir/city/truth.csv" "$report")"
done
echo
echo "all ${#seeds[@]} seeds (${seeds[*]}), $people people each: $($bench accuracy --register "${pairs[@]}")"
