<#
.SYNOPSIS
    Runs the Pester suite in this (fresh) pwsh against the built module and writes a summary.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $SummaryPath,
    # A subset of test files to run (default: every *.Tests.ps1 here).
    [string[]] $Path = @($PSScriptRoot)
)
$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterManifest -Force

# The one common setup: the built module is imported here, once, for every test file (binary modules cannot be
# unloaded, hence a fresh pwsh). Test files do not import it themselves (Conventions.Tests.ps1 holds that); child
# processes and runspaces a test starts import $env:PTCTOOLS_MODULE.
$env:PTCTOOLS_MODULE = (Resolve-Path -LiteralPath $ModuleManifest).Path
$env:PTCTOOLS_REPO = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
# Only loopback is ever a target: a cmdlet that finds no Region or credentials must not fall back
# to the link-local instance metadata address. Tests of that path point it at a loopback fake.
$env:AWS_EC2_METADATA_DISABLED = 'true'
# A write to ECR looks once more after this many milliseconds that its statements stayed (1,000 by default). The
# suite makes hundreds of writes; the tests of that second look set their own value.
if (-not $env:PTCTOOLS_WRITE_SETTLE_MS) { $env:PTCTOOLS_WRITE_SETTLE_MS = '100' }

Import-Module -Name $env:PTCTOOLS_MODULE -Global -ErrorAction Stop

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path (Split-Path $SummaryPath) 'pester.xml'
$result = Invoke-Pester -Configuration $config

$summary = [ordered]@{
    Passed           = $result.PassedCount
    Failed           = $result.FailedCount
    Skipped          = $result.SkippedCount
    NotRun           = $result.NotRunCount
    FailedContainers = $result.FailedContainersCount + $result.FailedBlocksCount
    Total            = $result.TotalCount
}
$summary | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath -Encoding utf8
if ($result.FailedCount -gt 0 -or $summary.FailedContainers -gt 0) { exit 1 }
exit 0
