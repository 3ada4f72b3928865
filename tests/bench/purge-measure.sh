#!/usr/bin/env bash
# The measurements of tests/bench/purge.sh, run with NENKIN_TEST_PG set (tests/with-postgres.sh) and the generated city in
# $NENKIN_BENCH_DIR/city.
set -euo pipefail
admin="dotnet jobs/NenkinBatch.Admin/bin/Release/net10.0/nenkin-admin.dll"
purge="dotnet jobs/NenkinBatch.Purge/bin/Release/net10.0/nenkin-purge.dll"
city="$NENKIN_BENCH_DIR/city"
as_of=2026-10-01   # the generator's day

# timed LABEL COMMAND…: runs it under /usr/bin/time, prints wall seconds and peak resident memory; its output goes to $last.
timed() {
  local label=$1; shift
  last="$NENKIN_BENCH_DIR/last.out"
  /usr/bin/time -f "%e %M" -o "$NENKIN_BENCH_DIR/time" "$@" > "$last" 2>&1 || { tail -5 "$last"; return 1; }
  read -r seconds kb < "$NENKIN_BENCH_DIR/time"
  awk -v s="$store" -v l="$label" -v t="$seconds" -v k="$kb" 'BEGIN { printf "%-8s %-8s %8.1f s   peak %6.0f MB\n", s, l, t, k / 1024 }'
}

for store in postgres sqlite; do
  if [ "$store" = postgres ]; then
    export NENKIN_DB="$NENKIN_TEST_PG;Search Path=bench_purge"
  else
    export NENKIN_DB="$NENKIN_BENCH_DIR/purge.db"
  fi
  export NENKIN_MUNICIPALITY_CODE=121002 NENKIN_LOG_DIR="$NENKIN_BENCH_DIR/logs-$store" NENKIN_REPORT_DIR="$NENKIN_BENCH_DIR/reports-$store"
  export NENKIN_KEY_FILE="$NENKIN_BENCH_DIR/number-$store.key"
  $admin db migrate >/dev/null
  $admin load-members "$city/members.csv" --quiet
  $admin load-members "$city/members-retention.csv" --quiet
  timed plan $purge plan --as-of "$as_of"
  grep -h "の削除計画 " "$last" | sed -E 's/^/         /'
  command=$(tail -1 "$last")
  echo "         $command"
  timed execute $purge ${command#nenkin-purge } --quiet || true
  grep -h "削除計画 .*: 削除" "$NENKIN_LOG_DIR"/purge-*.log | tail -1 | sed -E 's/^.*INFO +run=[0-9]+ pid=[0-9]+ /         /'
done
