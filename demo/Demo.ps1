<#
.SYNOPSIS
    The PtcTools demo: its main job on embedded defaults, no AWS account and no network needed.

.DESCRIPTION
    Runs the scripts in demo/steps in name order, in one scope, so each step can use what the
    earlier ones made ($Work, $PolicyFile, ...). A step that fails stops the demo with a non-zero exit.
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModuleManifest)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module $ModuleManifest -Force

function Show-Step([string] $Title) {
    Write-Host ''
    Write-Host "### $Title" -ForegroundColor Yellow
}

# The demo talks to the loopback emulator only; never to the instance metadata address.
$env:AWS_EC2_METADATA_DISABLED = 'true'
$DemoRoot = $PSScriptRoot
$Work = Join-Path ([System.IO.Path]::GetTempPath()) "ptctools-demo-$PID"
$null = New-Item -ItemType Directory -Path $Work -Force
try {
    foreach ($step in Get-ChildItem (Join-Path $PSScriptRoot 'steps') -Filter '*.ps1' | Sort-Object Name) {
        . $step.FullName
    }
    Write-Host ''
    Write-Host 'Demo finished.' -ForegroundColor Green
} finally {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction Ignore
}
