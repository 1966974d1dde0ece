using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
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

    // Issue 10, item 6: every way of passing a policy gives the same answer, its scope included.
    private const string BeyondV1 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Pull\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"*\"}]}";
    private const string WithinV1 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Create\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"},\"Action\":\"ecr:CreateRepository\",\"Resource\":\"*\"}]}";

    public static IEnumerable<object[]> WaysToPassAPolicy() => new[]
    {
        new object[] { "-Policy $p", "Test-PtcPermission -Policy $p -Principal $principal -Action $action -Resource $repository" },
        new object[] { "$p | ...", "$p | Test-PtcPermission -Principal $principal -Action $action -Resource $repository" },
        new object[] { "-Policy with a deserialized copy", "Test-PtcPermission -Policy ([System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($p))) -Principal $principal -Action $action -Resource $repository" },
        new object[] { "a deserialized copy piped", "[System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($p)) | Test-PtcPermission -Principal $principal -Action $action -Resource $repository" },
        new object[] { "PolicyText and Scope on a piped request", "[pscustomobject]@{ PolicyText = $p.PolicyText; Scope = $p.Scope; Principal = $principal; Action = $action; Resource = $repository } | Test-PtcPermission" },
    };

    [Theory]
    [MemberData(nameof(WaysToPassAPolicy))]
    public void A_V1_policy_is_refused_for_an_action_beyond_V1_however_it_is_passed(string how, string call)
    {
        var (output, errors) = _host.Run("$p = $text | ConvertFrom-PtcRegistryPolicy; $p.Scope = 'V1'; " + call,
            new Dictionary<string, object?> { ["text"] = BeyondV1, ["principal"] = Principal, ["action"] = "ecr:BatchGetImage", ["repository"] = Repository });
        Assert.True(output.Count == 0, how);
        var error = Assert.Single(errors);
        Assert.StartsWith("PolicyInvalidForEvaluation,", error.FullyQualifiedErrorId, System.StringComparison.Ordinal);
        Assert.Contains("[PTC012]", error.Exception.Message, System.StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(WaysToPassAPolicy))]
    public void A_V1_policy_gives_the_same_decision_and_reason_however_it_is_passed(string how, string call)
    {
        var (output, errors) = _host.Run("$p = $text | ConvertFrom-PtcRegistryPolicy; $p.Scope = 'V1'; " + call + " -IdentityPolicy $identity",
            new Dictionary<string, object?> { ["text"] = WithinV1, ["principal"] = Principal, ["action"] = "ecr:BatchGetImage", ["repository"] = Repository, ["identity"] = IdentityAllowAll });
        Assert.True(errors.Count == 0, how + ": " + string.Join("; ", errors));
        var result = Assert.IsType<PtcPermissionResult>(Assert.Single(output).BaseObject);
        Assert.Equal(PermissionDecision.Allowed, result.Decision);
        Assert.Contains("Under the V1 registry policy scope the registry policy does not govern ecr:BatchGetImage", result.Reason, System.StringComparison.Ordinal);
    }

    private const string IdentityAllowAll = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}";

    [Fact]
    public void Each_result_carries_the_piped_request_or_its_Id_and_none_without_a_pipeline()
    {
        var (output, errors) = _host.Run(
            "[pscustomobject]@{ Id = 'first'; Principal = $principal; Resource = $repository; Action = 'ecr:CreateRepository' }, [pscustomobject]@{ Principal = $principal; Resource = $repository; Action = 'ecr:CreateRepository'; Note = 'no id' } | Test-PtcPermission -Policy $policy; " +
            "Test-PtcPermission -Policy $policy -Principal $principal -Action ecr:CreateRepository -Resource $repository",
            new Dictionary<string, object?> { ["policy"] = Policy, ["principal"] = Principal, ["repository"] = Repository });
        Assert.Empty(errors);
        var results = output.Select(o => (PtcPermissionResult)o.BaseObject).ToArray();
        Assert.Equal(3, results.Length);
        Assert.Equal("first", results[0].Request);
        Assert.Equal("no id", Assert.IsType<PSObject>(results[1].Request).Properties["Note"].Value);
        Assert.Null(results[2].Request);
    }

    [Fact]
    public void A_policy_refused_for_one_piped_request_is_an_error_whose_target_is_that_request_and_the_others_go_on()
    {
        var bad = Policy.Replace("\"Resource\":\"*\"", "\"Resource\":\"*\",\"Condition\":{\"stringequals\":{\"aws:PrincipalAccount\":\"111122223333\"}}");
        var (output, errors) = _host.Run(
            "[pscustomobject]@{ Id = 'a'; PolicyText = $policy; Principal = $principal; Resource = $repository }, [pscustomobject]@{ Id = 'b'; PolicyText = $bad; Principal = $principal; Resource = $repository }, [pscustomobject]@{ Id = 'c'; PolicyText = $policy; Principal = $principal; Resource = $repository } | Test-PtcPermission -Action ecr:CreateRepository",
            new Dictionary<string, object?> { ["policy"] = Policy, ["bad"] = bad, ["principal"] = Principal, ["repository"] = Repository });
        Assert.Equal(new object?[] { "a", "c" }, output.Select(o => ((PtcPermissionResult)o.BaseObject).Request).ToArray());
        var error = Assert.Single(errors);
        Assert.StartsWith("PolicyInvalidForEvaluation,", error.FullyQualifiedErrorId, System.StringComparison.Ordinal);
        Assert.Equal("b", ((PSObject)error.TargetObject).Properties["Id"].Value);
    }

    public void Dispose() => _host.Dispose();
}
