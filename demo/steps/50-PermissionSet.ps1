# Step 50: the whole pull through cache permission set. An ECR-to-ECR rule (the upstream is this
# account's registry in eu-west-1) whose repository creation template tags new repositories: the
# CI role lacks ecr:TagResource, and the custom role was made trusting the wrong service. Every
# document is a file here (-Offline); against AWS, leave the files out and they are read live.
$ptcDir = Join-Path $Work 'permission-set'
$null = New-Item -ItemType Directory -Path $ptcDir -Force
$files = @{}
function Save-Document([string] $Name, [string] $Text) {
    $path = Join-Path $ptcDir $Name
    Set-Content -LiteralPath $path -Value $Text -Encoding utf8NoBOM
    $files[$Name] = $path
}

Save-Document 'rules.json' '{"pullThroughCacheRules":[{"ecrRepositoryPrefix":"mirror","upstreamRegistry":"ecr","upstreamRegistryUrl":"111122223333.dkr.ecr.eu-west-1.amazonaws.com","customRoleArn":"arn:aws:iam::111122223333:role/ptc-upstream","registryId":"111122223333"}]}'
Save-Document 'templates.json' '{"repositoryCreationTemplates":[{"prefix":"mirror","appliedFor":["PULL_THROUGH_CACHE"],"resourceTags":[{"Key":"team","Value":"platform"}],"customRoleArn":"arn:aws:iam::111122223333:role/ptc-template"}]}'
$templateRole = New-PtcServiceRole RepositoryCreationTemplate -RoleName arn:aws:iam::111122223333:role/ptc-template -Region us-east-1
Save-Document 'template-trust.json' $templateRole.AssumeRolePolicyDocument
Save-Document 'template-permissions.json' $templateRole.PolicyDocument
$upstreamRole = New-PtcServiceRole PullThroughCache -RoleName arn:aws:iam::111122223333:role/ptc-upstream -Region us-east-1
# The mistake: a trust policy copied from the template role (ecr.amazonaws.com, not pullthroughcache.ecr.amazonaws.com).
Save-Document 'upstream-trust.json' $templateRole.AssumeRolePolicyDocument
Save-Document 'upstream-permissions.json' $upstreamRole.PolicyDocument
Save-Document 'registry-policy.json' (New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:role/ci-puller -RepositoryPrefix mirror -Region us-east-1 -RegistryId 111122223333 | Add-PtcRegistryStatement).PolicyText
# The mistake: the CI role's policy predates the template, so it has no ecr:TagResource.
Save-Document 'ci-puller.json' (New-PtcIdentityPolicy Puller -RepositoryPrefix mirror -Region us-east-1 -RegistryId 111122223333).PolicyDocument

function Test-DemoPermissionSet {
    Test-PtcPullThroughCache -Offline -Rule $files['rules.json'] -Region us-east-1 -Principal arn:aws:iam::111122223333:role/ci-puller `
        -RegistryPolicy $files['registry-policy.json'] -Scope V2 -Template $files['templates.json'] -IdentityPolicy $files['ci-puller.json'] `
        -CustomRoleTrustPolicy $files['upstream-trust.json'] -CustomRolePolicy $files['upstream-permissions.json'] `
        -TemplateRoleTrustPolicy $files['template-trust.json'] -TemplateRolePolicy $files['template-permissions.json']
}

Show-Step 'Will the first pull through the mirror rule work? Every document of the permission set, checked'
$checks = Test-DemoPermissionSet
$checks | Format-Table | Out-Host
$failed = @($checks | Where-Object Status -EQ Fail)
$failed | Format-List | Out-Host   # the list view: Reason, Fix and FixAction wrapped between words
if (@($failed.Check | Sort-Object) -join ',' -ne 'CustomRoleTrust,FirstPull') { throw "Expected the trust and the first pull to fail, not: $($failed.Check -join ', ')" }

Show-Step 'Fix both from the Fix objects (with AWS.Tools: Update-IAMAssumeRolePolicy and Write-IAMRolePolicy)'
foreach ($fix in $failed.Fix) {
    switch ($fix.Kind) {
        'PullThroughCacheRoleTrustPolicy' { Save-Document 'upstream-trust.json' $fix.PolicyDocument; Write-Host "Trust policy of role $($fix.RoleName): now also trusts pullthroughcache.ecr.amazonaws.com" }
        'PullerPolicy' { Save-Document 'ci-puller.json' $fix.PolicyDocument; Write-Host "Identity policy $($fix.PolicyName) of role $($fix.RoleName): $($fix.Description)" }
        default { throw "Unexpected fix $($fix.Kind)" }
    }
}

Show-Step 'Check again: every line passes'
$after = Test-DemoPermissionSet
$after | Format-Table | Out-Host
if (@($after | Where-Object Status -NE Pass).Count) { throw 'The permission set still fails after the fixes.' }
