# Step 25: lint a policy with several mistakes, then the sample policy, before anything is pushed.
$mistakesFile = Join-Path $DemoRoot 'lint-mistakes.json'
$mistakes = Get-Content -LiteralPath $mistakesFile -Raw
$rules = @(
    [pscustomobject]@{ EcrRepositoryPrefix = 'ecr-public'; UpstreamRegistryUrl = 'ecr-public.upstream.example' }
    [pscustomobject]@{ EcrRepositoryPrefix = 'docker-hub'; UpstreamRegistryUrl = 'docker-hub.upstream.example' }
)

Show-Step "Lint $mistakesFile (registry 111122223333 in us-east-1, two pull through cache rules)"
$findings = @($mistakes | Test-PtcRegistryPolicy -RegistryId 111122223333 -Region us-east-1 -PullThroughCacheRule $rules)
$findings | Out-Host

Show-Step 'Where the first error is, in the original text'
$first = $findings | Where-Object Severity -EQ 'Error' | Select-Object -First 1
$line = ($mistakes -replace "`r`n", "`n" -split "`n")[$first.Line - 1]
Write-Host "$($first.RuleId) at line $($first.Line), column $($first.Column) ($($first.Path)):"
Write-Host "    $line"
Write-Host ('    ' + (' ' * ($first.Column - 1)) + '^')
Write-Host "    $($first.Message)"
Write-Host "    See $($first.HelpUri)"

Show-Step 'A CI gate: -Quiet is $true only when no Error finding is left'
$verdict = $mistakes | Test-PtcRegistryPolicy -Quiet
Write-Host "Mistakes policy passes: $verdict ($(@($findings | Where-Object Severity -EQ 'Error').Count) errors, $(@($findings | Where-Object Severity -EQ 'Warning').Count) warnings)"
if ($verdict) { throw 'The lint gate let a policy with errors through.' }

Show-Step "Lint the sample policy in $PolicyFile"
$sample = @(Test-PtcRegistryPolicy -LiteralPath $PolicyFile -RegistryId 111122223333 -Region us-east-1)
if ($sample.Count -eq 0) {
    Write-Host 'No findings.'
} else {
    $sample | Out-Host
}
Write-Host "Sample policy passes: $(Test-PtcRegistryPolicy -LiteralPath $PolicyFile -Quiet)"
