<#
.SYNOPSIS
    Packs a laid-out module folder (out/PtcTools) as what users install: a .nupkg for a PowerShell
    repository and the .zip that Azure Automation imports.

.DESCRIPTION
    The .nupkg is made by Publish-PSResource into a local folder repository. The .zip is named after the
    module and holds one folder of that name with the manifest at its root (PtcTools.zip ->
    PtcTools/PtcTools.psd1), the layout Azure Automation's module import expects. Used by build.ps1
    Package and Sign, and by tests/pester/Package.Tests.ps1 on the built module.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$name = Split-Path -Leaf $ModulePath
$manifest = Import-PowerShellDataFile (Join-Path $ModulePath "$name.psd1")
$null = New-Item -ItemType Directory -Path $OutputPath -Force
$OutputPath = (Resolve-Path -LiteralPath $OutputPath).Path

$nupkg = Join-Path $OutputPath "$name.$($manifest.ModuleVersion).nupkg"
Remove-Item -LiteralPath $nupkg -ErrorAction Ignore
$repository = "PtcToolsLocal-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
Register-PSResourceRepository -Name $repository -Uri $OutputPath -Trusted
try {
    Publish-PSResource -Path $ModulePath -Repository $repository -SkipDependenciesCheck
} finally {
    Unregister-PSResourceRepository -Name $repository
}

# Azure Automation: zip name = folder name = module name, manifest at the folder's root.
$zip = Join-Path $OutputPath "$name.zip"
Remove-Item -LiteralPath $zip -ErrorAction Ignore
Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
[System.IO.Compression.ZipFile]::CreateFromDirectory($ModulePath, $zip, [System.IO.Compression.CompressionLevel]::Optimal, $true)

[pscustomobject]@{ NuGetPackage = $nupkg; AutomationZip = $zip }
