# Step 20: build pull through cache statements for a few rules, merge them into the policy from step 10
# (which already holds a replication statement), show the diff, show that a re-run changes nothing,
# and write the merged policy to $PolicyFile for the later steps.
Show-Step 'Pull through cache rules (shaped like Get-ECRPullThroughCacheRule output)'
$rules = @(
    [pscustomobject]@{ EcrRepositoryPrefix = 'ecr-public'; UpstreamRegistryUrl = 'ecr-public.upstream.example'; RegistryId = '111122223333'; UpstreamRepositoryPrefix = 'ROOT' }
    [pscustomobject]@{ EcrRepositoryPrefix = 'docker-hub'; UpstreamRegistryUrl = 'docker-hub.upstream.example'; RegistryId = '111122223333'; CredentialArn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/docker-hub' }
    [pscustomobject]@{ EcrRepositoryPrefix = 'k8s'; UpstreamRegistryUrl = 'k8s.upstream.example'; RegistryId = '111122223333'; UpstreamRepositoryPrefix = 'ROOT' }
)
$rules | Format-Table EcrRepositoryPrefix, UpstreamRegistryUrl, RegistryId | Out-Host

Show-Step 'New-PtcPolicyStatement: one statement per rule, for the CI role'
$statements = $rules | New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:role/ci-puller -Region us-east-1
$statements | Out-Host

Show-Step "Add-PtcRegistryStatement: merge them into $PolicyFile"
$before = Get-Content -LiteralPath $PolicyFile -Raw | ConvertFrom-PtcRegistryPolicy
$merged = $statements | Add-PtcRegistryStatement -LiteralPath $PolicyFile -Verbose 4>&1 |
    ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { Write-Host "    $($_.Message)" } else { $_ } }
$merged | Out-Host
if ($merged.Statement[0].Json -cne $before.Statement[0].Json) { throw 'The merge changed the replication statement.' }

Show-Step 'Compare-PtcRegistryPolicy: what the merge changes'
Compare-PtcRegistryPolicy -ReferencePolicy $before -DifferencePolicy $merged | Out-Host

Show-Step 'Run the same merge again: nothing changes'
$again = $statements | Add-PtcRegistryStatement -Policy $merged -Verbose 4>&1 |
    ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { Write-Host "    $($_.Message)" } else { $_ } }
$changes = @(Compare-PtcRegistryPolicy -ReferencePolicy $merged -DifferencePolicy $again)
if ($again.PolicyText -cne $merged.PolicyText -or $changes.Count -ne 0) { throw 'The second merge changed the policy.' }
Write-Host "The policy is the same $($again.Length) characters; Compare-PtcRegistryPolicy reports $($changes.Count) changes."

Show-Step "Write the merged policy to $PolicyFile with Set-PtcRegistryPolicy (checked, backed up, read back)"
$merged | Set-PtcRegistryPolicy -LiteralPath $PolicyFile -BackupPath (Join-Path $Work 'backups') -Confirm:$false | Out-Host
Write-Host "Wrote $($merged.Statement.Count) statements, $($merged.Length) of ECR's 10,240 characters."
