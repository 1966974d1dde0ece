<#
.SYNOPSIS
    Measures a rollout across accounts and Regions (targets per second) at ThrottleLimit 1, 8 and 32, with latency
    injected into every emulator call.

.DESCRIPTION
    One emulator serves -Accounts accounts (plus the caller's) in four Regions behind its fake STS; every call it
    serves (AssumeRole, DescribeRegistry, GetRegistryPolicy, PutRegistryPolicy) first waits -LatencyMs. For each
    ThrottleLimit, Set-PtcRegistryPolicy -Statement merges a statement of its own into every target (a real write
    to each, every one checked to be Updated), then Get-PtcRegistryPolicyDrift reads every target back. The rate is
    targets per second of the whole call, AssumeRole of every account included. The work is waiting on the network,
    so the goal (issue 14) is ThrottleLimit 32 at least 20 times faster than ThrottleLimit 1.
    The write's settle wait (PTCTOOLS_WRITE_SETTLE_MS, 1 s by default: a wait, not network) is set to 0 so the
    figures are of the calls; with it each target waits one more second, which the workers overlap alike.
    Everything runs on 127.0.0.1.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [string] $Configuration = 'Release',
    [ValidateRange(1, 200)] [int] $Accounts = 16,
    [ValidateRange(1, 1000)] [int] $LatencyMs = 100,
    [int[]] $ThrottleLimit = @(1, 8, 32)
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$emulatorModule = Join-Path $root 'out/EcrEmulator/EcrEmulator.psm1'
if (-not (Test-Path -LiteralPath $emulatorModule)) {
    Write-Warning "Measure-Rollout skipped: the emulator is not built ($emulatorModule)."
    return
}

# In a session of its own: a binary module cannot be unloaded, and the timings must not share a JIT with a build.
$inner = Join-Path ([System.IO.Path]::GetTempPath()) "ptc-bench-rollout-$PID.ps1"
Set-Content -LiteralPath $inner -Value @'
param($ModuleManifest, $EmulatorModule, $Accounts, $LatencyMs, $ThrottleLimit)
$ErrorActionPreference = 'Stop'
$limits = [int[]]("$ThrottleLimit" -split ',')
Import-Module $ModuleManifest
Import-Module $EmulatorModule
$accountIds = 1..$Accounts | ForEach-Object { '{0:D12}' -f (300000000000 + $_) }
$regions = 'us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'
$targets = $accountIds.Count * $regions.Count
$emulator = Start-EcrEmulator -AccountId (@('111122223333') + $accountIds) -Region $regions -ExitAfterSeconds 1800
$work = Join-Path ([System.IO.Path]::GetTempPath()) "ptc-bench-rollout-$PID"
try {
    $env:AWS_ENDPOINT_URL_ECR = $emulator.Url
    $env:AWS_ENDPOINT_URL_STS = $emulator.Url
    $env:AWS_ACCESS_KEY_ID = $emulator.AccessKey
    $env:AWS_SECRET_ACCESS_KEY = $emulator.SecretKey
    $env:PTCTOOLS_WRITE_SETTLE_MS = '0'
    $backups = Join-Path $work 'backups'
    function New-Grant([string] $Sid) {
        New-PtcPolicyStatement -Sid $Sid -RepositoryPrefix ecr-public -Principal arn:aws:iam::111122223333:role/ci -Region us-east-1 -RegistryId 111122223333
    }
    # Warm-up without latency: JIT, connections, and a policy in every target.
    $null = Set-PtcRegistryPolicy -Statement (New-Grant Warm) -AccountId $accountIds -Region $regions -ThrottleLimit 32 -BackupPath $backups
    $emulator | Set-EcrEmulatorFault -DelayMs $LatencyMs | Out-Null
    foreach ($limit in $limits) {
        $grant = New-Grant "Bench$limit"
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $written = @(Set-PtcRegistryPolicy -Statement $grant -AccountId $accountIds -Region $regions -ThrottleLimit $limit -BackupPath $backups)
        $watch.Stop()
        $updated = @($written | Where-Object Status -eq 'Updated').Count
        if ($updated -ne $targets) { throw "ThrottleLimit ${limit}: $updated of $targets targets were Updated." }
        $setSeconds = $watch.Elapsed.TotalSeconds
        $watch.Restart()
        $drift = @(Get-PtcRegistryPolicyDrift -Statement $grant -AccountId $accountIds -Region $regions -ThrottleLimit $limit)
        $watch.Stop()
        $inSync = @($drift | Where-Object { $_.Status -ne "Failed" -and $_.Missing.Count -eq 0 -and $_.Changed.Count -eq 0 }).Count
        if ($drift.Count -ne $targets -or $inSync -ne $targets) { throw "ThrottleLimit ${limit}: drift found $inSync of $targets targets in sync." }
        'RESULT ' + ([pscustomobject]@{ ThrottleLimit = $limit; Targets = $targets; SetSeconds = $setSeconds; DriftSeconds = $watch.Elapsed.TotalSeconds } | ConvertTo-Json -Compress)
    }
} finally {
    $emulator | Stop-EcrEmulator
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
'@
try {
    Push-Location $root
    try {
        $lines = & dotnet pwsh -NoProfile -NonInteractive -File $inner -ModuleManifest (Resolve-Path $ModuleManifest).Path -EmulatorModule $emulatorModule -Accounts $Accounts -LatencyMs $LatencyMs -ThrottleLimit ($ThrottleLimit -join ',')
    } finally { Pop-Location }
    if ($LASTEXITCODE) { throw "The rollout benchmark failed (exit code $LASTEXITCODE): $lines" }
    $machine = "$([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), .NET $([Environment]::Version)"
    Write-Host "    $machine, load $((Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ' | Select-Object -First 1); $LatencyMs ms injected into every emulator call"
    $rows = @($lines | Where-Object { $_ -like 'RESULT *' } | ForEach-Object { $_.Substring(7) | ConvertFrom-Json })
    $base = $rows | Where-Object ThrottleLimit -eq 1 | Select-Object -First 1
    foreach ($r in $rows) {
        $setRate = $r.Targets / $r.SetSeconds
        $driftRate = $r.Targets / $r.DriftSeconds
        $speedup = if ($base) { ' ({0:N1}x ThrottleLimit 1)' -f ($base.SetSeconds / $r.SetSeconds) } else { '' }
        Write-Host ("    ThrottleLimit {0,2}: Set -Statement {1} targets in {2:N1} s, {3:N1} targets/s{4}; drift {5:N1} targets/s" -f $r.ThrottleLimit, $r.Targets, $r.SetSeconds, $setRate, $speedup, $driftRate)
    }
    $top = $rows | Where-Object ThrottleLimit -eq 32 | Select-Object -First 1
    if ($base -and $top) {
        $ratio = $base.SetSeconds / $top.SetSeconds
        Write-Host ("    ThrottleLimit 32 / ThrottleLimit 1: {0:N1}x ({1} the goal of 20x)" -f $ratio, $(if ($ratio -ge 20) { 'meets' } else { 'BELOW' }))
    }
} finally {
    Remove-Item -LiteralPath $inner -ErrorAction Ignore
}
