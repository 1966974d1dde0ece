# Step 10: read the sample registry policy, show it, and write it back unchanged.
$PolicyFile = Join-Path $Work 'registry-policy.json'
Copy-Item -LiteralPath (Join-Path $DemoRoot 'sample-registry-policy.json') -Destination $PolicyFile

Show-Step "Read the registry policy in $PolicyFile"
$original = Get-Content -LiteralPath $PolicyFile -Raw
$policy = $original | ConvertFrom-PtcRegistryPolicy
$policy | Out-Host
$policy.Statement | Out-Host

Show-Step 'The compact JSON that ECR stores (PolicyText)'
Write-Host $policy.PolicyText

Show-Step 'Write it back unchanged and check nothing was lost'
Set-Content -LiteralPath $PolicyFile -Value $policy.PolicyText -NoNewline
$again = Get-Content -LiteralPath $PolicyFile -Raw | ConvertFrom-PtcRegistryPolicy
if ($again.PolicyText -cne $policy.PolicyText) { throw 'The round trip changed the policy.' }
Write-Host "Round trip kept all $($policy.Length) characters."
