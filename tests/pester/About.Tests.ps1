Describe 'about_PtcTools' {
    It 'is shown by Get-Help with the concepts a user needs' {
        $text = Get-Help about_PtcTools | Out-String
        foreach ($heading in 'GETTING STARTED', 'ONE REGISTRY POLICY PER REGION', 'PULL THROUGH CACHE PREFIXES AND ROOT', 'THE WHOLE PULL THROUGH CACHE PERMISSION SET', 'REGISTRY POLICY SCOPE: V1 AND V2', 'HOW DECISIONS ARE MADE', 'SAFE WRITES') {
            $text | Should -Match ([regex]::Escape($heading))
        }
    }

    It 'names only cmdlets the module has under SEE ALSO' {
        $lines = (Get-Content (Join-Path (Split-Path $env:PTCTOOLS_MODULE) 'en-US/about_PtcTools.help.txt')) 
        $start = [array]::IndexOf($lines, 'SEE ALSO')
        $start | Should -BeGreaterThan 0
        foreach ($name in $lines[($start + 1)..($lines.Count - 1)] | ForEach-Object Trim | Where-Object { $_ }) {
            Get-Command $name -Module PtcTools -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "$name is named under SEE ALSO"
        }
    }
}

Describe 'The about_ topics in an 80-column console (issue 17)' -ForEach @(
    @{ Topic = 'about_PtcTools' }, @{ Topic = 'about_PtcTools_Errors' }
) {
    BeforeAll {
        $file = Join-Path (Split-Path $env:PTCTOOLS_MODULE) "en-US/$Topic.help.txt"
        $lines = @(Get-Content -LiteralPath $file)
        $source = Get-Content -LiteralPath (Join-Path $env:PTCTOOLS_REPO "docs/en-US/$Topic.md") -Raw
    }

    It 'has no line longer than 80 characters, so nothing wraps where the console breaks it' {
        @($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
    }

    It 'fills its paragraphs instead of leaving the source''s long lines broken in two' {
        # A hard-wrapped source line of ~100 columns, split by an 80-column console, leaves a short tail line;
        # a filled paragraph has a short line only at its end.
        $paragraphs = (($lines -join "`n") -split "`n\s*`n") | Where-Object { $_ -match '^    \S' -and $_ -notmatch '(?m)^        ' }
        foreach ($paragraph in $paragraphs) {
            $rows = @($paragraph -split "`n")
            for ($i = 0; $i -lt $rows.Count - 1; $i++) {
                $next = ($rows[$i + 1].Trim() -split ' ')[0]
                if ($rows[$i + 1] -match '^    \S' -and $rows[$i] -match '^    [^-]' -and $rows[$i + 1] -notmatch '^    - ') {
                    ($rows[$i].Length + 1 + $next.Length) | Should -BeGreaterThan 80 -Because "'$($rows[$i])' has room for '$next'"
                }
            }
        }
    }

    It 'keeps every word of its source' {
        $words = { param($text) @(($text -replace '`', '' -replace '(?m)^#+ ', '') -split '\s+' | Where-Object { $_ }) }
        $shown = & $words (($lines | Where-Object { $_ -ne 'TOPIC' }) -join ' ')
        $written = & $words $source
        ($shown | ForEach-Object { $_.ToUpperInvariant() }) -join ' ' | Should -BeExactly (($written | ForEach-Object { $_.ToUpperInvariant() }) -join ' ')
    }
}

Describe 'GETTING STARTED in about_PtcTools' {
    It 'has the steps of the README walkthrough, which run as tests (Readme.Tests.ps1), line for line' {
        $about = Get-Content (Join-Path $env:PTCTOOLS_REPO 'docs/en-US/about_PtcTools.md')
        $start = [array]::IndexOf($about, '## GETTING STARTED')
        $end = [array]::FindIndex($about, $start + 1, [Predicate[string]] { param($l) $l.StartsWith('## ') })
        $code = @($about[($start + 1)..($end - 1)] | Where-Object { $_ -match '^    \s*\S' } | ForEach-Object { $_.Substring(4) })
        $readme = Get-Content (Join-Path $env:PTCTOOLS_REPO 'README.md')
        $start = [array]::IndexOf($readme, '## Try it without AWS: from a clone to a pushed policy')
        $end = [array]::FindIndex($readme, $start + 1, [Predicate[string]] { param($l) $l.StartsWith('## ') })
        $walkthrough = @(); $inCode = $false
        foreach ($line in $readme[($start + 1)..($end - 1)]) {
            if ($line -match '^```') { $inCode = -not $inCode; continue }
            if ($inCode) { $walkthrough += $line }
        }
        $code | Should -Be $walkthrough
    }
}
