<#
.SYNOPSIS
    Measures Import-Module time in fresh pwsh processes, beside a bare pwsh start, in one run.
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
$script = "`$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModuleManifest'; `$sw.Stop(); `$sw.Elapsed.TotalMilliseconds"

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
    $null = & dotnet pwsh -NoProfile -NonInteractive -Command 'exit'
    $sw.Stop()
    $bareMs.Add($sw.Elapsed.TotalMilliseconds)
}

$result = [pscustomobject]@{
    Runs                    = $Runs
    ImportModuleMedianMs    = [math]::Round((Get-Median $importMs), 1)
    ProcessWithImportMs     = [math]::Round((Get-Median $withModuleMs), 1)
    ProcessBareMs           = [math]::Round((Get-Median $bareMs), 1)
}
$result | Add-Member -NotePropertyName ImportCostMs -NotePropertyValue ([math]::Round($result.ProcessWithImportMs - $result.ProcessBareMs, 1))

$result
