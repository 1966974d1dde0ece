<#
.SYNOPSIS
    Rewrites the SYNTAX section of each help source in docs/en-US from the built module's cmdlets.
.DESCRIPTION
    The SYNTAX of a help source is what Get-Help prints first; it must be the cmdlet's real parameter sets.
    Help.Tests checks each source against Get-PtcSyntaxMarkdown; this script writes that text. Run it after
    changing a cmdlet's parameters: dotnet pwsh ./build.ps1 Build; dotnet pwsh -File build/Update-HelpSyntax.ps1
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../out/PtcTools/PtcTools.psd1'),
    [string[]] $Name = '*'
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'HelpMarkdown.ps1')
Import-Module $ModuleManifest -Force
foreach ($command in Get-Command -Module PtcTools -CommandType Cmdlet -Name $Name) {
    $path = Join-Path $PSScriptRoot "../docs/en-US/$($command.Name).md"
    $text = (Get-Content -LiteralPath $path -Raw) -replace "`r`n", "`n"
    $syntax = Get-PtcSyntaxMarkdown -Command $command
    $updated = [regex]::Replace($text, '(?s)(?<=\n## SYNTAX\n\n).*?\n+(?=## DESCRIPTION\n)', { param($m) $syntax + "`n`n" })
    if ($updated -cne $text -and $PSCmdlet.ShouldProcess($path, 'Rewrite the SYNTAX section')) {
        [System.IO.File]::WriteAllText((Resolve-Path -LiteralPath $path).ProviderPath, $updated, [System.Text.UTF8Encoding]::new($false))
        Write-Host "updated $($command.Name)"
    }
}
