using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace PtcTools.Policy.Tests;

/// <summary>Locates test data copied next to the test assembly.</summary>
internal static class TestFiles
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "TestData");

    public static string Read(params string[] parts) => File.ReadAllText(Path.Combine(new[] { Root }.Concat(parts).ToArray()));

    public static IEnumerable<object[]> Examples() =>
        Directory.GetFiles(Path.Combine(Root, "examples"), "*.json").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    /// <summary>Removes white space outside strings: the compact form of well-formed JSON text.</summary>
    public static string StripWhitespace(string json)
    {
        var sb = new StringBuilder(json.Length);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\') { sb.Append(json[++i]); }
                else if (c == '"') { inString = false; }
            }
            else if (c == '"') { inString = true; sb.Append(c); }
            else if (!char.IsWhiteSpace(c)) { sb.Append(c); }
        }

        return sb.ToString();
    }
}
