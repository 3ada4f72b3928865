# 毎晩の連続実行（Windows タスク スケジューラの NenkinBatch\Nightly が実行します）。
#
# 住基の異動の反映 → 処理結果一覧表の取込み → 照合（ドライラン、朝の報告書）を順に実行します。
# 次のジョブに進むのは、前のジョブの終了コードが 0（成功）か 10（一部の行を除外、残りは反映済み）のときだけです。
# それ以外（20、30、64、69、70、75、130 など）は人の対応が要るので、そこで止まり、そのジョブの終了コードで
# 終わります。タスク スケジューラの「前回の実行結果」がその終了コードになります（意味と対処は docs/運用手順書.md）。
# 各ジョブは前のジョブの終了を待ってから始まります（時刻をずらして待つのではありません）。
#
# Windows PowerShell 5.1 と PowerShell 7 のどちらでも動きます。
param(
    # 実行ファイルのフォルダー（既定: このスクリプトの 2 つ上、配布フォルダーの schedules\windows\ から見て）
    [string]$InstallDir = (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)),
    # 住基の異動ファイルの受信フォルダー
    [string]$JukiInbox = 'D:\NenkinBatch\juki-inbox',
    # 処理結果一覧表の受信フォルダー
    [string]$JpsInbox = 'D:\NenkinBatch\inbox',
    # 各ジョブの実行結果（<ジョブ>.summary.json）と、この連続実行の記録（nightly-chain.log）を置くフォルダー
    [string]$LogDir = 'D:\NenkinBatch\logs'
)

# 0: 成功、10: 一部の行を除外（残りは反映済み。除外行は朝に職員が確認）。これ以外は止まる。
$continueOn = @(0, 10)
$extension = if ($env:OS -eq 'Windows_NT') { '.exe' } else { '' }
$chainLog = Join-Path $LogDir 'nightly-chain.log'

function Write-Chain([string]$message) {
    $line = '{0} {1}' -f (Get-Date -Format 'yyyy-MM-dd HH:mm:ss'), $message
    Write-Output $line
    Add-Content -LiteralPath $chainLog -Value $line -Encoding UTF8
}

if (-not (Test-Path -LiteralPath $LogDir -PathType Container)) {
    Write-Output "ログのフォルダー $LogDir がありません。作成してから再実行してください。"
    exit 64
}

$steps = @(
    @{ Job = 'nenkin-juki-sync'; Arguments = @('--inbox', $JukiInbox) },
    @{ Job = 'nenkin-import'; Arguments = @('--inbox', $JpsInbox) },
    @{ Job = 'nenkin-reconcile'; Arguments = @() }
)

Write-Chain '毎晩の連続実行を開始します。'
foreach ($step in $steps) {
    $executable = Join-Path $InstallDir ($step.Job + $extension)
    if (-not (Test-Path -LiteralPath $executable -PathType Leaf)) {
        Write-Chain "$executable がありません。-InstallDir を確認してください。ここで止まります（終了コード 64）。"
        exit 64
    }
    $arguments = $step.Arguments + @('--quiet', '--summary', (Join-Path $LogDir ($step.Job + '.summary.json')))
    & $executable @arguments
    $code = $LASTEXITCODE
    if ($continueOn -notcontains $code) {
        Write-Chain "$($step.Job) が終了コード $code で終わりました。人の対応が要るので、ここで止まります（docs/運用手順書.md の「終了コード」）。"
        exit $code
    }
    Write-Chain "$($step.Job) が終了コード $code で終わりました。"
}
Write-Chain '毎晩の連続実行が終わりました。'
exit 0
