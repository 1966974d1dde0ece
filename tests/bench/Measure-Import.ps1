<#
.SYNOPSIS
    Measures Import-Module time in fresh pwsh processes, beside a bare pwsh start, in one run.

.DESCRIPTION
    Three whole-process timings, interleaved so drift in machine load hits them alike: pwsh that imports the
    module and exits, pwsh that imports it and makes a first call (Get-PtcRegistryPolicy of a policy file,
    through the target runner the AWS cmdlets share), and a bare pwsh start. The goal (issue 14) is the import
    plus first call at most 1.6 times the bare start.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [string] $Configuration = 'Release',
    [int] $Runs = 10
)
$ErrorActionPreference = 'Stop'

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

$importMs = [System.Collections.Generic.List[double]]::new()
$withModuleMs = [System.Collections.Generic.List[double]]::new()
$bareMs = [System.Collections.Generic.List[double]]::new()
$firstCallMs = [System.Collections.Generic.List[double]]::new()
$script = "`$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModuleManifest'; `$sw.Stop(); `$sw.Elapsed.TotalMilliseconds"
$policyFile = Join-Path ([System.IO.Path]::GetTempPath()) "ptc-bench-import-$PID.json"
Set-Content -LiteralPath $policyFile -Value '{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:BatchImportUpstreamImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"}]}'
$firstCall = "Import-Module '$ModuleManifest'; `$null = Get-PtcRegistryPolicy -Path '$policyFile'; exit"

# Warm the disk cache once so the first run is not an outlier of I/O.
$null = & dotnet pwsh -NoProfile -NonInteractive -Command $script

for ($i = 0; $i -lt $Runs; $i++) {
    # Interleave the two whole-process measurements so drift in machine load hits both alike.
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $inside = & dotnet pwsh -NoProfile -NonInteractive -Command $script
    $sw.Stop()
    $importMs.Add([double]($inside | Select-Object -Last 1))
    $withModuleMs.Add($sw.Elapsed.TotalMilliseconds)

    $sw = [Diagnostics.Stopwatch]::StartNew()
    $null = & dotnet pwsh -NoProfile -NonInteractive -Command $firstCall
    $sw.Stop()
    if ($LASTEXITCODE) { throw "The first call failed (exit code $LASTEXITCODE)." }
    $firstCallMs.Add($sw.Elapsed.TotalMilliseconds)

    $sw = [Diagnostics.Stopwatch]::StartNew()
    $null = & dotnet pwsh -NoProfile -NonInteractive -Command 'exit'
    $sw.Stop()
    $bareMs.Add($sw.Elapsed.TotalMilliseconds)
}
Remove-Item -LiteralPath $policyFile -ErrorAction Ignore

$result = [pscustomobject]@{
    Runs                    = $Runs
    ImportModuleMedianMs    = [math]::Round((Get-Median $importMs), 1)
    ProcessWithImportMs     = [math]::Round((Get-Median $withModuleMs), 1)
    ProcessBareMs           = [math]::Round((Get-Median $bareMs), 1)
    ProcessFirstCallMs      = [math]::Round((Get-Median $firstCallMs), 1)
}
$result | Add-Member -NotePropertyName ImportCostMs -NotePropertyValue ([math]::Round($result.ProcessWithImportMs - $result.ProcessBareMs, 1))
$result | Add-Member -NotePropertyName FirstCallRatio -NotePropertyValue ([math]::Round($result.ProcessFirstCallMs / $result.ProcessBareMs, 2))

$result
