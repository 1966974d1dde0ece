<#
.SYNOPSIS
    The PtcTools demo: its main job on embedded defaults, no AWS account and no network needed.
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

$work = Join-Path ([System.IO.Path]::GetTempPath()) "ptctools-demo-$PID"
$null = New-Item -ItemType Directory -Path $work -Force
$policyFile = Join-Path $work 'registry-policy.json'
Copy-Item -LiteralPath (Join-Path $PSScriptRoot 'sample-registry-policy.json') -Destination $policyFile

try {
    Show-Step "Read the registry policy in $policyFile"
    $original = Get-Content -LiteralPath $policyFile -Raw
    $policy = $original | ConvertFrom-PtcRegistryPolicy
    $policy | Format-Table | Out-Host
    $policy.Statement | Format-Table | Out-Host

    Show-Step 'The compact JSON that ECR stores (PolicyText)'
    Write-Host $policy.PolicyText

    Show-Step 'Write it back unchanged and check nothing was lost'
    $again = $policy.PolicyText | ConvertFrom-PtcRegistryPolicy
    if ($again.PolicyText -ne ($original | ConvertFrom-Json | ConvertTo-Json -Depth 20 -Compress)) { throw 'The round trip changed the policy.' }
    Write-Host "Round trip kept all $($policy.Length) characters."
} finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
