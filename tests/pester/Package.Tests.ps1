# Issue 15 item 8 and issue 17 item 7: what a user installs (the .nupkg and the Azure Automation .zip) from the built module.
BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')  # Invoke-ChildPwsh
    $ModuleFolder = Split-Path $env:PTCTOOLS_MODULE
    $Cmdlets = (Import-PowerShellDataFile $env:PTCTOOLS_MODULE).CmdletsToExport
    $Work = Join-Path ([System.IO.Path]::GetTempPath()) ('ptctools-package-' + [guid]::NewGuid().ToString('N'))
    # Packed from a copy, so packing can never disturb the module the other test files import.
    $null = New-Item -ItemType Directory -Path $Work
    Copy-Item -LiteralPath $ModuleFolder -Destination (Join-Path $Work 'PtcTools') -Recurse
    $Made = & (Join-Path $env:PTCTOOLS_REPO 'build/New-ModulePackage.ps1') -ModulePath (Join-Path $Work 'PtcTools') -OutputPath (Join-Path $Work 'packages')
    Add-Type -AssemblyName System.IO.Compression.FileSystem
}

AfterAll {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'The Azure Automation zip' {
    It 'is named after the module and holds one folder of that name with the manifest at its root' {
        Split-Path -Leaf $Made.AutomationZip | Should -Be 'PtcTools.zip'
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Made.AutomationZip)
        try { $names = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        $names | Should -Contain 'PtcTools/PtcTools.psd1'
        $names | Should -Contain 'PtcTools/PtcTools.dll'
        @($names | Where-Object { $_ -notlike 'PtcTools/*' }) | Should -BeNullOrEmpty
    }

    It 'imports from where it is unpacked and runs a cmdlet' {
        $unpacked = Join-Path $Work 'unpacked'
        [System.IO.Compression.ZipFile]::ExtractToDirectory($Made.AutomationZip, $unpacked)
        $manifest = Join-Path $unpacked 'PtcTools/PtcTools.psd1'
        # A fresh pwsh: this one already holds the module's assemblies from another folder.
        $command = "Import-Module '$manifest' -ErrorAction Stop; (Get-Module PtcTools).ModuleBase; (New-PtcPolicyStatement -RepositoryPrefix ecr-public -Principal arn:aws:iam::111122223333:role/ci -Region us-east-1 -RegistryId 111122223333).Sid"
        $output = @((Invoke-ChildPwsh -Script $command).Trim() -split '\r?\n')
        $output[0] | Should -Be (Split-Path $manifest)
        $output[1] | Should -Match '^PullThroughCacheEcrPublic[0-9A-F]{8}$'
    }
}

Describe 'The NuGet package' {
    BeforeAll {
        $nupkg = [System.IO.Compression.ZipFile]::OpenRead($Made.NuGetPackage)
        try {
            $Entries = @($nupkg.Entries.FullName)
            $reader = [System.IO.StreamReader]::new(($nupkg.Entries | Where-Object FullName -eq 'PtcTools.nuspec').Open())
            try { $Nuspec = [xml]$reader.ReadToEnd() } finally { $reader.Dispose() }
        } finally { $nupkg.Dispose() }
        $Tags = $Nuspec.package.metadata.tags -split ' '
    }

    It 'ships no .pdb (they carry the builder''s paths), and ships README.md and LICENSE' {
        @($Entries | Where-Object { $_ -like '*.pdb' }) | Should -BeNullOrEmpty
        $Entries | Should -Contain 'README.md'
        $Entries | Should -Contain 'LICENSE'
    }

    It 'is tagged for both editions and with every exported command' {
        $Tags | Should -Contain 'PSEdition_Desktop'
        $Tags | Should -Contain 'PSEdition_Core'
        foreach ($cmdlet in $Cmdlets) { $Tags | Should -Contain "PSCommand_$cmdlet" }
        @($Tags -like 'PSCommand_*').Count | Should -Be $Cmdlets.Count
    }

    It 'names no project home, since there is none yet' {
        $Nuspec.package.metadata.projectUrl | Should -BeNullOrEmpty
    }

    It 'is found by Find-PSResource -CommandName in a repository' {
        $repository = "PtcToolsPackageTest-$PID"
        Register-PSResourceRepository -Name $repository -Uri (Split-Path $Made.NuGetPackage) -Trusted
        try {
            $found = Find-PSResource -CommandName New-PtcPolicyStatement -Repository $repository
            @($found).Count | Should -BeGreaterThan 0
            @($found)[0].ParentResource.Name | Should -Be 'PtcTools'
        } finally {
            Unregister-PSResourceRepository -Name $repository
        }
    }
}

Describe 'Files PowerShell checks under AllSigned' {
    It '<name> is signable as shipped: not empty, and ASCII or UTF-8 with a byte order mark' -TestCases @(
        Get-ChildItem -LiteralPath (Split-Path $env:PTCTOOLS_MODULE) -Recurse -File -Include '*.psd1', '*.ps1', '*.ps1xml' |
            ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } }
    ) {
        # Windows PowerShell 5.1 reads a file without a byte order mark as ANSI: a signed UTF-8 file with
        # non-ASCII text would then fail its hash check.
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $bytes.Length | Should -BeGreaterThan 0
        $bom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
        $ascii = -not ($bytes | Where-Object { $_ -gt 0x7F })
        ($bom -or $ascii) | Should -BeTrue -Because "$Name must be ASCII or carry a UTF-8 byte order mark"
    }

    It 'Sign refuses to run without a certificate thumbprint, saying what it needs' {
        $output = Invoke-ChildPwsh -Script "& '$(Join-Path $env:PTCTOOLS_REPO 'build.ps1')' Sign; 'exit code ' + [int](-not `$?)"
        $output | Should -Match 'Sign needs -CertificateThumbprint'
        $output | Should -Not -Match 'Building PtcTools'
    }
}
