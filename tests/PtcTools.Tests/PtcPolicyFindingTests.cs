using System;
using System.IO;
using Xunit;

namespace PtcTools.Tests;

/// <summary>Issue 15 item 4: the shipped rule page is found beside the assembly, and an assembly without a location has none.</summary>
public sealed class PtcPolicyFindingTests
{
    [Fact]
    public void An_assembly_loaded_without_a_location_has_no_shipped_rule_page()
    {
        // Assembly.Location is "" for an assembly loaded from bytes; the .NET Framework's GetDirectoryName("") throws.
        Assert.Null(PtcPolicyFinding.ShippedPage("PTC001", string.Empty));
        Assert.Null(PtcPolicyFinding.ShippedPage("PTC001", null));
    }

    [Fact]
    public void The_rule_page_beside_the_assembly_is_found()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ptctools-rules-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "rules"));
        try
        {
            File.WriteAllText(Path.Combine(folder, "rules", "PTC001.md"), "# PTC001");
            Assert.Equal(Path.Combine(folder, "rules", "PTC001.md"), PtcPolicyFinding.ShippedPage("PTC001", Path.Combine(folder, "PtcTools.dll")));
            Assert.Null(PtcPolicyFinding.ShippedPage("PTC999", Path.Combine(folder, "PtcTools.dll")));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
