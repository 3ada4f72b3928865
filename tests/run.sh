#!/usr/bin/env bash
# The README's test command: every test, against SQLite and a throwaway PostgreSQL.
# Ends with one plain line "N passed, N failed" summed over the test assemblies.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# The workbook tests have LibreOffice read, print and re-save the clerk's workbook; they fail without it.
if ! command -v soffice >/dev/null 2>&1; then
  install="apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libreoffice-calc-nogui"
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing LibreOffice Calc without a display (Debian package libreoffice-calc-nogui)…"
    bash -c "$install"
  else
    echo "soffice (LibreOffice) is not installed: the workbook tests will fail. As root, run:" >&2
    echo "  $install" >&2
  fi
fi
# The schedule tests run the Windows chain script with PowerShell 7; a copy in .tools/ when pwsh is not installed.
if ! command -v pwsh >/dev/null 2>&1 && [ ! -x .tools/pwsh ]; then
  echo "Installing PowerShell into .tools/ (dotnet tool PowerShell)…"
  dotnet tool install --tool-path .tools PowerShell --version 7.6.9 >/dev/null
fi
dotnet build NenkinBatch.sln -c Release -warnaserror -nologo -v quiet
log=$(mktemp)
set +e
bash tests/with-postgres.sh dotnet test NenkinBatch.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$( { grep -oE 'Passed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
failed=$( { grep -oE 'Failed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed"
exit "$status"
