#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages PtcTools.

.DESCRIPTION
    The one entry point of the project. Run it through the pinned PowerShell tool:

        dotnet tool restore && dotnet pwsh ./build.ps1 Demo
        dotnet tool restore && dotnet pwsh ./build.ps1 Test

    Build    lays out the importable module at out/PtcTools (manifest, DLLs, format file, help).
    Test     Build, then every xUnit project on .NET 10, then the net472 leg (the projects that also
             target net472, run by Mono off Windows; required in CI), then Pester in a fresh pwsh
             against out/PtcTools. Skipped tests are counted and printed.
    Demo     Build, then the module's main job on embedded defaults (no AWS account, no network).
    Bench    Build, then the benchmarks; prints rates and ratios measured in the same run.
    Package  Build, then out/packages/PtcTools.<version>.nupkg (Publish-PSResource) and
             out/packages/PtcTools.zip, the layout Azure Automation imports (PtcTools/PtcTools.psd1).
    Sign     (Windows) Build, Authenticode-sign the .psd1, .ps1, .ps1xml and PtcTools DLLs with the
             certificate -CertificateThumbprint names (optionally timestamped by -TimestampServer),
             then Package the signed files.

.EXAMPLE
    dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Sign')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Sign: the thumbprint of the code-signing certificate (Cert:\CurrentUser\My or Cert:\LocalMachine\My).
    [string] $CertificateThumbprint,

    # Sign: the RFC 3161 timestamp server, so signatures outlive the certificate (empty: no timestamp).
    [string] $TimestampServer = ''
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$OutRoot = Join-Path $Root 'out'
$ModuleOut = Join-Path $OutRoot 'PtcTools'
$Manifest = Import-PowerShellDataFile (Join-Path $Root 'PtcTools.psd1')
$Version = $Manifest.ModuleVersion

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Invoke-Native {
    # Runs a native command and stops the build when it fails.
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = dotnet nuget locals global-packages --list | Select-Object -First 1
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Merge-FormatFile {
    # Each output type family keeps its views in its own file; the module ships them as one.
    param([string] $Destination)
    $merged = [xml]'<?xml version="1.0" encoding="utf-8"?><Configuration><ViewDefinitions/></Configuration>'
    $target = $merged.Configuration.SelectSingleNode('ViewDefinitions')
    $views = foreach ($file in Get-ChildItem (Join-Path $Root 'src/PtcTools/Formats') -Filter '*.Format.ps1xml' | Sort-Object Name) {
        $xml = [xml](Get-Content -LiteralPath $file.FullName -Raw)
        $xml.Configuration.ViewDefinitions.View
    }
    # PowerShell shows a type with its first view, so each type's default comes first: the view named after
    # the type (PtcPermissionResult for PtcTools.PtcPermissionResult), then tables, then the others.
    $rank = {
        param($view)
        $type = ([string] $view.ViewSelectedBy.TypeName).Split('.')[-1]
        if ($view.Name -eq $type) { 0 } elseif ($view.SelectSingleNode('TableControl')) { 1 } else { 2 }
    }
    foreach ($view in @($views | Sort-Object -Stable { & $rank $_ })) {
        [void] $target.AppendChild($merged.ImportNode($view, $true))
    }
    # With a byte order mark: Windows PowerShell 5.1 reads a signed file without one as ANSI, so its signature breaks.
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($true) }
    $writer = [System.Xml.XmlWriter]::Create($Destination, $settings)
    try { $merged.Save($writer) } finally { $writer.Dispose() }
}

function Copy-ModuleManifest {
    # The shipped manifest gets a PSCommand_<name> tag per exported cmdlet, which Find-PSResource -CommandName
    # searches; stamped here so CmdletsToExport stays the one list.
    param([string] $Destination)
    $text = Get-Content -LiteralPath (Join-Path $Root 'PtcTools.psd1') -Raw
    $pattern = "(?m)^(\s*Tags\s*=\s*@\()([^)]*)\)"
    if ($text -notmatch $pattern) { throw 'PtcTools.psd1 has no Tags = @(...) line to add the command tags to.' }
    $commands = ($Manifest.CmdletsToExport | ForEach-Object { "'PSCommand_$_'" }) -join ', '
    $text = [regex]::Replace($text, $pattern, { param($m) $m.Groups[1].Value + $m.Groups[2].Value.TrimEnd() + ", $commands)" }, 'None')
    [System.IO.File]::WriteAllText($Destination, $text, [System.Text.UTF8Encoding]::new($false))
}

function Invoke-Build {
    Write-Step "Building PtcTools $Version ($Configuration)"
    $publish = Join-Path $OutRoot 'publish'
    Remove-Item -LiteralPath $publish -Recurse -Force -ErrorAction Ignore
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/PtcTools/PtcTools.csproj'), '-c', $Configuration, '-o', $publish,
        "-p:Version=$Version", '--nologo', '-v', 'quiet', '-clp:ErrorsOnly')

    Remove-Item -LiteralPath $ModuleOut -Recurse -Force -ErrorAction Ignore
    $null = New-Item -ItemType Directory -Path $ModuleOut
    # No .pdb: they carry the builder's paths and nothing a user needs (they stay in out/publish).
    Get-ChildItem -LiteralPath $publish -File | Where-Object { $_.Extension -eq '.dll' } |
        Copy-Item -Destination $ModuleOut
    Copy-ModuleManifest -Destination (Join-Path $ModuleOut 'PtcTools.psd1')
    Copy-Item -LiteralPath (Join-Path $Root 'README.md'), (Join-Path $Root 'LICENSE') -Destination $ModuleOut
    Copy-Item -LiteralPath (Join-Path $Root 'src/PtcTools/Scripts/PtcTools.Prerequisites.ps1') -Destination $ModuleOut
    Merge-FormatFile -Destination (Join-Path $ModuleOut 'PtcTools.Format.ps1xml')
    Copy-Item -Path (Join-Path $Root 'docs/rules') -Destination (Join-Path $ModuleOut 'rules') -Recurse  # lint rule pages, HelpUri of findings

    $helpOut = Join-Path $ModuleOut 'en-US'
    $null = New-Item -ItemType Directory -Path $helpOut -Force
    & (Join-Path $Root 'build/Build-Help.ps1') -DocsPath (Join-Path $Root 'docs') -OutputPath $helpOut -AssemblyPath (Join-Path $ModuleOut 'PtcTools.dll')
    Write-Host "    module laid out at $ModuleOut"
}

function Invoke-EmulatorBuild {
    # The loopback ECR emulator (tests/EcrEmulator) that the tests and the demo talk to; not part of the module.
    Write-Step 'Building the ECR emulator'
    $emulatorOut = Join-Path $OutRoot 'EcrEmulator'
    Remove-Item -LiteralPath $emulatorOut -Recurse -Force -ErrorAction Ignore
    Invoke-Native dotnet @('publish', (Join-Path $Root 'tests/EcrEmulator/EcrEmulator.csproj'), '-c', $Configuration, '-o', $emulatorOut,
        '--nologo', '-v', 'quiet', '-clp:ErrorsOnly')
    Write-Host "    emulator laid out at $emulatorOut (with EcrEmulator.psm1)"
}

function Read-TrxCounts([string[]] $Paths) {
    # Counted from each result's outcome: xUnit's skips are results with outcome NotExecuted, while the
    # summary's notExecuted counter stays 0 for them.
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($path in $Paths) {
        $trx = [xml](Get-Content -LiteralPath $path -Raw)
        $results = @($trx.TestRun.Results.ChildNodes | Where-Object LocalName -eq 'UnitTestResult')
        foreach ($result in $results) {
            switch ($result.outcome) {
                'Passed' { $counts.Passed++ }
                'NotExecuted' { $counts.Skipped++ }
                default { $counts.Failed++ }  # Failed, Error, Timeout, Aborted, Inconclusive
            }
        }
        $total = [int]$trx.TestRun.ResultSummary.Counters.total
        if ($results.Count -ne $total) {
            # A test host that crashed leaves fewer results than tests: count the difference as failed.
            $counts.Failed += [Math]::Max(0, $total - $results.Count)
        }
    }
    $counts
}

function Get-NetFrameworkTestProject {
    # The xUnit projects that also target net472 (the .NET Framework leg, run under Mono off Windows).
    Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj' | Sort-Object Name |
        Where-Object { (Get-Content -LiteralPath $_.FullName -Raw) -match '<TargetFrameworks>[^<]*\bnet472\b' }
}

function Get-MonoRuntime {
    # On Windows the .NET Framework runs the leg itself; elsewhere vstest starts its net472 test host with mono.
    if ($IsWindows) { return '.NET Framework' }
    $mono = Get-Command mono -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $mono) { return $null }
    $first = (& $mono.Source --version 2>$null | Select-Object -First 1)
    if ($first -match 'version (\S+)') { "Mono $($Matches[1])" } else { 'Mono' }
}

function Invoke-XunitProject {
    # One project at one target framework; returns the TRX path, or $null when it did not build or run.
    param([System.IO.FileInfo] $Project, [string] $Framework, [string] $Results)
    $trx = "$($Project.BaseName).$Framework.trx"
    & dotnet test $Project.FullName -c $Configuration -f $Framework --nologo -v quiet `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' --results-directory $Results | Out-Host
    $ok = $LASTEXITCODE -eq 0
    $file = Join-Path $Results $trx
    if (-not (Test-Path -LiteralPath $file)) {
        Write-Warning "No results from $($Project.BaseName) ($Framework): it did not build or run."
        return [pscustomobject]@{ Ok = $false; Trx = $null }
    }
    [pscustomobject]@{ Ok = $ok; Trx = $file }
}

function Invoke-Test {
    Invoke-Build
    Invoke-EmulatorBuild
    $results = Join-Path $OutRoot 'TestResults'
    Remove-Item -LiteralPath $results -Recurse -Force -ErrorAction Ignore
    $null = New-Item -ItemType Directory -Path $results

    $xunitOk = $true
    $trxFiles = [System.Collections.Generic.List[string]]::new()
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj' | Sort-Object Name) {
        Write-Step "xUnit: $($project.BaseName)"
        $run = Invoke-XunitProject -Project $project -Framework 'net10.0' -Results $results
        if (-not $run.Ok) { $xunitOk = $false }
        if ($run.Trx) { $trxFiles.Add($run.Trx) }
    }
    $xunit = Read-TrxCounts $trxFiles

    # The .NET Framework leg: the Policy and Aws projects again, built for net472 and run by Mono here.
    $netfxProjects = @(Get-NetFrameworkTestProject)
    $netfxRuntime = Get-MonoRuntime
    $netfxOk = $true
    $netfxTrx = [System.Collections.Generic.List[string]]::new()
    $netfxNote = $null
    if (-not $netfxRuntime) {
        $netfxNote = 'mono is not installed (Debian: apt-get install --no-install-recommends mono-runtime mono-devel ca-certificates-mono)'
        Write-Warning "The net472 leg cannot run: $netfxNote."
    } else {
        foreach ($project in $netfxProjects) {
            Write-Step "xUnit net472 ($netfxRuntime): $($project.BaseName)"
            $run = Invoke-XunitProject -Project $project -Framework 'net472' -Results $results
            if (-not $run.Ok) { $netfxOk = $false }
            if ($run.Trx) { $netfxTrx.Add($run.Trx) }
        }
    }
    $netfx = Read-TrxCounts $netfxTrx

    Write-Step 'Pester (a fresh pwsh against out/PtcTools)'
    $pesterManifest = Join-Path (Get-NuGetPackageRoot) 'pester/6.2.0/tools/Pester.psd1'
    if (-not (Test-Path -LiteralPath $pesterManifest)) {
        Invoke-Native dotnet @('restore', (Join-Path $Root 'build/Tools.csproj'), '--nologo', '-v', 'quiet')
    }
    $pesterJson = Join-Path $results 'pester-summary.json'
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1') `
        -PesterManifest $pesterManifest -ModuleManifest (Join-Path $ModuleOut 'PtcTools.psd1') -SummaryPath $pesterJson
    $pesterExit = $LASTEXITCODE
    $pester = if (Test-Path -LiteralPath $pesterJson) { Get-Content -LiteralPath $pesterJson -Raw | ConvertFrom-Json } else { $null }

    Write-Host ''
    Write-Host "xUnit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"
    if ($netfxRuntime) {
        Write-Host "xUnit net472 ($netfxRuntime): $($netfx.Passed) passed, $($netfx.Failed) failed, $($netfx.Skipped) skipped"
    } else {
        Write-Host "xUnit net472: not run, $netfxNote"
    }
    if ($pester) {
        Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    } else {
        Write-Host 'Pester: 0 passed, 1 failed, 0 skipped'
    }
    $passed = $xunit.Passed + $netfx.Passed + $(if ($pester) { $pester.Passed } else { 0 })
    $failed = $xunit.Failed + $netfx.Failed + $(if ($pester) { $pester.Failed + $pester.FailedContainers } else { 1 })
    $skipped = $xunit.Skipped + $netfx.Skipped + $(if ($pester) { $pester.Skipped } else { 0 })
    Write-Host "Total: $passed passed, $failed failed, $skipped skipped"

    $problems = @()
    if (-not $xunitOk -or $xunit.Failed -gt 0) { $problems += 'xUnit reported failures or a project did not run' }
    if ($xunit.Passed -eq 0) { $problems += 'no xUnit test ran' }
    if ($netfxRuntime) {
        if (-not $netfxOk -or $netfx.Failed -gt 0) { $problems += 'the net472 leg reported failures or a project did not run' }
        if ($netfxTrx.Count -ne $netfxProjects.Count -or $netfx.Passed -eq 0) { $problems += 'the net472 leg ran no test' }
    } elseif ($env:CI -eq 'true') {
        $problems += "the net472 leg did not run in CI: $netfxNote"
    }
    if (-not $pester) { $problems += 'Pester did not report' }
    elseif ($pester.Failed -gt 0 -or $pester.FailedContainers -gt 0) { $problems += "Pester reported $($pester.Failed) failed tests and $($pester.FailedContainers) files that failed discovery or setup" }
    elseif ($pester.Passed -eq 0) { $problems += 'no Pester test ran' }
    if ($pesterExit -ne 0 -and $pester -and $problems.Count -eq 0) { $problems += "the Pester host exited with $pesterExit" }
    if ($problems) {
        Write-Host "Test failed: $($problems -join '; ')." -ForegroundColor Red
        exit 1
    }
}

function Invoke-Demo {
    Invoke-Build
    Invoke-EmulatorBuild
    Write-Step 'Demo'
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'demo/Demo.ps1') -ModuleManifest (Join-Path $ModuleOut 'PtcTools.psd1')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    Invoke-Build
    foreach ($script in Get-ChildItem (Join-Path $Root 'tests/bench') -Filter 'Measure-*.ps1' | Sort-Object Name) {
        Write-Step "Bench: $($script.BaseName)"
        & $script.FullName -ModuleManifest (Join-Path $ModuleOut 'PtcTools.psd1') -Configuration $Configuration
    }
}

function Invoke-Package {
    param([switch] $NoBuild)
    if (-not $NoBuild) { Invoke-Build }
    Write-Step "Packaging PtcTools $Version into $(Join-Path $OutRoot 'packages')"
    $made = & (Join-Path $Root 'build/New-ModulePackage.ps1') -ModulePath $ModuleOut -OutputPath (Join-Path $OutRoot 'packages')
    Write-Host "    $($made.NuGetPackage)"
    Write-Host "    $($made.AutomationZip) (for Azure Automation: Modules > Add a module)"
}

function Invoke-Sign {
    # Authenticode-signs every file PowerShell checks under AllSigned (.psd1, .ps1, .ps1xml) and the
    # module's own DLLs, then packages the signed folder. Windows only: Set-AuthenticodeSignature and the
    # certificate store exist there.
    if (-not $CertificateThumbprint) { throw 'Sign needs -CertificateThumbprint: the thumbprint of a code-signing certificate in Cert:\CurrentUser\My or Cert:\LocalMachine\My.' }
    if (-not $IsWindows) { throw 'Sign runs on Windows only: Set-AuthenticodeSignature and the certificate store are Windows features. Build and package here, sign there.' }
    Invoke-Build
    $certificate = Get-ChildItem -Path Cert:\CurrentUser\My, Cert:\LocalMachine\My -CodeSigningCert |
        Where-Object Thumbprint -eq $CertificateThumbprint | Select-Object -First 1
    if (-not $certificate) { throw "No code-signing certificate with thumbprint $CertificateThumbprint in Cert:\CurrentUser\My or Cert:\LocalMachine\My." }
    Write-Step "Signing the module files with $($certificate.Subject)"
    $files = Get-ChildItem -LiteralPath $ModuleOut -Recurse -File -Include '*.psd1', '*.ps1', '*.ps1xml', 'PtcTools*.dll'
    foreach ($file in $files) {
        $timestamp = if ($TimestampServer) { @{ TimestampServer = $TimestampServer } } else { @{} }
        $signature = Set-AuthenticodeSignature -LiteralPath $file.FullName -Certificate $certificate -HashAlgorithm SHA256 @timestamp
        if ($signature.Status -ne 'Valid') { throw "Signing $($file.Name) failed: $($signature.StatusMessage)" }
        Write-Host "    signed $($file.Name)"
    }
    Invoke-Package -NoBuild
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Package' { Invoke-Package }
        'Sign' { Invoke-Sign }
    }
} finally {
    Pop-Location
}
