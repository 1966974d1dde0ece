<#
.SYNOPSIS
    Measures the no-new-access analysis on the standard 40-statement policy against itself plus one statement.

.DESCRIPTION
    The standard registry policy of the shared bench folder (../shared/bench/policy.json, 40 statements,
    11.6 KB) is compared by Test-PtcNoNewAccess with the same policy plus one added statement (a
    cross-account pull grant), 20 times in a warm pwsh session; the median and the worst run are printed
    with the number of request classes decided and the result. The same is done for the policy against
    itself (Pass) and for Get-PtcExternalAccess on it. The goal is at most 100 ms for each of median and
    worst (issue 13).
    Before any measured run, each scenario's first call of the session is timed (what a one-shot CI gate
    pays, JIT compilation included) and every scenario is run -WarmUp times in turn, so that the measured
    runs of one scenario do not pay for compiling another's code: with a single warm-up, the first scenario
    measured ran partly in unoptimised tier-0 code and its worst run was four times its median.
    The shared folder is found next to the repository (CI: <repo>/../shared) or in $env:PTC_SHARED.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [string] $Configuration = 'Release',
    [int] $Runs = 20,
    [int] $WarmUp = 10
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Find-Shared {
    if ($env:PTC_SHARED) { return $env:PTC_SHARED }
    for ($dir = Split-Path $root -Parent; $dir; $dir = Split-Path $dir -Parent) {
        if (Test-Path -LiteralPath (Join-Path $dir 'shared/bench/policy.json')) { return (Join-Path $dir 'shared') }
    }
    return $null
}

$shared = Find-Shared
if (-not $shared) {
    Write-Warning 'Measure-Access skipped: the shared bench folder (../shared/bench/policy.json) is not available.'
    return
}

# In a session of its own: a binary module cannot be unloaded, and the timings must not share a JIT with a build.
$inner = Join-Path ([System.IO.Path]::GetTempPath()) "ptc-bench-access-$PID.ps1"
Set-Content -LiteralPath $inner -Value @'
param($ModuleManifest, $PolicyFile, $Runs, $WarmUp)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$policy = Get-Content -LiteralPath $PolicyFile -Raw | ConvertFrom-PtcRegistryPolicy
$added = '{"Sid":"S41Added","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::200013333333:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/team-a/*"}'
# Over ECR's 10,240 characters already, so Add-PtcRegistryStatement would refuse it: the statement is appended as text.
$plusOne = $policy.PolicyText.Substring(0, $policy.PolicyText.Length - 2) + ',' + $added + ']}' 
$scenarios = [ordered]@{
    'no-new-access, policy vs policy + 1 statement' = { Test-PtcNoNewAccess -ExistingPolicy $policy -Policy $plusOne -RegistryId 111122223333 -Region us-east-1 }
    'no-new-access, policy vs itself'              = { Test-PtcNoNewAccess -ExistingPolicy $policy -Policy $policy -RegistryId 111122223333 -Region us-east-1 }
    'external access of the policy'               = { Get-PtcExternalAccess -Policy $policy -RegistryId 111122223333 -Region us-east-1 }
}
# The first call of the session (what a one-shot CI gate pays, JIT included), then a warm-up of every scenario in
# turn until the tiered JIT has settled, so that no scenario's 20 runs measure another's compilation.
$first = @{}
foreach ($name in $scenarios.Keys) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $null = & $scenarios[$name]
    $first[$name] = [math]::Round($watch.Elapsed.TotalMilliseconds, 1)
}
foreach ($round in 1..$WarmUp) {
    foreach ($name in $scenarios.Keys) { $null = & $scenarios[$name] }
}
function Measure-Runs([scriptblock] $Run) {
    $times = foreach ($i in 1..$Runs) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $result = & $Run
        $watch.Stop()
        $watch.Elapsed.TotalMilliseconds
    }
    $sorted = @($times | Sort-Object)
    $median = if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
    [pscustomobject]@{ Median = [math]::Round($median, 1); Worst = [math]::Round($sorted[-1], 1); Classes = $result.Classes; Result = $result.Result; Witnesses = $result.Witnesses.Count }
}
$rows = [ordered]@{}
foreach ($name in $scenarios.Keys) { $rows[$name] = Measure-Runs $scenarios[$name] }
foreach ($name in $rows.Keys) {
    $r = $rows[$name]
    'RESULT ' + ([pscustomobject]@{ Name = $name; Median = $r.Median; Worst = $r.Worst; First = $first[$name]; Classes = $r.Classes; Result = "$($r.Result)"; Witnesses = $r.Witnesses } | ConvertTo-Json -Compress)
}
'@
try {
    Push-Location $root
    try {
        $lines = & dotnet pwsh -NoProfile -NonInteractive -File $inner -ModuleManifest (Resolve-Path $ModuleManifest).Path -PolicyFile (Join-Path $shared 'bench/policy.json') -Runs $Runs -WarmUp $WarmUp
    } finally { Pop-Location }
    if ($LASTEXITCODE) { throw "The access benchmark failed (exit code $LASTEXITCODE): $lines" }
    $machine = "$([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), .NET $([Environment]::Version)"
    Write-Host "    $machine, load $((Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ' | Select-Object -First 1)"
    foreach ($line in $lines | Where-Object { $_ -like 'RESULT *' }) {
        $r = $line.Substring(7) | ConvertFrom-Json
        $goal = if ($r.Median -le 100 -and $r.Worst -le 100) { 'within' } else { 'OVER' }
        Write-Host ("    {0}: median {1} ms, worst {2} ms of {3} runs ({4} the 100 ms goal); first call of the session {5} ms; {6} request classes, {7}, {8} witnesses" -f $r.Name, $r.Median, $r.Worst, $Runs, $goal, $r.First, $r.Classes, $r.Result, $r.Witnesses)
    }
} finally {
    Remove-Item -LiteralPath $inner -ErrorAction Ignore
}
