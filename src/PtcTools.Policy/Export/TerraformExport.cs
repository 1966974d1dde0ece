using System.Collections.Generic;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Rollout;

namespace PtcTools.Policy.Export;

/// <summary>How Terraform reaches one account and Region: the provider alias and, for another account, the role to assume.</summary>
public sealed class TerraformTarget
{
    /// <summary>Creates a target.</summary>
    public TerraformTarget(TargetMerge merge, string? roleArn, string? sessionName, string? externalId)
    {
        Merge = merge;
        RoleArn = roleArn;
        SessionName = sessionName;
        ExternalId = externalId;
    }

    /// <summary>The merge of the plan into the target's live policy.</summary>
    public TargetMerge Merge { get; }

    /// <summary>The role to assume, or null for the credentials' own account.</summary>
    public string? RoleArn { get; }

    /// <summary>The role session name.</summary>
    public string? SessionName { get; }

    /// <summary>The external id.</summary>
    public string? ExternalId { get; }

    /// <summary>The provider alias: <c>a111122223333_us_east_1</c>.</summary>
    public string Alias => "a" + Merge.Registry.AccountId + "_" + Merge.Registry.Region.Replace('-', '_');
}

/// <summary>
/// A Terraform JSON configuration (<c>*.tf.json</c>) with one aliased <c>aws</c> provider and one
/// <c>aws_ecr_registry_policy</c> per account and Region, each holding the whole merged document (the resource replaces
/// the policy whole, and destroying it deletes every statement, so it is protected with prevent_destroy).
/// </summary>
public static class TerraformExport
{
    /// <summary>The configuration's JSON text.</summary>
    public static string Write(IReadOnlyList<TerraformTarget> targets)
    {
        var providers = new JArray();
        var policies = new JObject();
        foreach (var target in targets)
        {
            var provider = new JObject { ["alias"] = target.Alias, ["region"] = target.Merge.Registry.Region };
            if (target.RoleArn is not null)
            {
                var role = new JObject { ["role_arn"] = target.RoleArn };
                if (target.SessionName is not null)
                {
                    role["session_name"] = target.SessionName;
                }

                if (target.ExternalId is not null)
                {
                    role["external_id"] = target.ExternalId;
                }

                provider["assume_role"] = role;
            }

            providers.Add(provider);
            policies[target.Alias] = new JObject
            {
                ["provider"] = "aws." + target.Alias,
                ["policy"] = EscapeTemplate(target.Merge.Merged.ToCompactJson()),
                ["lifecycle"] = new JObject { ["prevent_destroy"] = true },
            };
        }

        var root = new JObject
        {
            ["provider"] = new JObject { ["aws"] = providers },
            ["resource"] = new JObject { ["aws_ecr_registry_policy"] = policies },
        };
        return root.ToString(Newtonsoft.Json.Formatting.Indented).Replace("\r\n", "\n") + "\n";
    }

    /// <summary>Terraform reads every JSON string as a template: <c>${</c> and <c>%{</c> (policy variables such as <c>${aws:username}</c>) are escaped as <c>$${</c> and <c>%%{</c>.</summary>
    public static string EscapeTemplate(string text) => text.Replace("${", "$${").Replace("%{", "%%{");

    /// <summary>The inverse of <see cref="EscapeTemplate"/>: what Terraform sends to ECR.</summary>
    public static string UnescapeTemplate(string text) => text.Replace("$${", "${").Replace("%%{", "%{");
}
