#Requires -Version 7.4
<#
    Helpers to run the loopback ECR emulator from PowerShell (Pester tests, the demo, users trying PtcTools).
    The module sits beside EcrEmulator.dll (build.ps1 lays both out in out/EcrEmulator). See README.md.
#>
Set-StrictMode -Version 3.0

$script:ControlTimeoutSec = 30

function New-EmulatorError {
    # One shape for every failure of these helpers: a stable id, a category and the offending input.
    param([string] $Message, [string] $ErrorId, [System.Management.Automation.ErrorCategory] $Category, $Target)
    [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($Message), $ErrorId, $Category, $Target)
}

function Invoke-EmulatorControl {
    # Calls the control API (no signature) and turns a refusal into an error that carries the emulator's reason.
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, [string] $Body, [System.Management.Automation.PSCmdlet] $Caller)
    $uri = [Uri]::new([Uri] $Emulator.Url, "__emulator/$Path")
    $parameters = @{
        Uri                = $uri
        Method             = $Method
        TimeoutSec         = $script:ControlTimeoutSec
        NoProxy            = $true
        SkipHttpErrorCheck = $true
        StatusCodeVariable = 'status'
        ContentType        = 'application/json'
    }
    if ($PSBoundParameters.ContainsKey('Body')) { $parameters.Body = [System.Text.Encoding]::UTF8.GetBytes($Body) }
    try {
        $result = Invoke-RestMethod @parameters
    } catch {
        $Caller.ThrowTerminatingError((New-EmulatorError "The emulator at $($Emulator.Url) did not answer ${Method} /__emulator/${Path}: $($_.Exception.Message)" 'EcrEmulatorUnreachable' ConnectionError $Emulator))
    }
    if ($status -ne 200) {
        $reason = if ($result -and $result.PSObject.Properties['error']) { $result.error } else { "HTTP $status" }
        $Caller.ThrowTerminatingError((New-EmulatorError "The emulator refused ${Method} /__emulator/${Path}: $reason" 'EcrEmulatorControlRefused' InvalidArgument $Body))
    }
    $result
}

function Start-EcrEmulator {
    <#
    .SYNOPSIS
        Starts the ECR emulator as a child process on a free loopback port and returns how to reach it.
    .DESCRIPTION
        Runs `dotnet EcrEmulator.dll --port 0` from the folder of this module, reads the URL from its first
        line, and returns Url, Process, AccessKey, SecretKey, SessionAccessKey, SessionSecretKey, SessionToken,
        AccountId and Region (the default registry's), AccountIds and Regions (every one served), and
        Parameters: -EndpointUrl, -AccessKey and -SecretKey of the default account, to splat into a PtcTools
        cmdlet. One emulator serves every account given in every Region given; Get-EcrEmulatorParameter gives
        the parameters of another account. The emulator stops when Stop-EcrEmulator closes its stdin, when this
        PowerShell exits, or after -ExitAfterSeconds at the latest.
    .EXAMPLE
        $emulator = Start-EcrEmulator -Seed @{ policyText = (Get-Content ./policy.json -Raw) }
        $aws = $emulator.Parameters
        Get-PtcRegistryPolicy @aws -Region us-east-1
    .EXAMPLE
        $emulator = Start-EcrEmulator -AccountId 111122223333, 444455556666 -Region us-east-1, eu-west-1
        $partner = $emulator | Get-EcrEmulatorParameter -AccountId 444455556666 -Region eu-west-1
        Get-PtcRegistryPolicy @partner
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # The accounts served (the first is the default registry's, reached with AccessKey/SecretKey).
        [ValidatePattern('^[0-9]{12}$')] [string[]] $AccountId = '111122223333',
        # The Regions served (the first is the default registry's); every account has a registry in each.
        [ValidatePattern('^[a-z0-9-]{2,25}$')] [string[]] $Region = 'us-east-1',
        # A hashtable or object (policyText, registryPolicyScope, pullThroughCacheRules, registries) or the path of a seed JSON file.
        [object] $Seed,
        [ValidateRange(1, 86400)] [int] $ExitAfterSeconds = 600,
        [ValidateRange(1, 600)] [int] $StartTimeoutSeconds = 60,
        # The folder holding EcrEmulator.dll; by default the folder of this module.
        [string] $EmulatorPath = $PSScriptRoot
    )
    $dll = Join-Path $EmulatorPath 'EcrEmulator.dll'
    if (-not (Test-Path -LiteralPath $dll)) {
        $PSCmdlet.ThrowTerminatingError((New-EmulatorError "EcrEmulator.dll is not in '$EmulatorPath'. Build it with: dotnet pwsh ./build.ps1 Test (it lays it out in out/EcrEmulator)." 'EcrEmulatorNotBuilt' ObjectNotFound $dll))
    }

    $seedFile = $null
    $ownsSeedFile = $false
    if ($PSBoundParameters.ContainsKey('Seed') -and $null -ne $Seed) {
        if ($Seed -is [string]) {
            if (-not (Test-Path -LiteralPath $Seed -PathType Leaf)) {
                $PSCmdlet.ThrowTerminatingError((New-EmulatorError "The seed file '$Seed' does not exist." 'EcrEmulatorSeedNotFound' ObjectNotFound $Seed))
            }
            $seedFile = (Resolve-Path -LiteralPath $Seed).ProviderPath
        } else {
            $seedFile = Join-Path ([System.IO.Path]::GetTempPath()) "ecr-emulator-seed-$([guid]::NewGuid().ToString('N')).json"
            $Seed | ConvertTo-Json -Depth 20 | Set-Content -LiteralPath $seedFile -Encoding utf8NoBOM
            $ownsSeedFile = $true
        }
    }

    $dotnet = if ($env:DOTNET_HOST_PATH) { $env:DOTNET_HOST_PATH } else { (Get-Command dotnet -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }
    $info = [System.Diagnostics.ProcessStartInfo]::new($dotnet)
    foreach ($argument in @($dll, '--port', '0', '--account', ($AccountId -join ','), '--region', ($Region -join ','), '--exit-after', "$ExitAfterSeconds")) { $info.ArgumentList.Add($argument) }
    if ($seedFile) { $info.ArgumentList.Add('--seed'); $info.ArgumentList.Add($seedFile) }
    $info.UseShellExecute = $false
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true

    $process = [System.Diagnostics.Process]::Start($info)
    # Drained on the thread pool so the emulator never blocks on a full pipe; read back only on failure.
    $stderr = $process.StandardError.ReadToEndAsync()
    $firstLine = $process.StandardOutput.ReadLineAsync()
    $ready = $firstLine.Wait([TimeSpan]::FromSeconds($StartTimeoutSeconds))
    $line = if ($ready) { $firstLine.Result } else { $null }
    if (-not $line -or -not $line.StartsWith('Listening on ')) {
        if (-not $process.HasExited) { $process.Kill($true) }
        [void] $process.WaitForExit(10000)
        $why = if ($stderr.Wait(5000)) { $stderr.Result.Trim() } else { '' }
        if ($ownsSeedFile) { Remove-Item -LiteralPath $seedFile -ErrorAction Ignore }
        $what = if ($ready) { 'exited before it listened' } else { "did not listen within $StartTimeoutSeconds s" }
        $PSCmdlet.ThrowTerminatingError((New-EmulatorError "The ECR emulator $what. $why" 'EcrEmulatorStartFailed' OpenError $dll))
    }
    # Keep draining stdout too (a few lines), so a chatty emulator can never fill the pipe.
    $null = $process.StandardOutput.ReadToEndAsync()

    $url = $line.Substring('Listening on '.Length)
    [pscustomobject]@{
        PSTypeName       = 'EcrEmulator.Instance'
        Url              = $url
        Process          = $process
        AccessKey        = 'AKIDPTCTOOLSEXAMPLE'
        SecretKey        = 'ptctools/emulator/secret/EXAMPLEKEY'
        SessionAccessKey = 'ASIAPTCTOOLSEXAMPLE'
        SessionSecretKey = 'ptctools/emulator/session/EXAMPLEKEY'
        SessionToken     = 'PtcToolsEmulatorSessionToken//EXAMPLE+TOKEN/ForTestsOnly='
        AccountId        = $AccountId[0]
        Region           = $Region[0]
        AccountIds       = @($AccountId | Select-Object -Unique)
        Regions          = @($Region | Select-Object -Unique)
        # Splat into a PtcTools cmdlet: Get-PtcRegistryPolicy @($emulator.Parameters) -Region us-east-1.
        Parameters       = @{ EndpointUrl = $url; AccessKey = 'AKIDPTCTOOLSEXAMPLE'; SecretKey = 'ptctools/emulator/secret/EXAMPLEKEY' }
        SeedFile         = if ($ownsSeedFile) { $seedFile } else { $null }
    }
}

function Get-EcrEmulatorParameter {
    <#
    .SYNOPSIS
        The parameters that point a PtcTools cmdlet at an emulator as one of its accounts: -EndpointUrl, -AccessKey,
        -SecretKey (and -Region when given), to splat.
    .DESCRIPTION
        The default account uses the emulator's fixed test keys; any other account it serves uses its derived keys
        (AKIDPTC + the account id, secret ptctools/emulator/secret/ + the account id).
    .EXAMPLE
        $partner = $emulator | Get-EcrEmulatorParameter -AccountId 444455556666 -Region eu-west-1
        Get-PtcRegistryPolicy @partner
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] [PSTypeName('EcrEmulator.Instance')] $Emulator,
        [ValidatePattern('^[0-9]{12}$')] [string] $AccountId,
        [ValidatePattern('^[a-z0-9-]{2,25}$')] [string] $Region
    )
    process {
        $account = if ($AccountId) { $AccountId } else { $Emulator.AccountId }
        if ($account -notin $Emulator.AccountIds) {
            $PSCmdlet.ThrowTerminatingError((New-EmulatorError "The emulator at $($Emulator.Url) serves accounts $($Emulator.AccountIds -join ', '), not $account. Start it with -AccountId $account." 'EcrEmulatorAccountNotServed' InvalidArgument $account))
        }
        if ($Region -and $Region -notin $Emulator.Regions) {
            $PSCmdlet.ThrowTerminatingError((New-EmulatorError "The emulator at $($Emulator.Url) serves Regions $($Emulator.Regions -join ', '), not $Region. Start it with -Region $Region." 'EcrEmulatorRegionNotServed' InvalidArgument $Region))
        }
        $parameters = if ($account -eq $Emulator.AccountId) {
            @{ EndpointUrl = $Emulator.Url; AccessKey = $Emulator.AccessKey; SecretKey = $Emulator.SecretKey }
        } else {
            @{ EndpointUrl = $Emulator.Url; AccessKey = "AKIDPTC$account"; SecretKey = "ptctools/emulator/secret/$account" }
        }
        if ($Region) { $parameters.Region = $Region }
        $parameters
    }
}

function Stop-EcrEmulator {
    <#
    .SYNOPSIS
        Stops an emulator started by Start-EcrEmulator: closes its stdin, waits, kills it if it lingers.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param([Parameter(Mandatory, ValueFromPipeline)] [PSTypeName('EcrEmulator.Instance')] $Emulator)
    process {
        $process = $Emulator.Process
        if (-not $process.HasExited) {
            try { $process.StandardInput.Close() } catch [System.IO.IOException] { Write-Verbose "stdin already closed: $_" }
            if (-not $process.WaitForExit(10000)) {
                $process.Kill($true)
                [void] $process.WaitForExit(10000)
            }
        }
        if ($Emulator.SeedFile) { Remove-Item -LiteralPath $Emulator.SeedFile -ErrorAction Ignore }
    }
}

function Set-EcrEmulatorFault {
    <#
    .SYNOPSIS
        Arms faults for the next ECR calls: throttles, HTTP 500s, dropped connections or answers, delays, and another
        writer changing the policy right after the next GetRegistryPolicy.
    .EXAMPLE
        $emulator | Set-EcrEmulatorFault -Throttle 2 -Operation PutRegistryPolicy
    #>
    [CmdletBinding(DefaultParameterSetName = 'Arm')]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] [PSTypeName('EcrEmulator.Instance')] $Emulator,
        [Parameter(ParameterSetName = 'Arm')] [ValidateRange(0, [int]::MaxValue)] [int] $Throttle,
        [Parameter(ParameterSetName = 'Arm')] [ValidateRange(0, [int]::MaxValue)] [int] $ServerError,
        [Parameter(ParameterSetName = 'Arm')] [ValidateRange(0, [int]::MaxValue)] [int] $DropConnection,
        # Serve the call (a write takes effect) but close the connection before the answer.
        [Parameter(ParameterSetName = 'Arm')] [ValidateRange(0, [int]::MaxValue)] [int] $DropResponse,
        [Parameter(ParameterSetName = 'Arm')] [ValidateRange(1, [int]::MaxValue)] [int] $DelayMs,
        [Parameter(ParameterSetName = 'Arm')] [ValidateRange(0, [int]::MaxValue)] [int] $DelayCount,
        # Limit the faults armed by this call to one operation, e.g. PutRegistryPolicy.
        [Parameter(ParameterSetName = 'Arm')] [string] $Operation,
        # Limit the throttles, errors, drops and delays of this call to one account's calls (its registries and its AssumeRole).
        [Parameter(ParameterSetName = 'Arm')] [ValidatePattern('^\d{12}$')] [string] $AccountId,
        # Limit them to calls signed for one Region.
        [Parameter(ParameterSetName = 'Arm')] [string] $Region,
        # The policy text another writer stores right after the next GetRegistryPolicy ($null deletes the policy).
        [Parameter(ParameterSetName = 'Arm')] [AllowNull()] [AllowEmptyString()] [string] $ChangePolicyAfterNextGet,
        # The policy text a writer elsewhere stores right after each of the next PutRegistryPolicy calls lands ($null deletes it).
        [Parameter(ParameterSetName = 'Arm')] [AllowNull()] [AllowEmptyString()] [string] $ChangePolicyAfterPut,
        # How many of the next PutRegistryPolicy calls -ChangePolicyAfterPut follows (default 1).
        [Parameter(ParameterSetName = 'Arm')] [ValidateRange(0, [int]::MaxValue)] [int] $ChangePolicyAfterPutCount,
        # After the next PutRegistryPolicy, this many GetRegistryPolicy calls still see the policy from before it (or none): a read that has not caught up.
        [Parameter(ParameterSetName = 'Arm')] [ValidateRange(0, [int]::MaxValue)] [int] $StaleReadsAfterPut,
        # Answer the next call(s) with this body instead of serving them: a malformed or hostile server.
        [Parameter(ParameterSetName = 'Arm')] [AllowEmptyString()] [string] $RespondBody,
        [Parameter(ParameterSetName = 'Arm')] [ValidateRange(100, 599)] [int] $RespondStatus = 200,
        [Parameter(ParameterSetName = 'Arm')] [ValidateRange(0, [int]::MaxValue)] [int] $RespondCount = 1,
        [Parameter(Mandatory, ParameterSetName = 'Clear')] [switch] $Clear
    )
    process {
        if ($Clear) {
            return Invoke-EmulatorControl -Emulator $Emulator -Method Delete -Path 'faults' -Caller $PSCmdlet
        }
        $request = [ordered]@{}
        foreach ($pair in @(@('Throttle', 'throttle'), @('ServerError', 'serverError'), @('DropConnection', 'dropConnection'), @('DropResponse', 'dropResponse'), @('DelayMs', 'delayMs'), @('DelayCount', 'delayCount'), @('Operation', 'operation'), @('AccountId', 'accountId'), @('Region', 'region'))) {
            if ($PSBoundParameters.ContainsKey($pair[0])) { $request[$pair[1]] = $PSBoundParameters[$pair[0]] }
        }
        if ($PSBoundParameters.ContainsKey('ChangePolicyAfterNextGet')) {
            # [string] turns $null into ''; an empty text is not a policy, so '' means "delete" as $null would.
            $request.changePolicyAfterNextGet = if ([string]::IsNullOrEmpty($ChangePolicyAfterNextGet)) { $null } else { $ChangePolicyAfterNextGet }
        }
        if ($PSBoundParameters.ContainsKey('ChangePolicyAfterPut')) {
            $request.changePolicyAfterPut = if ([string]::IsNullOrEmpty($ChangePolicyAfterPut)) { $null } else { $ChangePolicyAfterPut }
            if ($PSBoundParameters.ContainsKey('ChangePolicyAfterPutCount')) { $request.changePolicyAfterPutCount = $ChangePolicyAfterPutCount }
        }
        if ($PSBoundParameters.ContainsKey('StaleReadsAfterPut')) { $request.staleReadsAfterPut = $StaleReadsAfterPut }
        if ($PSBoundParameters.ContainsKey('RespondBody')) {
            $request.respond = [ordered]@{ status = $RespondStatus; body = $RespondBody; count = $RespondCount }
        }
        if ($request.Count -eq 0) {
            $PSCmdlet.ThrowTerminatingError((New-EmulatorError 'Name at least one fault to arm (-Throttle, -ServerError, -DropConnection, -DropResponse, -DelayMs, -ChangePolicyAfterNextGet, -ChangePolicyAfterPut, -StaleReadsAfterPut, -RespondBody), or use -Clear.' 'EcrEmulatorNoFaultGiven' InvalidArgument $Emulator))
        }
        Invoke-EmulatorControl -Emulator $Emulator -Method Post -Path 'faults' -Body ($request | ConvertTo-Json -Compress) -Caller $PSCmdlet
    }
}

function Get-EcrEmulatorState {
    <#
    .SYNOPSIS
        Reads the state of one registry (the default one unless -AccountId or -Region name another): policyText,
        registryPolicyScope, pullThroughCacheRules, callCount, armed faults, and the accounts and Regions served.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] [PSTypeName('EcrEmulator.Instance')] $Emulator,
        [ValidatePattern('^[0-9]{12}$')] [string] $AccountId,
        [ValidatePattern('^[a-z0-9-]{2,25}$')] [string] $Region
    )
    process {
        $query = @(if ($AccountId) { "accountId=$AccountId" }; if ($Region) { "region=$Region" }) -join '&'
        Invoke-EmulatorControl -Emulator $Emulator -Method Get -Path ($(if ($query) { "state?$query" } else { 'state' })) -Caller $PSCmdlet
    }
}

function Get-EcrEmulatorRequest {
    <#
    .SYNOPSIS
        Lists the ECR calls the emulator received (operation, status, errorCode, fault, accessKeyId, requestBody).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param([Parameter(Mandatory, ValueFromPipeline)] [PSTypeName('EcrEmulator.Instance')] $Emulator)
    process { Invoke-EmulatorControl -Emulator $Emulator -Method Get -Path 'requests' -Caller $PSCmdlet | ForEach-Object { $_ } }
}

function Reset-EcrEmulator {
    <#
    .SYNOPSIS
        Puts the emulator back to its start: the seed's state, no faults, an empty request log.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param([Parameter(Mandatory, ValueFromPipeline)] [PSTypeName('EcrEmulator.Instance')] $Emulator)
    process { Invoke-EmulatorControl -Emulator $Emulator -Method Post -Path 'reset' -Caller $PSCmdlet }
}

Export-ModuleMember -Function Start-EcrEmulator, Get-EcrEmulatorParameter, Stop-EcrEmulator, Set-EcrEmulatorFault, Get-EcrEmulatorState, Get-EcrEmulatorRequest, Reset-EcrEmulator
