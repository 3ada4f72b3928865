# Publishes every job executable (each project under jobs\, whichever exist) self-contained and single-file for each
# platform named, into one folder per platform with what an installation needs beside the executables: the commented
# settings template, the layouts, the code tables, the retention policy (when the repository has one), the schedules
# and the operator's guide. The same as build/publish.sh, for a Windows build server (PowerShell 5.1 or 7; paths are
# written with / so that it runs under pwsh on Linux too).
#
#   powershell -ExecutionPolicy Bypass -File build\publish.ps1                      # win-x64 and linux-x64
#   powershell -ExecutionPolicy Bypass -File build\publish.ps1 -Platform win-x64
#   ... -OutputRoot D:\out                                                            # publish\ by default
param(
    [ValidateSet('win-x64', 'linux-x64')]
    [string[]]$Platform = @('win-x64', 'linux-x64'),
    [string]$OutputRoot = ''
)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
Set-Location $root
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
if ($OutputRoot -eq '') { $OutputRoot = Join-Path $root 'publish' }

foreach ($rid in $Platform) {
    $out = Join-Path $OutputRoot $rid
    if (Test-Path -LiteralPath $out) { Remove-Item -LiteralPath $out -Recurse -Force }
    New-Item -ItemType Directory -Path $out | Out-Null
    foreach ($project in Get-ChildItem -Path (Join-Path $root 'jobs') -Filter '*.csproj' -Recurse -Depth 1 | Sort-Object FullName) {
        Write-Output "publish: $($project.FullName) ($rid)"
        # Intermediate files of their own (--artifacts-path): a publish never disturbs the build the tests use.
        & dotnet publish $project.FullName -c Release -r $rid -o $out --artifacts-path (Join-Path $OutputRoot '.build') -nologo -v quiet
        if ($LASTEXITCODE -ne 0) { throw "dotnet publish $($project.Name) ($rid) failed with exit code $LASTEXITCODE" }
    }
    Copy-Item -LiteralPath (Join-Path $root 'build/package/nenkinbatch.sample.json'), (Join-Path $root 'build/package/README.txt') -Destination $out
    foreach ($folder in 'layouts', 'codes', 'docs') { New-Item -ItemType Directory -Path (Join-Path $out $folder) | Out-Null }
    Copy-Item -Path (Join-Path $root 'samples/layouts/*.json') -Destination (Join-Path $out 'layouts')
    Copy-Item -LiteralPath (Join-Path $root 'lib/NenkinBatch/Domain/Codes/codes.json') -Destination (Join-Path $out 'codes')
    $retention = Join-Path $root 'samples/retention'
    if (Test-Path -LiteralPath $retention) { Copy-Item -LiteralPath $retention -Destination (Join-Path $out 'retention') -Recurse }
    Copy-Item -LiteralPath (Join-Path $root 'schedules') -Destination (Join-Path $out 'schedules') -Recurse
    Copy-Item -LiteralPath (Join-Path $root 'docs/運用手順書.md') -Destination (Join-Path $out 'docs')
    # What was published, from which commit: an installation can say what it runs.
    $commit = (& git rev-parse --short HEAD 2>$null)
    if (-not $commit) { $commit = 'unknown' }
    Set-Content -LiteralPath (Join-Path $out 'VERSION.txt') -Encoding ASCII -Value @(
        "platform: $rid", "commit: $commit", ("published: {0:yyyy-MM-ddTHH:mm:ssZ}" -f (Get-Date).ToUniversalTime()))
    Write-Output "published: $out"
}
