using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using PtcTools.Policy;
using Xunit;

namespace PtcTools.Tests;

/// <summary>
/// PowerShell stays in the cmdlet layer (issue 16 item 4): no text the Policy or AWS layer builds names a parameter
/// (-Force, -Region) or a cmdlet (Get-PtcRegistryPolicy, Set-DefaultAWSRegion). Those layers give a <see cref="Remedy"/>,
/// and the module words it, with names a test holds to the module's cmdlets.
/// </summary>
public sealed class CmdletWordsTests
{
    // A parameter as a user types it: a dash at the start of a word, then a PascalCase name (not x-amz-date, not -1).
    private static readonly Regex s_parameter = new(@"(?<![\w-])-[A-Z][A-Za-z]+\b", RegexOptions.CultureInvariant);

    // A cmdlet name: an approved verb, a dash, a noun (Get-PtcRegistryPolicy, Set-AWSCredential).
    private static readonly Regex s_cmdlet = new(@"\b(?:" + string.Join("|", ApprovedVerbs()) + @")-[A-Z][A-Za-z0-9]+\b", RegexOptions.CultureInvariant);

    // Cmdlets of other modules a remedy may name: the AWS.Tools ways to set a session's Region and credentials.
    private static readonly string[] s_otherModules = { "Set-DefaultAWSRegion", "Set-AWSCredential" };


    [Fact]
    public void The_policy_and_aws_layers_name_no_cmdlet_and_no_parameter()
    {
        var found = new List<string>();
        foreach (var project in new[] { "PtcTools.Policy", "PtcTools.Aws" })
        {
            var folder = Path.Combine(RepositoryRoot.Path, "src", project);
            var sep = Path.DirectorySeparatorChar;
            var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(sep + "obj" + sep) && !f.Contains(sep + "bin" + sep))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
            Assert.True(files.Count > 20, $"only {files.Count} sources found in {folder}");
            foreach (var file in files)
            {
                var relative = file.Substring(RepositoryRoot.Path.Length + 1).Replace('\\', '/');
                found.AddRange(PowerShellNames(File.ReadAllText(file)).Select(hit => $"{relative}:{hit}"));
            }
        }

        Assert.True(found.Count == 0, "Cmdlet or parameter names in text the Policy or AWS layer builds (give a Remedy instead):" + Environment.NewLine + string.Join(Environment.NewLine, found));
    }

    [Theory]
    [InlineData("throw new PolicyException(ErrorIds.StatementSidConflict, PolicyErrorKind.ResourceExists, \"Use -Force to replace it.\");", "-Force")]
    [InlineData("var m = $\"{store} changed. Read it again with Get-PtcRegistryPolicy.\";", "Get-PtcRegistryPolicy")]
    [InlineData("var m = @\"Pass -Region, or \"\"quote\"\" it\";", "-Region")]
    [InlineData("var m = $\"{(force ? \"-Force\" : string.Empty)} was given\";", "-Force")]
    [InlineData("var m = \"No Region. \" +\n    \"Run Set-DefaultAWSRegion.\";", "Set-DefaultAWSRegion")]
    [InlineData("var m = $@\"{a} needs -JournalPath\";", "-JournalPath")]
    [InlineData("var m = \"(-RegistryId)\";", "-RegistryId")]
    [InlineData("var m = \"a \\\"quoted\\\" -TrustedAccount\";", "-TrustedAccount")]
    [InlineData("var m = $\"{Describe(\"x\")} has {{-Force}} in braces\";", "-Force")]
    public void The_scan_finds_a_name_in_any_kind_of_string(string source, string expected)
    {
        Assert.Contains(PowerShellNames(source), hit => hit.EndsWith(": " + expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("// Use -Force to replace it (Get-PtcRegistryPolicy)")]
    [InlineData("/// <summary>What -Force means to Set-PtcRegistryPolicy.</summary>")]
    [InlineData("/* -Region */ var region = \"us-east-1\";")]
    [InlineData("var url = \"https://ecr.us-east-1.amazonaws.example/\"; // -Force after a URL is a comment")]
    [InlineData("var header = \"x-amz-date\"; var algorithm = \"AWS4-HMAC-SHA256\"; var n = \"-1\";")]
    [InlineData("var quote = '\"'; var text = \"read-only, not the -force of a word\"; var dash = '-';")]
    [InlineData("var m = $\"{Describe(\"x\", new[] { 1 })} is {{fine}}\".Length > 0 ? 1 : 0; // -Force")]
    public void The_scan_passes_comments_and_words_that_are_not_names(string source)
    {
        Assert.Empty(PowerShellNames(source));
    }

    [Fact]
    public void Every_remedy_has_words_that_name_what_the_module_has()
    {
        var cmdlets = typeof(ErrorRecords).Assembly.GetTypes()
            .Select(t => t.GetCustomAttribute<CmdletAttribute>() is { } a ? (Type: t, Name: a.VerbName + "-" + a.NounName) : default)
            .Where(c => c.Type is not null)
            .ToList();
        Assert.True(cmdlets.Count >= 15, $"only {cmdlets.Count} cmdlets found");
        var parameters = new HashSet<string>(
            cmdlets.SelectMany(c => c.Type.GetProperties())
                .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any())
                .SelectMany(p => new[] { p.Name }.Concat(p.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? Array.Empty<string>())),
            StringComparer.OrdinalIgnoreCase);
        var known = new HashSet<string>(cmdlets.Select(c => c.Name).Concat(s_otherModules), StringComparer.OrdinalIgnoreCase);

        var remedies = Enum.GetValues(typeof(Remedy)).Cast<Remedy>().Where(r => r != Remedy.None).ToList();
        Assert.Null(ErrorRecords.RecommendedAction(Remedy.None));
        var words = remedies.ToDictionary(r => r, r => ErrorRecords.RecommendedAction(r));
        Assert.All(words, pair => Assert.False(string.IsNullOrWhiteSpace(pair.Value), $"{pair.Key} has no words"));
        Assert.Equal(remedies.Count, words.Values.Distinct(StringComparer.Ordinal).Count());
        foreach (var (remedy, text) in words)
        {
            foreach (Match m in s_parameter.Matches(text!))
            {
                Assert.True(parameters.Contains(m.Value.Substring(1)), $"{remedy} names {m.Value}, which no cmdlet of the module has: {text}");
            }

            foreach (Match m in s_cmdlet.Matches(text!))
            {
                Assert.True(known.Contains(m.Value), $"{remedy} names {m.Value}, which is not a cmdlet of the module: {text}");
            }
        }
    }

    /// <summary>Each parameter or cmdlet name in the string literals of a C# source (comments are not text a user sees), as "line: name".</summary>
    internal static List<string> PowerShellNames(string source)
    {
        var hits = new List<string>();
        foreach (var (line, text) in StringLiterals(source))
        {
            hits.AddRange(s_parameter.Matches(text).Cast<Match>().Concat(s_cmdlet.Matches(text).Cast<Match>()).Select(m => $"{line}: {m.Value}"));
        }

        return hits;
    }

    /// <summary>The text of each string literal (the literal parts of an interpolated one) with the line it starts on.</summary>
    internal static List<(int Line, string Text)> StringLiterals(string source)
    {
        var literals = new List<(int, string)>();
        var i = 0;
        ReadCode(source, ref i, literals, inHole: false);
        return literals;
    }

    // Code until the end (or, in an interpolation hole, the closing brace): skips comments and char literals, reads strings.
    private static void ReadCode(string s, ref int i, List<(int, string)> literals, bool inHole)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '/' && At(s, i + 1, '/'))
            {
                while (i < s.Length && s[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && At(s, i + 1, '*'))
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? s.Length : end + 2;
            }
            else if (c == '\'')
            {
                // A char literal: '"', '\'', '\\', 'x'.
                i++;
                while (i < s.Length && s[i] != '\'')
                {
                    i += s[i] == '\\' ? 2 : 1;
                }

                i++;
            }
            else if (c == '"' || ((c == '$' || c == '@') && (At(s, i + 1, '"') || (At(s, i + 1, '$') || At(s, i + 1, '@')) && At(s, i + 2, '"'))))
            {
                ReadString(s, ref i, literals);
            }
            else if (inHole && c == '{')
            {
                depth++;
                i++;
            }
            else if (inHole && c == '}')
            {
                if (depth-- == 0)
                {
                    i++;
                    return;
                }

                i++;
            }
            else
            {
                i++;
            }
        }
    }

    private static void ReadString(string s, ref int i, List<(int, string)> literals)
    {
        var start = i;
        var interpolated = false;
        var verbatim = false;
        while (s[i] != '"')
        {
            interpolated |= s[i] == '$';
            verbatim |= s[i] == '@';
            i++;
        }

        i++;
        var line = s.Take(start).Count(ch => ch == '\n') + 1;
        var text = new StringBuilder();
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '"')
            {
                if (verbatim && At(s, i + 1, '"'))
                {
                    text.Append('"');
                    i += 2;
                    continue;
                }

                i++;
                break;
            }

            if (!verbatim && c == '\\' && i + 1 < s.Length)
            {
                text.Append(s[i + 1] == '"' ? '"' : ' ');
                i += 2;
            }
            else if (interpolated && c == '{' && At(s, i + 1, '{'))
            {
                text.Append('{');
                i += 2;
            }
            else if (interpolated && c == '}' && At(s, i + 1, '}'))
            {
                text.Append('}');
                i += 2;
            }
            else if (interpolated && c == '{')
            {
                // A hole is code, whose own literals are read on their own; in the text it stands as a blank.
                i++;
                text.Append(' ');
                ReadCode(s, ref i, literals, inHole: true);
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        literals.Add((line, text.ToString()));
    }

    private static bool At(string s, int i, char c) => i < s.Length && s[i] == c;

    private static IEnumerable<string> ApprovedVerbs() =>
        new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic), typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .OrderByDescending(v => v.Length);
}
