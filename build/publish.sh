#!/usr/bin/env bash
# Publishes every job executable — each project under jobs/, whichever exist — self-contained and single-file (settings in
# jobs/Directory.Build.props) for each platform named, into one folder per platform with what an installation needs
# beside the executables: the commented settings template, the layouts, the code tables, the retention policy (when the
# repository has one), the schedules and the operator's guide. Nothing in the folder needs the .NET SDK or a network.
#
#   bash build/publish.sh                       # linux-x64 and win-x64
#   bash build/publish.sh linux-x64             # one platform
#   PUBLISH_DIR=/tmp/out bash build/publish.sh  # publish/ by default
#
# build/publish.ps1 does the same on a Windows build server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(linux-x64 win-x64)
out_root=${PUBLISH_DIR:-$root/publish}
for rid in "${platforms[@]}"; do
  case $rid in
    linux-x64 | win-x64) ;;
    *) echo "unknown platform '$rid' (linux-x64 or win-x64)" >&2; exit 64 ;;
  esac
done

for rid in "${platforms[@]}"; do
  out=$out_root/$rid
  rm -rf "$out"
  mkdir -p "$out"
  for project in jobs/*/*.csproj; do
    echo "publish: $project ($rid)"
    # Intermediate files of their own (--artifacts-path): a publish never disturbs the build the tests use.
    dotnet publish "$project" -c Release -r "$rid" -o "$out" --artifacts-path "$out_root/.build" -nologo -v quiet
  done
  cp build/package/nenkinbatch.sample.json build/package/README.txt "$out/"
  mkdir -p "$out/layouts" "$out/codes" "$out/docs"
  cp samples/layouts/*.json "$out/layouts/"
  cp lib/NenkinBatch/Domain/Codes/codes.json "$out/codes/"
  if [ -d samples/retention ]; then cp -R samples/retention "$out/retention"; fi
  cp -R schedules "$out/schedules"
  cp docs/運用手順書.md "$out/docs/"
  # What was published, from which commit: an installation can say what it runs.
  { echo "platform: $rid"; echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"; echo "published: $(date -u +%Y-%m-%dT%H:%M:%SZ)"; } > "$out/VERSION.txt"
  echo "published: $out"
  ls -l "$out"
done
