# Step 30: push. A loopback ECR (tests/EcrEmulator) stands in for AWS, so the demo needs no account:
# list the pull through cache rules, make their statements, merge them into the live policy,
# preview the change with -WhatIf, push it safely, read it back, and show that a concurrent
# change is refused rather than overwritten.
Import-Module (Join-Path $DemoRoot '../out/EcrEmulator/EcrEmulator.psm1') -Force
$emulator = Start-EcrEmulator -Seed @{ policyText = (Get-Content -LiteralPath (Join-Path $DemoRoot 'sample-registry-policy.json') -Raw) } -ExitAfterSeconds 300
try {
    $aws = @{ Region = $emulator.Region; EndpointUrl = $emulator.Url; AccessKey = $emulator.AccessKey; SecretKey = $emulator.SecretKey }
    $backups = Join-Path $Work 'backups'

    Show-Step "Seed pull through cache rules in the emulator ($($emulator.Url)) with CreatePullThroughCacheRule"
    $options = [PtcTools.Aws.Ecr.EcrClientOptions]::new($emulator.Region, [PtcTools.Aws.Auth.AwsCredentials]::new($emulator.AccessKey, $emulator.SecretKey, $null, $null, 'demo'))
    $options.EndpointUrl = $emulator.Url
    $client = [PtcTools.Aws.Ecr.EcrClient]::new($options)
    foreach ($seed in @(
            @{ EcrRepositoryPrefix = 'ecr-public'; UpstreamRegistryUrl = 'ecr-public.upstream.example' }
            @{ EcrRepositoryPrefix = 'quay'; UpstreamRegistryUrl = 'quay.upstream.example' }
            @{ EcrRepositoryPrefix = 'k8s'; UpstreamRegistryUrl = 'k8s.upstream.example' })) {
        $null = $client.CreatePullThroughCacheRuleAsync([PtcTools.Aws.Ecr.PullThroughCacheRule] $seed, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    }
    Get-PtcPullThroughCacheRule @aws | Out-Host

    Show-Step 'Read the live registry policy'
    $live = Get-PtcRegistryPolicy @aws
    $live | Out-Host

    Show-Step 'Rules -> statements -> merged into the live policy -> Set -WhatIf (nothing is written)'
    $merged = Get-PtcPullThroughCacheRule @aws |
        New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:role/ci-puller |
        Add-PtcRegistryStatement -Policy $live
    $merged | Set-PtcRegistryPolicy @aws -BackupPath $backups -WhatIf
    if ((Get-PtcRegistryPolicy @aws).SourceText -cne $live.SourceText) { throw '-WhatIf changed the registry.' }

    Show-Step 'Push: check the live policy, back it up, write, read back and verify'
    $merged | Set-PtcRegistryPolicy @aws -BackupPath $backups | Out-Host
    $after = Get-PtcRegistryPolicy @aws
    $after | Out-Host
    if ($after.PolicyText -cne $merged.PolicyText) { throw 'The registry does not hold what was pushed.' }
    $kept = @($live.Statement.Sid | Where-Object { $_ -notin $after.Statement.Sid })
    if ($kept.Count) { throw "The push lost statements: $($kept -join ', ')" }
    Write-Host "Every statement that was there is still there; $($after.Statement.Count - $live.Statement.Count) added."

    Show-Step 'Run it again: nothing changes, nothing is written'
    (Get-PtcPullThroughCacheRule @aws | New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:role/ci-puller |
        Add-PtcRegistryStatement -Policy (Get-PtcRegistryPolicy @aws) | Set-PtcRegistryPolicy @aws -BackupPath $backups) | Out-Host

    Show-Step 'Someone else writes between our read and our write: refused, nothing overwritten'
    $stale = Get-PtcRegistryPolicy @aws
    $null = $emulator | Set-EcrEmulatorFault -ChangePolicyAfterNextGet (Get-Content -LiteralPath (Join-Path $DemoRoot 'sample-registry-policy.json') -Raw)
    $null = Get-PtcRegistryPolicy @aws
    $result = $stale | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable refused
    if ($result.Status -ne 'Failed' -or $refused[0].FullyQualifiedErrorId -notlike 'RegistryPolicyChangedSinceRead,*') { throw 'A concurrent change was not detected.' }
    Write-Host "$($refused[0].FullyQualifiedErrorId): $($refused[0].Exception.Message)"
    Write-Host "Backups kept in ${backups}:"
    Get-ChildItem -LiteralPath $backups | ForEach-Object { Write-Host "    $($_.Name)" }
} finally {
    $emulator | Stop-EcrEmulator
}
