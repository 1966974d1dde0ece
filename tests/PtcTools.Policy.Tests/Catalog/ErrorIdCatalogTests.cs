using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace PtcTools.Policy.Tests.Catalog;

/// <summary>
/// The error ids live in one catalog, <see cref="ErrorIds"/> (issue 16 item 2): every constant is documented in
/// about_PtcTools_Errors, every id the page documents is a constant, and no source writes an id as text, so an id
/// cannot reach users without passing through the catalog.
/// </summary>
public class ErrorIdCatalogTests
{
    // An entry's head in the about page: four spaces, then ids separated by commas; its description is indented by eight.
    private static readonly Regex s_head = new(@"^    [A-Z][A-Za-z0-9]+(, [A-Z][A-Za-z0-9]+)*,?$", RegexOptions.CultureInvariant);
    // The ECR table: "    RegistryPolicyNotFoundException" then "        -> RegistryPolicyNotFound (ObjectNotFound)".
    private static readonly Regex s_mapped = new(@"^        -> (?<id>[A-Z][A-Za-z0-9]+) \(", RegexOptions.CultureInvariant);
    private static readonly Regex s_literal = new(@"(?<![\w@$])""(?<text>[A-Za-z0-9]+)""", RegexOptions.CultureInvariant);

    // Where a literal would be an id even if the catalog does not know it: the first argument of an exception (not a
    // PolicyJsonException, whose id is always PolicyJsonInvalid and whose first argument is the reason) or an
    // ErrorRecord, an id beside its kind or category, a comparison with an exception's id, or text added to an id.
    private static readonly Regex[] s_idPositions =
    {
        new(@"new\s+(?:Policy|AwsService|AwsClient|Ecr)Exception\s*\(\s*""", RegexOptions.CultureInvariant),
        new(@"ErrorRecords\.Create\s*\(\s*""", RegexOptions.CultureInvariant),
        new(@"new\s+ErrorRecord\s*\([^;]*?,\s*""[A-Za-z0-9]+""\s*,\s*ErrorCategory\.", RegexOptions.CultureInvariant | RegexOptions.Singleline),
        new(@"""[A-Za-z0-9]+""\s*[,:]\s*(?:PolicyErrorKind|ErrorCategory)\.", RegexOptions.CultureInvariant),
        new(@"ErrorId\s*(?:==|!=|is(?:\s+not)?)\s*""", RegexOptions.CultureInvariant),
        new(@"ErrorId\s*\.\s*(?:StartsWith|EndsWith|Contains)\s*\(", RegexOptions.CultureInvariant),
        new(@"\b(?:ErrorIds\.\w+|[Ii]dPrefix|[Ee]rrorId)\s*\+", RegexOptions.CultureInvariant),
    };

    [Fact]
    public void The_catalog_and_about_PtcTools_Errors_name_the_same_ids()
    {
        var catalog = Catalog();
        var documented = DocumentedIds(File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "docs", "en-US", "about_PtcTools_Errors.md")));
        Assert.True(documented.Count >= 100, $"the page reads as only {documented.Count} ids; its entries are no longer found");
        var undocumented = catalog.Keys.Except(documented, StringComparer.Ordinal).OrderBy(id => id, StringComparer.Ordinal).ToList();
        var unknown = documented.Except(catalog.Keys, StringComparer.Ordinal).OrderBy(id => id, StringComparer.Ordinal).ToList();
        Assert.True(undocumented.Count == 0, "ErrorIds constants not in docs/en-US/about_PtcTools_Errors.md: " + string.Join(", ", undocumented));
        Assert.True(unknown.Count == 0, "Ids documented in about_PtcTools_Errors that are not ErrorIds constants: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Each_constant_is_its_own_name_once()
    {
        // A constant copied under another name would give one failure two ids, or two failures one.
        var catalog = Catalog();
        Assert.All(catalog, pair => Assert.Equal(pair.Key, pair.Value));
        Assert.Equal(catalog.Count, catalog.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void No_source_writes_an_error_id_as_text()
    {
        var catalog = new HashSet<string>(Catalog().Values, StringComparer.Ordinal);
        var found = new List<string>();
        foreach (var file in SourceFiles("*.cs").Where(f => Path.GetFileName(f) != "ErrorIds.cs"))
        {
            found.AddRange(IdsAsText(File.ReadAllText(file), catalog).Select(hit => $"{Relative(file)}:{hit}"));
        }

        Assert.True(found.Count == 0, "Error ids written as text instead of an ErrorIds constant:" + Environment.NewLine + string.Join(Environment.NewLine, found));
    }

    [Fact]
    public void The_one_id_a_script_writes_is_the_catalog_s()
    {
        // PtcTools.Prerequisites.ps1 runs before the module's assemblies load (it refuses an old .NET Framework),
        // so it cannot use the constant; it is the only script that writes an id.
        var catalog = new HashSet<string>(Catalog().Values, StringComparer.Ordinal);
        var quoted = new Regex(@"'(?<text>[A-Z][A-Za-z0-9]+)'", RegexOptions.CultureInvariant);
        var hits = SourceFiles("*.ps1")
            .SelectMany(f => quoted.Matches(File.ReadAllText(f)).Cast<Match>().Where(m => catalog.Contains(m.Groups["text"].Value)).Select(m => $"{Relative(f)}: {m.Groups["text"].Value}"))
            .ToList();
        Assert.Equal(new[] { "PtcTools/Scripts/PtcTools.Prerequisites.ps1: " + ErrorIds.NetFrameworkVersionUnsupported }, hits);
    }

    [Theory]
    [InlineData("throw new PolicyException(\"NoRegion\", PolicyErrorKind.InvalidArgument, \"m\");", "NoRegion")]
    [InlineData("throw new PolicyException(\"BrandNewFailure\", PolicyErrorKind.InvalidArgument, \"m\");", "id position")]
    [InlineData("throw new AwsClientException(\"BrandNewFailure\", PolicyErrorKind.InvalidArgument, \"m\");", "id position")]
    [InlineData("ErrorRecords.Create(\"BrandNewFailure\", ErrorCategory.InvalidArgument, \"m\", null)", "id position")]
    [InlineData("[\"SomeAwsCode\"] = (\"BrandNewFailure\", PolicyErrorKind.ObjectNotFound),", "id position")]
    [InlineData("catch (PolicyException ex) when (ex.ErrorId == \"BrandNewFailure\")", "id position")]
    [InlineData("when (ex.ErrorId.StartsWith(\"Aws\", StringComparison.Ordinal))", "id position")]
    [InlineData("Create(IdPrefix + \"Throttled\", PolicyErrorKind.LimitsExceeded)", "id position")]
    [InlineData("var set = new HashSet<string> { \"IamEntityNotFound\" };", "IamEntityNotFound")]
    public void The_scan_finds_an_id_however_it_is_written(string source, string expected)
    {
        var hits = IdsAsText(source, new HashSet<string>(Catalog().Values, StringComparer.Ordinal));
        Assert.Contains(hits, hit => hit.Contains(expected));
    }

    [Theory]
    [InlineData("throw new PolicyException(ErrorIds.NoRegion, PolicyErrorKind.InvalidArgument, \"No Region was given.\");")]
    [InlineData("[\"RegistryPolicyNotFoundException\"] = (ErrorIds.RegistryPolicyNotFound, PolicyErrorKind.ObjectNotFound),")]
    [InlineData("var text = \"Region\";")]
    public void The_scan_passes_ids_from_the_catalog(string source)
    {
        Assert.Empty(IdsAsText(source, new HashSet<string>(Catalog().Values, StringComparer.Ordinal)));
    }

    [Fact]
    public void One_failure_has_one_id()
    {
        // Region: none given or found; a policy file that exists but cannot be read (issue 16 item 2).
        var catalog = Catalog();
        Assert.Contains(nameof(ErrorIds.NoRegion), catalog.Keys);
        Assert.Contains(nameof(ErrorIds.PolicyFileUnreadable), catalog.Keys);
        foreach (var retired in new[] { "RegionMissing", "RegionRequired", "PolicyFileReadFailed" })
        {
            Assert.DoesNotContain(retired, catalog.Keys);
        }
    }

    /// <summary>The catalog's constants, name to value.</summary>
    internal static Dictionary<string, string> Catalog() =>
        typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!, StringComparer.Ordinal);

    /// <summary>The ids the about page documents: the heads of its entries and the right side of the ECR table.</summary>
    internal static HashSet<string> DocumentedIds(IReadOnlyList<string> lines)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count;)
        {
            if (s_head.IsMatch(lines[i]))
            {
                var head = new List<string>();
                while (i < lines.Count && s_head.IsMatch(lines[i]))
                {
                    head.Add(lines[i++]);
                }

                // A head whose description is "-> Id (Category)" lists AWS error codes, not ids.
                var next = i < lines.Count ? lines[i] : string.Empty;
                if (next.StartsWith("        ", StringComparison.Ordinal) && !next.TrimStart().StartsWith("->", StringComparison.Ordinal))
                {
                    ids.UnionWith(head.SelectMany(h => h.Split(',')).Select(w => w.Trim()).Where(w => w.Length > 0));
                }

                continue;
            }

            if (s_mapped.Match(lines[i]) is { Success: true } mapped)
            {
                ids.Add(mapped.Groups["id"].Value);
            }

            i++;
        }

        return ids;
    }

    /// <summary>Each place in a source text where an id is written as text: a catalog id in quotes, or any text in an id's position.</summary>
    internal static List<string> IdsAsText(string source, ISet<string> catalog)
    {
        var hits = new List<string>();
        foreach (Match m in s_literal.Matches(source))
        {
            if (catalog.Contains(m.Groups["text"].Value))
            {
                hits.Add($"{Line(source, m.Index)}: \"{m.Groups["text"].Value}\"");
            }
        }

        foreach (var position in s_idPositions)
        {
            foreach (Match m in position.Matches(source))
            {
                hits.Add($"{Line(source, m.Index)}: id position: {m.Value.Trim()}");
            }
        }

        return hits;
    }

    private static int Line(string text, int index) => text.Take(index).Count(c => c == '\n') + 1;

    private static IEnumerable<string> SourceFiles(string pattern)
    {
        var sep = Path.DirectorySeparatorChar;
        return Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src"), pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains(sep + "obj" + sep) && !f.Contains(sep + "bin" + sep))
            .OrderBy(f => f, StringComparer.Ordinal);
    }

    private static string Relative(string file) =>
        file.Substring(Path.Combine(RepositoryRoot.Path, "src").Length + 1).Replace('\\', '/');
}
