using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;
using Xunit;

namespace PtcTools.Tests;

public sealed class TestPtcPermissionBindingTests : System.IDisposable
{
    private const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Ci\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"},\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}";
    private const string Principal = "arn:aws:iam::111122223333:role/ci";
    private const string Repository = "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx";
    private readonly PowerShellHost _host = new();

    [Theory]
    [InlineData("Test-PtcPermission -Policy $policy -Principal $principal -Action ecr:CreateRepository -Resource $repository", "named parameters")]
    [InlineData("Test-PtcPermission $principal ecr:CreateRepository $repository -Policy $policy", "positions 0, 1 and 2")]
    [InlineData("[pscustomobject]@{ Principal = $principal; Action = 'ecr:CreateRepository'; Resource = $repository } | Test-PtcPermission -Policy $policy", "Principal, Action and Resource by property name")]
    [InlineData("[pscustomobject]@{ PolicyText = $policy; Principal = $principal; Action = 'ecr:CreateRepository'; Resource = $repository } | Test-PtcPermission", "PolicyText by property name")]
    [InlineData("'{\"principal\":\"' + $principal + '\",\"action\":\"ecr:CreateRepository\",\"resource\":\"' + $repository + '\",\"context\":{\"aws:SourceIp\":\"10.0.0.1\"}}' | ConvertFrom-Json | Test-PtcPermission -Policy $policy", "a ConvertFrom-Json request")]
    [InlineData("[pscustomobject]@{ Principal = $principal; Action = 'ecr:CreateRepository'; Resource = $repository; IdentityPolicies = @() } | Test-PtcPermission -Policy ($policy | ConvertFrom-PtcRegistryPolicy)", "a PtcRegistryPolicy and empty IdentityPolicies")]
    public void Binds_a_request_from(string script, string how)
    {
        var (output, errors) = _host.Run(script, new Dictionary<string, object?> { ["policy"] = Policy, ["principal"] = Principal, ["repository"] = Repository });
        Assert.True(errors.Count == 0, how + ": " + string.Join("; ", errors.Select(e => e.ToString())));
        var result = Assert.IsType<PtcPermissionResult>(Assert.Single(output).BaseObject);
        Assert.Equal(PermissionDecision.Allowed, result.Decision);
        Assert.Equal("Ci", Assert.Single(result.MatchedStatements).Sid);
    }

    [Fact]
    public void Each_pipeline_object_is_its_own_request()
    {
        var (output, errors) = _host.Run(
            "@([pscustomobject]@{ Principal = $principal; Resource = $repository }, [pscustomobject]@{ Principal = 'arn:aws:iam::111122223333:role/other'; Resource = $repository }) | Test-PtcPermission -Policy $policy",
            new Dictionary<string, object?> { ["policy"] = Policy, ["principal"] = Principal, ["repository"] = Repository });
        Assert.Empty(errors);
        var decisions = output.Select(o => ((PtcPermissionResult)o.BaseObject).Decision).ToArray();
        Assert.Equal(new[] { PermissionDecision.Allowed, PermissionDecision.Allowed, PermissionDecision.ImplicitDeny, PermissionDecision.ImplicitDeny }, decisions);
    }

    [Fact]
    public void A_request_without_a_principal_is_refused_by_the_binder()
    {
        var (output, errors) = _host.Run("[pscustomobject]@{ Resource = $repository } | Test-PtcPermission -Policy $policy", new Dictionary<string, object?> { ["policy"] = Policy, ["repository"] = Repository });
        Assert.Empty(output);
        Assert.Contains(errors, e => e.FullyQualifiedErrorId.StartsWith("InputObjectMissingMandatory", System.StringComparison.Ordinal));
    }

    public void Dispose() => _host.Dispose();
}
