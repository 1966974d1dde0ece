BeforeAll {
    Import-Module $env:PTCTOOLS_MODULE -Force
}

Describe 'about_PtcTools' {
    It 'is shown by Get-Help with the concepts a user needs' {
        $text = Get-Help about_PtcTools | Out-String
        foreach ($heading in 'ONE REGISTRY POLICY PER REGION', 'PULL THROUGH CACHE PREFIXES AND ROOT', 'REGISTRY POLICY SCOPE: V1 AND V2', 'HOW DECISIONS ARE MADE', 'SAFE WRITES') {
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
