# Stand-ins for the AWS.Tools IAM cmdlets (not installable here) that declare the same parameters,
# positions and pipeline binding as AWS.Tools 5 (aws-tools-for-powershell, Cmdlets/IdentityManagement),
# so a test proves that PtcTools' output binds to them by property name. Each call is recorded in
# $global:PtcAwsToolsCalls; when $global:PtcAwsToolsBackend is a scriptblock, it is called with the
# operation and the bound parameters (the scenarios send them to moto_server).
# New-IAMRole's -Path is bound from the pipeline by value too (as in AWS.Tools): an object without a
# string Path property would have its text bound there.

$global:PtcAwsToolsCalls = [System.Collections.Generic.List[object]]::new()

function global:Invoke-PtcAwsToolsStandIn([string] $Cmdlet, [string] $Operation, [hashtable] $Bound) {
    $global:PtcAwsToolsCalls.Add([pscustomobject]@{ Cmdlet = $Cmdlet; Operation = $Operation; Parameters = $Bound })
    if ($global:PtcAwsToolsBackend -is [scriptblock]) { & $global:PtcAwsToolsBackend $Operation $Bound }
}

function global:New-IAMRole {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName, ValueFromPipeline)] [string] $Path,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName)] [string] $RoleName,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName)] [string] $AssumeRolePolicyDocument,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $Description,
        [Parameter(ValueFromPipelineByPropertyName)] [Nullable[int]] $MaxSessionDuration,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $PermissionsBoundary,
        [Parameter(ValueFromPipelineByPropertyName)] [Alias('Tags')] [object[]] $Tag,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $Select = 'Role',
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $Force)
    process { Invoke-PtcAwsToolsStandIn 'New-IAMRole' 'CreateRole' @{ Path = $Path; RoleName = $RoleName; AssumeRolePolicyDocument = $AssumeRolePolicyDocument; Description = $Description } }
}

function global:Write-IAMRolePolicy {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName, ValueFromPipeline)] [string] $RoleName,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName)] [string] $PolicyName,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName)] [string] $PolicyDocument,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $Select = '*',
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $PassThru,
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $Force)
    process { Invoke-PtcAwsToolsStandIn 'Write-IAMRolePolicy' 'PutRolePolicy' @{ RoleName = $RoleName; PolicyName = $PolicyName; PolicyDocument = $PolicyDocument } }
}

function global:Write-IAMUserPolicy {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName, ValueFromPipeline)] [string] $UserName,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName)] [string] $PolicyName,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName)] [string] $PolicyDocument,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $Select = '*',
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $PassThru,
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $Force)
    process { Invoke-PtcAwsToolsStandIn 'Write-IAMUserPolicy' 'PutUserPolicy' @{ UserName = $UserName; PolicyName = $PolicyName; PolicyDocument = $PolicyDocument } }
}

function global:Update-IAMAssumeRolePolicy {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName, ValueFromPipeline)] [string] $RoleName,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName)] [string] $PolicyDocument,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $Select = '*',
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $PassThru,
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $Force)
    process { Invoke-PtcAwsToolsStandIn 'Update-IAMAssumeRolePolicy' 'UpdateAssumeRolePolicy' @{ RoleName = $RoleName; PolicyDocument = $PolicyDocument } }
}

function global:New-IAMPolicy {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName, ValueFromPipeline)] [string] $PolicyName,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName)] [string] $PolicyDocument,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $Description,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $Path,
        [Parameter(ValueFromPipelineByPropertyName)] [Alias('Tags')] [object[]] $Tag,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $Select = 'Policy',
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $Force)
    process { Invoke-PtcAwsToolsStandIn 'New-IAMPolicy' 'CreatePolicy' @{ PolicyName = $PolicyName; PolicyDocument = $PolicyDocument; Description = $Description; Path = $Path } }
}

function global:Remove-PtcAwsToolsStandIns {
    # "function:global:NAME" is silently ignored by Remove-Item (the stand-ins then outlived the file that made
    # them); "function:NAME" finds the global function from here.
    Remove-Item function:New-IAMRole, function:Write-IAMRolePolicy, function:Write-IAMUserPolicy, function:Update-IAMAssumeRolePolicy, function:New-IAMPolicy, function:Invoke-PtcAwsToolsStandIn -ErrorAction Ignore
    Remove-Variable -Name PtcAwsToolsCalls, PtcAwsToolsBackend -Scope Global -ErrorAction Ignore
    Remove-Item function:Remove-PtcAwsToolsStandIns -ErrorAction Ignore
}
