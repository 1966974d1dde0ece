# Run by Import-Module before PtcTools.dll loads (ScriptsToProcess in PtcTools.psd1).
# Windows PowerShell 5.1 does not check the manifest's DotNetFrameworkVersion above 4.5, and on an older
# .NET Framework the netstandard2.0 assemblies fail to load with an error that does not say why; this
# stops the import first, naming the release needed. It reads the Release value Microsoft documents
# for detecting .NET Framework 4.5 and later. PowerShell 7 (Core) runs on .NET and is not checked.
# Windows PowerShell 5.1 syntax only (tests/pester/Compatibility.Tests.ps1 holds it to that).
& {
    param([string] $Edition)
    if ($Edition -ne 'Desktop') {
        return
    }

    $required = 461808  # .NET Framework 4.7.2
    $key = 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full'
    $found = Get-ItemProperty -LiteralPath $key -Name Release -ErrorAction Ignore
    if ($null -eq $found -or $null -eq $found.Release) {
        return  # not readable here: the runtime decides
    }

    $release = [int] $found.Release
    if ($release -ge $required) {
        return
    }

    $names = [ordered] @{ 461308 = '4.7.1'; 460798 = '4.7'; 394802 = '4.6.2'; 394254 = '4.6.1'; 393295 = '4.6'; 379893 = '4.5.2'; 378675 = '4.5.1'; 378389 = '4.5' }
    $name = 'an older release'
    foreach ($entry in $names.GetEnumerator()) {
        if ($release -ge $entry.Key) {
            $name = '.NET Framework ' + $entry.Value
            break
        }
    }

    $message = "PtcTools needs .NET Framework 4.7.2 or later (Release $required or higher in $key); " +
        "this Windows PowerShell runs on $name (Release $release). Install .NET Framework 4.8, or use PowerShell 7.4 or later."
    $exception = New-Object System.PlatformNotSupportedException $message
    throw (New-Object System.Management.Automation.ErrorRecord $exception, 'NetFrameworkVersionUnsupported', ([System.Management.Automation.ErrorCategory]::NotInstalled), $release)
} $PSVersionTable.PSEdition
