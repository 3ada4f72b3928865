#!/usr/bin/env bash
# The measurements of tests/bench/juki.sh, run with NENKIN_TEST_PG set (tests/with-postgres.sh) and the generated
# city in $NENKIN_BENCH_DIR/city.
set -euo pipefail
bench="dotnet tests/NenkinBatch.Benchmarks/bin/Release/net10.0/NenkinBatch.Benchmarks.dll"
city="$NENKIN_BENCH_DIR/city"
port=$(echo "$NENKIN_TEST_PG" | sed -E 's/.*Port=([0-9]+).*/\1/')
psql=(psql "host=127.0.0.1 port=$port user=postgres dbname=nenkin_test" -q -v ON_ERROR_STOP=1)
history="$city/juki-history.csv"
columns=$(head -1 "$history" | tr ',' '\n' | wc -l)

echo "== initial full history ($(($(wc -l < "$history") - 1)) rows, $(du -m "$history" | cut -f1) MB)"
"${psql[@]}" -c "CREATE TABLE anchor_juki ($(printf 'c%d text,' $(seq 1 $((columns - 1)))) c$columns text)"
start=$(date +%s%N)
"${psql[@]}" -c "\\copy anchor_juki FROM $history WITH (FORMAT csv, HEADER true)"
end=$(date +%s%N)
anchor_ms=$(( (end - start) / 1000000 ))
echo "anchor       psql \\copy of the same rows into a plain table of $columns columns: $anchor_ms ms"
line=$($bench juki-sync "$history" "$NENKIN_TEST_PG;Search Path=bench_juki" postgres)
echo "$line"
seconds=$(echo "$line" | sed -E 's/.*time= *([0-9.]+) s.*/\1/')
awk -v t="$seconds" -v a="$anchor_ms" 'BEGIN { printf "ratio        postgres / anchor = %.2f (bar: at most 4)\n", t * 1000 / a }'

# The server's share alone: the rows the job stored, dumped and loaded again by binary \copy into empty tables with the
# migrations' indexes, one table after another, no job in between; the two indexes a first load builds at its end (docs/
# architecture.md, "住基 sync") built after their table's rows, as the job does. The job cannot finish sooner than this
# plus what the server does while it runs, and the two share the machine's cores.
floor_ms=0
for table in person person_individual_number person_address_history person_name_history audit_log; do
  case $table in
    person) built_after="(municipality_code, birth_date)" ;;
    person_individual_number) built_after="(municipality_code, number_digest)" ;;
    *) built_after="" ;;
  esac
  "${psql[@]}" -c "\\copy bench_juki.$table TO '$NENKIN_BENCH_DIR/$table.bin' WITH (FORMAT binary)"
  "${psql[@]}" -c "CREATE TABLE public.floor_$table (LIKE bench_juki.$table INCLUDING ALL)"
  if [ -n "$built_after" ]; then
    index=$("${psql[@]}" -Atc "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'floor_$table' AND indexdef LIKE '%$built_after'")
    "${psql[@]}" -c "DROP INDEX public.$index"
  fi
  "${psql[@]}" -c checkpoint
  start=$(date +%s%N)
  "${psql[@]}" -c "\\copy public.floor_$table FROM '$NENKIN_BENCH_DIR/$table.bin' WITH (FORMAT binary)"
  [ -z "$built_after" ] || "${psql[@]}" -c "CREATE INDEX ON public.floor_$table $built_after"
  end=$(date +%s%N)
  floor_ms=$((floor_ms + (end - start) / 1000000))
  "${psql[@]}" -c "DROP TABLE public.floor_$table"
  rm -f "$NENKIN_BENCH_DIR/$table.bin"
done
awk -v f="$floor_ms" -v a="$anchor_ms" 'BEGIN { printf "server only  the stored rows loaded again into the five tables with their indexes: %d ms = %.2f x anchor\n", f, f / a }'
$bench juki-sync "$history" "$NENKIN_BENCH_DIR/juki.db" sqlite

echo "== daily delta ($(($(wc -l < "$city/juki-delta-1.csv") - 1)) rows) against the loaded databases"
$bench juki-sync "$city/juki-delta-1.csv" "$NENKIN_TEST_PG;Search Path=bench_juki" postgres || true  # exit 10: the delta holds refused rows on purpose
$bench juki-sync "$city/juki-delta-1.csv" "$NENKIN_BENCH_DIR/juki.db" sqlite || true
