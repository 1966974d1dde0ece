using PtcTools.Testing;
using Xunit;
using Xunit.Abstractions;

namespace PtcTools.Policy.Tests;

/// <summary>Issue 15 item 5: the net472 build of the tests runs on a .NET Framework runtime (Mono here), not on .NET.</summary>
public class NetFrameworkLegTests
{
    private readonly ITestOutputHelper _output;

    public NetFrameworkLegTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Each_build_runs_on_the_runtime_it_targets()
    {
        _output.WriteLine(TargetPlatform.Describe());
        var coreLibrary = typeof(object).Assembly.GetName().Name;

        // mscorlib is the core library of the .NET Framework and of Mono; .NET's is System.Private.CoreLib.
        Assert.Equal(TargetPlatform.IsNetFramework ? "mscorlib" : "System.Private.CoreLib", coreLibrary);
        Assert.Equal(TargetPlatform.IsNetFramework, FipsSafeHash.UsesCryptoServiceProviders);
    }
}
