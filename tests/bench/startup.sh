#!/usr/bin/env bash
# Start-up time of the published executables: `nenkin-admin db status` on a migrated SQLite database, run N times
# (default 20) after two warm-up runs, from the folder build/publish.sh made. Prints the median, the fastest and the
# slowest in milliseconds. Start-up is what a scheduler pays for each job and what an operator waits for at a prompt.
#
#   bash tests/bench/startup.sh [PUBLISHED_FOLDER] [N]      # default publish/linux-x64, 20
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
folder=${1:-$root/publish/linux-x64}
runs=${2:-20}
[ -d "$folder" ] && folder=$(cd "$folder" && pwd)
admin=$folder/nenkin-admin
[ -x "$admin" ] || { echo "$admin not found: run bash build/publish.sh linux-x64 first" >&2; exit 64; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# No nenkinbatch.json here or beside the executable is read: everything on the command line and in the environment.
export NENKIN_MUNICIPALITY_CODE=121002 NENKIN_DB="$work/nenkin.db"
"$admin" db migrate >/dev/null
"$admin" db status >/dev/null
"$admin" db status >/dev/null

times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$admin" db status >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk -v n="$runs" 'NR == int((n + 1) / 2) { print }')
echo "nenkin-admin db status ($folder, $runs runs): median ${median} ms, fastest $(echo "$sorted" | head -1) ms, slowest $(echo "$sorted" | tail -1) ms"
