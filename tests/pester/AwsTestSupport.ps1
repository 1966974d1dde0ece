# Shared by the Pester files of the AWS cmdlets: an isolated AWS environment (no real credentials,
# no instance metadata, no shared files) and the loopback ECR emulator. Dot-source it in BeforeAll.

$script:AwsVariables = @(
    'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE',
    'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED',
    'AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECR', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_SSO', 'AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_SECRETS_MANAGER')

function Enter-IsolatedAws {
    # Clears every AWS variable and points the shared files at an empty folder; returns what to restore.
    param([Parameter(Mandatory)] [string] $Folder)
    $saved = @{}
    foreach ($name in $script:AwsVariables) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        # Remove, not set to '': PowerShell passes $null as '' and child processes (the AWS CLI) read '' as a value.
        Remove-Item -LiteralPath "env:$name" -ErrorAction Ignore
    }
    $null = New-Item -ItemType Directory -Path $Folder -Force
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $Folder 'credentials'
    $env:AWS_CONFIG_FILE = Join-Path $Folder 'config'
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    $saved
}

function Exit-IsolatedAws {
    param([hashtable] $Saved)
    if (-not $Saved) { return }
    foreach ($pair in $Saved.GetEnumerator()) {
        if ($null -eq $pair.Value) { Remove-Item -LiteralPath "env:$($pair.Key)" -ErrorAction Ignore }
        else { [Environment]::SetEnvironmentVariable($pair.Key, $pair.Value) }
    }
}

function Assert-TestEcrEmulatorCurrent {
    # A test file run alone against an emulator built before its sources changed (a new seed field, say) fails in
    # ways that look like the module's fault: say so instead. Checked once per session.
    $module = Join-Path $env:PTCTOOLS_REPO 'out/EcrEmulator/EcrEmulator.psm1'
    if (-not (Test-Path -LiteralPath $module)) { throw "The ECR emulator is not built at $module; run 'dotnet pwsh ./build.ps1 Test'." }
    if (-not $script:EmulatorChecked) {
        $built = Get-ChildItem -LiteralPath (Split-Path -Parent $module) -File | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
        $sourceRoot = Join-Path $env:PTCTOOLS_REPO 'tests/EcrEmulator'
        $source = @(Get-ChildItem -LiteralPath $sourceRoot -File) + @(Get-ChildItem -LiteralPath $sourceRoot -Directory |
                Where-Object Name -NotIn 'bin', 'obj' | Get-ChildItem -Recurse -File) |
            Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
        if ($built -and $source -and $source.LastWriteTimeUtc -gt $built.LastWriteTimeUtc) {
            throw "The ECR emulator at $(Split-Path -Parent $module) is older than $($source.FullName); run 'dotnet pwsh ./build.ps1 Demo' (or Test) to rebuild it."
        }
        $script:EmulatorChecked = $true
    }
}

function Import-TestEcrEmulator {
    # The emulator's module (Start-EcrEmulator with every option: several accounts and Regions, a seed), once it is
    # known to be built from the sources in this tree.
    Assert-TestEcrEmulatorCurrent
    Import-Module (Join-Path $env:PTCTOOLS_REPO 'out/EcrEmulator/EcrEmulator.psm1') -Force -Global
}

function Start-TestEcrEmulator {
    # The emulator that build.ps1 Test lays out in out/EcrEmulator, on a free loopback port.
    # -AccountId starts a registry of another account, as credentials for another account would reach.
    param([object] $Seed, [string] $AccountId)
    Import-TestEcrEmulator
    $arguments = @{ ExitAfterSeconds = 900 }
    if ($PSBoundParameters.ContainsKey('Seed')) { $arguments.Seed = $Seed }
    if ($AccountId) { $arguments.AccountId = $AccountId }
    Start-EcrEmulator @arguments
}

function Get-EmulatorParameters {
    # The AWS parameters that point a cmdlet at the emulator with its test keys.
    param([Parameter(Mandatory)] $Emulator)
    @{ Region = $Emulator.Region; EndpointUrl = $Emulator.Url; AccessKey = $Emulator.AccessKey; SecretKey = $Emulator.SecretKey }
}

function Invoke-ChildPwsh {
    # Runs script text in a fresh pwsh and returns what it printed (host output such as "What if:" included).
    param([Parameter(Mandatory)] [string] $Script)
    $arguments = [Environment]::GetCommandLineArgs()
    $launcher = if ($arguments[0] -like '*.dll') { @([Environment]::ProcessPath, $arguments[0]) } else { @([Environment]::ProcessPath) }
    $exe = $launcher[0]
    $rest = @($launcher | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Script)
    (& $exe @rest 2>&1 | Out-String)
}

function Start-ChildPwsh {
    # Starts script text in a fresh pwsh in the background and returns the Process (the caller stops it).
    param([Parameter(Mandatory)] [string] $Script)
    $arguments = [Environment]::GetCommandLineArgs()
    $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ($arguments[0] -like '*.dll') { $start.ArgumentList.Add($arguments[0]) }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Script) { $start.ArgumentList.Add($a) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    [System.Diagnostics.Process]::Start($start)
}
