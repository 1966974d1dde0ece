<#
.SYNOPSIS
    Measures policy evaluation beside the reference oracle on the standard workload, in one run.

.DESCRIPTION
    1. tests/PtcTools.Benchmarks generates the workload (node <shared>/bench/gen.mjs 10000 DIR), evaluates
       it in-process with the policies compiled once, runs the oracle (run-oracle.sh --fast-collator) on
       the same requests, prints both rates and their ratio, and checks that every decision agrees.
    2. Test-PtcPermission, in a warm pwsh session, is fed the same 10,000 requests as objects through the
       pipeline (ConvertFrom-Json objects, as a user's script makes them); its rate is set beside the
       oracle's from step 1, and its decisions are checked against the oracle's too.
    With -BaselineModuleManifest (a build of the code before a change), step 2 runs for both modules in the
    same run, -Rounds times each in alternating order, and sets the two rates side by side; each figure is the
    best of its rounds.
    The shared folder is found next to the repository (CI: <repo>/../shared) or in $env:PTC_SHARED.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [string] $Configuration = 'Release',
    [int] $Requests = 10000,
    [double] $EngineSeconds = 3,
    [string] $BaselineModuleManifest,
    [int] $Rounds = 1
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Find-Shared {
    if ($env:PTC_SHARED) { return $env:PTC_SHARED }
    for ($dir = Split-Path $root -Parent; $dir; $dir = Split-Path $dir -Parent) {
        if (Test-Path -LiteralPath (Join-Path $dir 'shared/oracle/run-oracle.sh')) { return (Join-Path $dir 'shared') }
    }
    return $null
}

$shared = Find-Shared
if (-not $shared -or -not (Get-Command node -ErrorAction Ignore)) {
    Write-Warning 'Measure-Simulate skipped: the shared oracle folder (../shared) or node is not available.'
    return
}

$work = Join-Path ([System.IO.Path]::GetTempPath()) "ptc-bench-simulate-$PID"
$null = New-Item -ItemType Directory -Path $work -Force
try {
    # 1. Engine and oracle, same requests, same run.
    $project = Join-Path $root 'tests/PtcTools.Benchmarks/PtcTools.Benchmarks.csproj'
    & dotnet build $project -c $Configuration --nologo -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { throw 'The benchmark project did not build.' }
    $lines = & dotnet run --no-build -c $Configuration --project $project -- --requests $Requests --work $work --shared $shared --seconds $EngineSeconds
    $engineExit = $LASTEXITCODE
    $lines | Where-Object { $_ -notlike 'RESULT *' } | ForEach-Object { Write-Host "    $_" }
    $engine = ($lines | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1) -replace '^RESULT ', '' | ConvertFrom-Json
    if ($engineExit -ne 0 -or -not $engine) { throw "The engine benchmark failed (exit code $engineExit)." }

    # 2. The cmdlet in a warm session of its own (a binary module cannot be unloaded).
    $inner = Join-Path $work 'measure-cmdlet.ps1'
    Set-Content -LiteralPath $inner -Value @'
param($ModuleManifest, $Work)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$policy = Get-Content -LiteralPath (Join-Path $Work 'policy.json') -Raw | ConvertFrom-PtcRegistryPolicy
$text = Get-Content -LiteralPath (Join-Path $Work 'requests.jsonl')
$objects = $text | ConvertFrom-Json
$null = $objects | Test-PtcPermission -Policy $policy            # warm: JIT, binder caches
$best = [double]::MaxValue
foreach ($i in 1..3) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $results = $objects | Test-PtcPermission -Policy $policy
    $sw.Stop()
    $best = [math]::Min($best, $sw.Elapsed.TotalSeconds)
}
$sw = [Diagnostics.Stopwatch]::StartNew()
$null = $text | ConvertFrom-Json | Test-PtcPermission -Policy $policy
$sw.Stop()
$withJson = $sw.Elapsed.TotalSeconds
# Scale: one call over a cross product (100 principals x 1,000 repositories), as results and with -Quiet.
$principals = foreach ($i in 1..100) { 'arn:aws:iam::{0}:role/{1}' -f @('111122223333', '200000000000', '211111111111')[$i % 3], @("pull-through-$($i % 40)", 'ci-quay', 'ml-reader-x', 'random')[$i % 4] }
$repositories = foreach ($i in 1..1000) { 'arn:aws:ecr:us-east-1:111122223333:repository/{0}/repo-{1}' -f @('ecr-public', 'quay', 'docker-hub', 'ghcr', 'k8s', 'team-a', 'team-b', 'team-c', 'ml', 'infra')[$i % 10], $i }
$sw = [Diagnostics.Stopwatch]::StartNew()
$crossCount = (Test-PtcPermission -Policy $policy -Principal $principals -Action ecr:BatchImportUpstreamImage -Resource $repositories | Measure-Object).Count
$sw.Stop()
$crossSeconds = $sw.Elapsed.TotalSeconds
$sw = [Diagnostics.Stopwatch]::StartNew()
$null = Test-PtcPermission -Policy $policy -Principal $principals -Action ecr:BatchImportUpstreamImage -Resource $repositories -Quiet
$sw.Stop()
$quietSeconds = $sw.Elapsed.TotalSeconds
$oracle = @{}
Get-Content -LiteralPath (Join-Path $Work 'oracle.jsonl') | ConvertFrom-Json | ForEach-Object { $oracle["$($_.id)"] = $_.decision }
$names = @{ Allowed = 'Allowed'; ExplicitDeny = 'ExplicitlyDenied'; ImplicitDeny = 'ImplicitlyDenied' }
$agree = 0
for ($i = 0; $i -lt $objects.Count; $i++) { if ($oracle["$($objects[$i].id)"] -eq $names["$($results[$i].Decision)"]) { $agree++ } }
[pscustomobject]@{ Count = $results.Count; BestSeconds = $best; WithJsonSeconds = $withJson; Agree = $agree; CrossCount = $crossCount; CrossSeconds = $crossSeconds; QuietSeconds = $quietSeconds } | ConvertTo-Json -Compress
'@
    function Measure-Cmdlet([string] $Manifest) {
        $run = & dotnet pwsh -NoProfile -NonInteractive -File $inner -ModuleManifest $Manifest -Work $work | Select-Object -Last 1 | ConvertFrom-Json
        if ($BaselineModuleManifest) {
            Write-Host ("    round:      {0,-9} {1:N0} decisions/s through the pipeline" -f $(if ($Manifest -eq $BaselineModuleManifest) { 'baseline' } else { 'this' }), ($run.Count / $run.BestSeconds))
        }
        $run
    }
    # The best of the rounds for each figure (the least disturbed by other work on the machine).
    function Join-Round([object[]] $Runs) {
        $best = $Runs[0].PSObject.Copy()
        foreach ($name in 'BestSeconds', 'WithJsonSeconds', 'CrossSeconds', 'QuietSeconds') { $best.$name = ($Runs.$name | Measure-Object -Minimum).Minimum }
        $best.Agree = ($Runs.Agree | Measure-Object -Minimum).Minimum
        $best
    }
    $candidateRuns = [System.Collections.Generic.List[object]]::new()
    $baselineRuns = [System.Collections.Generic.List[object]]::new()
    foreach ($round in 1..([math]::Max(1, $Rounds))) {
        # Alternate which build goes first, so that neither always meets the same load on a shared machine.
        if ($BaselineModuleManifest -and $round % 2 -eq 0) { $baselineRuns.Add((Measure-Cmdlet $BaselineModuleManifest)) }
        $candidateRuns.Add((Measure-Cmdlet $ModuleManifest))
        if ($BaselineModuleManifest -and $round % 2 -eq 1) { $baselineRuns.Add((Measure-Cmdlet $BaselineModuleManifest)) }
    }
    $cmdlet = Join-Round $candidateRuns
    $cmdletRate = $cmdlet.Count / $cmdlet.BestSeconds
    $withJsonRate = $cmdlet.Count / $cmdlet.WithJsonSeconds

    $summary = [pscustomobject]@{
        Date              = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm') + ' UTC'
        Machine           = "$([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), .NET $([Environment]::Version), PowerShell $($PSVersionTable.PSVersion)"
        Requests          = $engine.requests
        EnginePerSecond   = $engine.engineRate
        ExplainedPerSecond = $engine.explainedRate
        OraclePerSecond   = $engine.oracleRate
        EngineRatio       = [math]::Round($engine.engineRate / $engine.oracleRate, 0)
        CmdletPerSecond   = [math]::Round($cmdletRate, 0)
        CmdletRatio       = [math]::Round($cmdletRate / $engine.oracleRate, 1)
        CmdletWithJsonPerSecond = [math]::Round($withJsonRate, 0)
        CrossProductPerSecond = [math]::Round($cmdlet.CrossCount / $cmdlet.CrossSeconds, 0)
        CrossProductQuietPerSecond = [math]::Round($cmdlet.CrossCount / $cmdlet.QuietSeconds, 0)
        EngineAgrees      = "$($engine.agree) of $($engine.requests)"
        CmdletAgrees      = "$($cmdlet.Agree) of $($cmdlet.Count)"
        BytesPerDecision  = $engine.bytesPerDecision
        CompileMs         = $engine.compileMs
    }
    if ($BaselineModuleManifest) {
        $baseline = Join-Round $baselineRuns
        $summary | Add-Member -NotePropertyMembers ([ordered]@{
            Rounds                     = $candidateRuns.Count
            BaselineCmdletPerSecond    = [math]::Round($baseline.Count / $baseline.BestSeconds, 0)
            BaselineWithJsonPerSecond  = [math]::Round($baseline.Count / $baseline.WithJsonSeconds, 0)
            BaselineCrossProductPerSecond = [math]::Round($baseline.CrossCount / $baseline.CrossSeconds, 0)
            BaselineCrossProductQuietPerSecond = [math]::Round($baseline.CrossCount / $baseline.QuietSeconds, 0)
            CmdletVsBaseline           = [math]::Round($baseline.BestSeconds / $cmdlet.BestSeconds, 3)
        })
    }
    Write-Host ("    cmdlet:     {0:N0} decisions/s through the pipeline in a warm session ({1:N1}x the oracle); {2:N0}/s counting Get-Content | ConvertFrom-Json of lines that each carry the 11.6 KB policy" -f $summary.CmdletPerSecond, $summary.CmdletRatio, $summary.CmdletWithJsonPerSecond)
    Write-Host ("    cross product: {0:N0} decisions (100 principals x 1,000 repositories) in one call: {1:N0}/s as results, {2:N0}/s with -Quiet" -f $cmdlet.CrossCount, $summary.CrossProductPerSecond, $summary.CrossProductQuietPerSecond)
    Write-Host ("    cmdlet agreement: {0} decisions agree with the oracle" -f $summary.CmdletAgrees)
    if ($BaselineModuleManifest) {
        Write-Host ("    baseline:   {0:N0} decisions/s through the pipeline ({1:N0}/s with ConvertFrom-Json; cross product {2:N0}/s, {3:N0}/s with -Quiet); this build runs at {4:N3}x the baseline's pipeline rate, best of {5} alternating rounds each" -f $summary.BaselineCmdletPerSecond, $summary.BaselineWithJsonPerSecond, $summary.BaselineCrossProductPerSecond, $summary.BaselineCrossProductQuietPerSecond, $summary.CmdletVsBaseline, $summary.Rounds)
        if ($baseline.Agree -ne $baseline.Count) { throw 'The baseline build disagrees with the oracle on the workload.' }
    }
    $summary
    if ($cmdlet.Agree -ne $cmdlet.Count) { throw 'Test-PtcPermission disagrees with the oracle on the workload.' }
} finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
