@{
    RootModule           = 'PtcTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0c7f0e-2a4b-4f37-9c8e-6b1f0e4a7c21'
    Author               = 'PtcTools contributors'
    CompanyName          = 'PtcTools'
    Copyright            = '(c) PtcTools contributors. MIT License.'
    Description          = 'Build, merge, check, simulate and push Amazon ECR registry permissions policies, above all the statements pull through cache needs.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('PtcTools.Format.ps1xml')
    ScriptsToProcess     = @('PtcTools.Prerequisites.ps1')  # stops Windows PowerShell 5.1 on a .NET Framework older than 4.7.2
    CmdletsToExport      = @(
        'ConvertFrom-PtcRegistryPolicy'
        'Test-PtcRegistryPolicy'
        'New-PtcPolicyStatement'
        'Add-PtcRegistryStatement'
        'Remove-PtcRegistryStatement'
        'Compare-PtcRegistryPolicy'
        'Test-PtcPermission'
        'New-PtcIdentityPolicy'
        'New-PtcServiceRole'
        'Get-PtcExternalAccess'
        'Test-PtcNoNewAccess'
        'Test-PtcAccessNotGranted'
        'Test-PtcNoPublicAccess'
        'Test-PtcPullThroughCache'
        'Get-PtcRegistryPolicy'
        'Set-PtcRegistryPolicy'
        'Remove-PtcRegistryPolicy'
        'Get-PtcPullThroughCacheRule'
        'Get-PtcRegistryPolicyDrift'
        'Export-PtcRegistryPolicy'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            # build.ps1 adds a PSCommand_<name> tag per cmdlet to the shipped copy (Find-PSResource -CommandName).
            Tags         = @('AWS', 'ECR', 'PullThroughCache', 'RegistryPolicy', 'IAM', 'Policy', 'PSEdition_Desktop', 'PSEdition_Core')
            # No ProjectUri: the project has no public home yet (docs/decisions.md, issue 17).
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'See README.md.'
        }
    }
}
