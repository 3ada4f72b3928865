#!/usr/bin/env bash
# The COPY into jps_result, 100,000 generated rows: the store's own binary encoder against NpgsqlBinaryImporter, by
# BenchmarkDotNet, then the same COPYs taking turns (robust to background load).   bash tests/bench/copy.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(dotnet build tests/NenkinBatch.Benchmarks -c Release -nologo -v quiet 2>&1) || { echo "$build" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench="dotnet tests/NenkinBatch.Benchmarks/bin/Release/net10.0/NenkinBatch.Benchmarks.dll"
bash tests/with-postgres.sh bash -c "$bench copy --artifacts $work >$work/bdn.log || { cat $work/bdn.log; exit 1; }
  sed -n '/^| Method/,/^\$/p' $work/bdn.log; $bench copy-interleaved ${1:-30}"
