#!/usr/bin/env bash
# CI, after the tests: publishes linux-x64 (build/publish.sh) and installs it as an operator would — the published folder
# copied, nenkinbatch.json made from the shipped template — then, with the published executables alone (a PATH without
# dotnet, an empty environment), sets up the sample city, checks the install with nenkin-admin doctor, and runs the
# nightly chain through the crontab's own chain line, twice. Checks every exit code (the 住基 deltas' deliberate bad
# rows: 10, and the chain goes on), the morning report, and that every file and folder the run created is owner-only
# (0600 / 0700) although it ran under umask 022. Ends with one line "N passed, N failed".
#
#   bash tests/published-chain.sh              # publishes first
#   SKIP_PUBLISH=1 bash tests/published-chain.sh   # uses publish/linux-x64 as it is
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ "${SKIP_PUBLISH:-}" = 1 ] || bash build/publish.sh linux-x64
published=${PUBLISH_DIR:-$root/publish}/linux-x64

work=$(mktemp -d /tmp/nenkin-published.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() { # check DESCRIPTION COMMAND…
  local what=$1
  shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $what"; else failed=$((failed + 1)); echo "FAILED: $what" >&2; fi
}

# The installation: the published folder as it ships, and the city's folders owner-only as the guide says.
app=$work/opt/nenkinbatch
mkdir -p "$work/opt"
cp -R "$published" "$app"
srv=$work/srv
mkdir -p -m 700 "$srv" "$srv/data" "$srv/logs" "$srv/reports" "$srv/juki-inbox" "$srv/inbox" "$work/home"
# The template's comments stay: the executables must read the file as shipped, with only the values changed.
sed -e "s#\"/var/lib/nenkinbatch/nenkin.db\"#\"$srv/data/nenkin.db\"#" \
    -e "s#\"/var/lib/nenkinbatch/nenkin.db.key\"#\"$srv/data/nenkin.db.key\"#" \
    -e "s#\"/var/log/nenkinbatch\"#\"$srv/logs\"#" \
    -e "s#\"/srv/nenkinbatch/reports\"#\"$srv/reports\"#" \
    "$app/nenkinbatch.sample.json" > "$app/nenkinbatch.json"
check "the settings template names every path the test replaced" grep -q "$srv/reports" "$app/nenkinbatch.json"

# Only what cron's chain line itself needs besides the executables: no dotnet anywhere on PATH.
tools=$work/tools
mkdir -p "$tools"
for tool in sh flock logger; do ln -s "$(command -v "$tool")" "$tools/$tool"; done
path="$app:$tools"
check "no dotnet on the PATH the executables run with" sh -c "! env -i PATH='$path' /bin/sh -c 'command -v dotnet' >/dev/null"

# Every command as a scheduler starts it: from the executables' folder, an empty environment, umask 022.
run() { # run EXPECTED_EXIT EXECUTABLE ARGS…
  local expected=$1 executable=$2 status=0
  shift 2
  (cd "$app" && umask 022 && env -i PATH="$path" HOME="$work/home" LANG=C.UTF-8 "$app/$executable" "$@") > "$work/last.out" 2>&1 || status=$?
  check "$executable $* exits $expected (got $status)" test "$status" -eq "$expected" || cat "$work/last.out" >&2
}

run 0 nenkin-admin db migrate
# The synthetic city from the published executable: the same bytes as samples/city, so its data files travel inside it.
run 0 nenkin-admin generate --people 400 --seed 2026 --out "$work/city"
check "the published generator writes the sample city byte for byte" cmp -s "$work/city/members.csv" samples/city/members.csv
run 0 nenkin-admin load-members "$work/city/members.csv"
run 0 nenkin-juki-sync "$work/city/juki-history.csv"

# The night's deliveries, owner-only as a delivering system should leave them, settled (not still being written).
install -m 600 "$work/city/juki-delta-1.csv" "$work/city/juki-delta-2.csv" "$srv/juki-inbox/"
install -m 600 "$work/city/jps-result.csv" "$work/city/jps-result.dat" "$srv/inbox/"
touch -d '-1 minute' "$srv"/juki-inbox/* "$srv"/inbox/*

run 0 nenkin-admin doctor --inbox "$srv/juki-inbox" --inbox "$srv/inbox"
check "doctor finds nothing to fix" sh -c "! grep -q '^✗' '$work/last.out'"
check "doctor confirms the key against the stored numbers" grep -q '^✓ 鍵の照合' "$work/last.out"

# The nightly chain exactly as cron runs it: the crontab's line, sh -c, the crontab's settings and nothing else.
chain=$(grep '^0 2 \* \* \* ' schedules/cron/nenkinbatch.crontab | sed 's/^0 2 \* \* \* *//')
cron_env=(CRON_TZ=Asia/Tokyo PATH="$path" NENKIN_HOME="$app" NENKIN_JUKI_INBOX="$srv/juki-inbox" NENKIN_JPS_INBOX="$srv/inbox"
  NENKIN_LOG="$srv/logs" NENKIN_LOCK="$srv/data/nightly.lock")
night() { # night N: runs the chain; its exit code goes to chain-N.status
  local status=0
  (umask 022 && env -i "${cron_env[@]}" /bin/sh -c "$chain") || status=$?
  echo "$status" > "$work/chain-$1.status"
}
summary_exit() { sed -n 's/.*"exit_code": *\([0-9]*\).*/\1/p' "$srv/logs/$1.summary.json"; }

night 1
check "night 1: the chain ends with 0" test "$(cat "$work/chain-1.status")" = 0
check "night 1: nenkin-juki-sync 10 (the deltas' deliberate bad rows), and the chain went on" test "$(summary_exit nenkin-juki-sync)" = 10
check "night 1: nenkin-import 0" test "$(summary_exit nenkin-import)" = 0
check "night 1: nenkin-reconcile 0" test "$(summary_exit nenkin-reconcile)" = 0
check "night 1: the chain's log names each job and its exit code" grep -qx 'nenkin-reconcile exit 0' "$srv/logs/nightly-chain.log"
check "night 1: the inboxes' files were taken" test -z "$(find "$srv/juki-inbox" "$srv/inbox" -maxdepth 1 -type f)"

# The morning report: the CSV (UTF-8 with BOM) with a row per list row and per 機構未反映 finding, and the workbook.
report=$(ls "$srv"/reports/reconcile-*.csv | head -1)
check "the report CSV exists" test -s "$report"
check "the report workbook exists beside it" test -s "${report%.csv}.xlsx"
check "the report starts with a BOM and a header naming 判定" sh -c "head -c 3 '$report' | od -An -tx1 | grep -q 'ef bb bf' && head -1 '$report' | grep -q 判定"
rows=$(sed -n 's/.*"rows": *\([0-9]*\).*/\1/p' "$srv/logs/nenkin-reconcile.summary.json")
list_rows=$(( $(wc -l < "$work/city/jps-result.csv") - 1 + $(grep -c '^2' "$work/city/jps-result.dat" || true) ))
check "reconcile judged every list row ($rows of $list_rows)" test "$rows" -eq "$list_rows"
check "the workbook is a zip holding the 集計 sheet" sh -c "unzip -p '${report%.csv}.xlsx' xl/workbook.xml 2>/dev/null | grep -q 集計 || python3 -c \"import zipfile,sys; sys.exit(0 if '集計' in zipfile.ZipFile('${report%.csv}.xlsx').read('xl/workbook.xml').decode() else 1)\""

night 2
check "night 2: nothing new, the chain ends with 0" test "$(cat "$work/chain-2.status")" = 0
check "night 2: nenkin-juki-sync 0" test "$(summary_exit nenkin-juki-sync)" = 0

# The weekly purge plan, once the job ships.
if [ -x "$app/nenkin-purge" ]; then run 0 nenkin-purge plan; fi

# Every file and folder the run created is its owner's only (README, "File permissions").
open_files=$(find "$srv" -type f ! -perm 600)
open_folders=$(find "$srv" -mindepth 1 -type d ! -perm 700)
check "every file created is 0600${open_files:+: $open_files}" test -z "$open_files"
check "every folder created is 0700${open_folders:+: $open_folders}" test -z "$open_folders"
check "the run left logs, rejected rows, reports, workbooks, summaries, the key, the database and its locks" \
  sh -c "for f in '$srv'/logs/nenkin-juki-sync.summary.json '$srv'/logs/juki-sync-rejected-*.csv '$srv'/reports/juki-followups-*.xlsx '$srv'/data/nenkin.db '$srv'/data/nenkin.db.key '$srv'/juki-inbox/processed/juki-delta-1.csv; do test -e \"\$f\" || exit 1; done; ls '$srv'/logs/*.log '$srv'/data/*.lock >/dev/null"

echo "published-chain: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
