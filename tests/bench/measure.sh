#!/usr/bin/env bash
# The measurements of tests/bench/run.sh, run with NENKIN_TEST_PG set (tests/with-postgres.sh) and the
# generated city in $NENKIN_BENCH_DIR/city.
set -euo pipefail
bench="dotnet tests/NenkinBatch.Benchmarks/bin/Release/net10.0/NenkinBatch.Benchmarks.dll"
city="$NENKIN_BENCH_DIR/city"
port=$(echo "$NENKIN_TEST_PG" | sed -E 's/.*Port=([0-9]+).*/\1/')
psql=(psql "host=127.0.0.1 port=$port user=postgres dbname=nenkin_test" -q -v ON_ERROR_STOP=1)

# anchor TABLE COLUMNS FILE [JOB_LINE]: psql \copy of the same rows (UTF-8 CSV) into a table of the same columns,
# and, given the job's own line, the ratio of the two.
anchor() {
  "${psql[@]}" -c "CREATE TABLE $1 ($(printf 'c%d text,' $(seq 1 $(($2 - 1)))) c$2 text)"
  local start end ms
  start=$(date +%s%N)
  "${psql[@]}" -c "\\copy $1 FROM $3 WITH (FORMAT csv, HEADER true)"
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  echo "anchor       psql \\copy of the same rows: $ms ms"
  if [ -n "${4:-}" ]; then
    local seconds
    seconds=$(echo "$4" | sed -E 's/.*time= *([0-9.]+) s.*/\1/')
    awk -v t="$seconds" -v a="$ms" 'BEGIN { printf "ratio        postgres / anchor = %.2f\n", t * 1000 / a }'
  fi
}

echo "== load-members ($(($(wc -l < "$city/members.csv") - 1)) rows)"
$bench load-members "$city/members.csv" "$NENKIN_BENCH_DIR/members.db" sqlite
$bench load-members "$city/members.csv" "$NENKIN_TEST_PG;Search Path=bench_members" postgres
anchor anchor_members 17 "$city/members.csv"

echo "== import jps-result.csv, CP932 ($(($(wc -l < "$city/jps-result.csv") - 1)) rows)"
$bench import "$city/jps-result.csv" "$NENKIN_BENCH_DIR/import.db" sqlite
line=$($bench import "$city/jps-result.csv" "$NENKIN_TEST_PG;Search Path=bench_import" postgres)
echo "$line"
anchor anchor_jps 20 "$NENKIN_BENCH_DIR/jps-result.utf8.csv" "$line"

# Reconcile: the city's people against the list just imported, dry run with both reports written,
# beside what PostgreSQL itself takes to join the two lists on 基礎年金番号 and hand over the result.
echo "== reconcile (dry run, CSV + xlsx written) against $(($(wc -l < "$city/members.csv") - 1)) member rows"
# The people must be in the database the list was imported into: load them there first (not timed here).
$bench load-members "$city/members.csv" "$NENKIN_BENCH_DIR/import.db" sqlite >/dev/null
# DOTNET_gcServer=1: as nenkin-reconcile runs (its project sets the server GC; this harness is one executable for every job).
DOTNET_gcServer=1 $bench reconcile "$NENKIN_BENCH_DIR/import.db" sqlite "$NENKIN_BENCH_DIR/reports-sqlite"
$bench load-members "$city/members.csv" "$NENKIN_TEST_PG;Search Path=bench_import" postgres >/dev/null
line=$(DOTNET_gcServer=1 $bench reconcile "$NENKIN_TEST_PG;Search Path=bench_import" postgres "$NENKIN_BENCH_DIR/reports-pg")
echo "$line"
start=$(date +%s%N)
"${psql[@]}" -c "SET search_path = bench_import" -c "\\copy (SELECT j.*, p.* FROM jps_result j JOIN person p ON p.municipality_code = j.municipality_code AND p.basic_pension_number = j.basic_pension_number) TO /dev/null"
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
echo "anchor       PostgreSQL join of list and people on 基礎年金番号 (rows handed to psql): $ms ms"
seconds=$(echo "$line" | sed -E 's/.*time= *([0-9.]+) s.*/\1/')
awk -v t="$seconds" -v a="$ms" 'BEGIN { printf "ratio        reconcile / join = %.1f (bar: at most 20)\n", t * 1000 / a }'
