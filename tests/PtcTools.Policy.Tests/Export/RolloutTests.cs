using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Export;
using PtcTools.Policy.Model;
using PtcTools.Policy.Rollout;
using Xunit;

namespace PtcTools.Policy.Tests.Export;

public sealed class RolloutTests
{
    internal const string Ci = "{\"Sid\":\"CiPull\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}";

    internal static string Team(string account, string region, string sid = "TeamReplication") =>
        "{\"Sid\":\"" + sid + "\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"arn:aws:ecr:" + region + ":" + account + ":repository/*\"}";

    internal static PolicyDocument Live(params string[] statements) => PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + string.Join(",", statements) + "]}");

    [Theory]
    [InlineData("444455556666", "eu-west-1", "arn:aws:ecr:eu-west-1:444455556666:repository/ecr-public/*")]
    [InlineData("444455556666", "cn-north-1", "arn:aws-cn:ecr:cn-north-1:444455556666:repository/ecr-public/*")]
    [InlineData("444455556666", "us-gov-west-1", "arn:aws-us-gov:ecr:us-gov-west-1:444455556666:repository/ecr-public/*")]
    public void Placing_a_statement_moves_its_repository_ARNs_into_the_registry_and_keeps_its_principal(string account, string region, string resource)
    {
        var placed = RegistryPlacement.Place(PolicyStatement.Parse(Ci), new RegistryIdentity(account, region));
        Assert.Equal(resource, placed.Resource.Single());
        Assert.Equal("arn:aws:iam::111122223333:role/ci", placed.Principal.Single().Value);
    }

    [Fact]
    public void Placeholders_are_filled_anywhere_and_a_policy_variable_is_left_alone()
    {
        var statement = PolicyStatement.Parse("{\"Sid\":\"Own\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"arn:aws:ecr:${AWS::Region}:${AWS::AccountId}:repository/${aws:username}/*\"}");
        var placed = RegistryPlacement.Place(statement, new RegistryIdentity("444455556666", "eu-west-1"));
        Assert.Equal("arn:aws:iam::444455556666:root", placed.Principal.Single().Value);
        Assert.Equal("arn:aws:ecr:eu-west-1:444455556666:repository/${aws:username}/*", placed.Resource.Single());
    }

    [Fact]
    public void Generalizing_makes_only_the_registrys_own_ARNs_placeholders_and_placing_undoes_it()
    {
        var registry = new RegistryIdentity("444455556666", "eu-west-1");
        var own = PolicyStatement.Parse(Team("444455556666", "eu-west-1"));
        var other = PolicyStatement.Parse(Team("444455556666", "us-east-1"));
        var general = RegistryPlacement.Generalize(own, registry);
        Assert.Equal("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*", general.Resource.Single());
        Assert.Equal(other.ToCompactJson(), RegistryPlacement.Generalize(other, registry).ToCompactJson());
        Assert.Equal(own.ToCompactJson(), RegistryPlacement.Place(general, registry).ToCompactJson());
    }

    [Fact]
    public void Drift_names_missing_changed_and_foreign_statements()
    {
        var registry = new RegistryIdentity("444455556666", "eu-west-1");
        var changedCi = Ci.Replace("role/ci", "role/old-ci");
        var missing = Ci.Replace("CiPull", "CiPullQuay").Replace("ecr-public", "quay");
        var merge = TargetMerge.Compute(registry, Live(changedCi, Team("444455556666", "eu-west-1")), new[] { PolicyStatement.Parse(Ci), PolicyStatement.Parse(missing) }, force: true);
        Assert.False(merge.InSync);
        Assert.Equal(new[] { DriftKind.Changed, DriftKind.Missing, DriftKind.Foreign }, merge.Drift.Select(d => d.Kind).ToArray());
        Assert.Equal(new[] { "CiPull", "CiPullQuay", "TeamReplication" }, merge.Drift.Select(d => d.Sid));
        Assert.Equal(new[] { "CiPull", "TeamReplication", "CiPullQuay" }, merge.Merged.Statements.Select(s => s.Sid));
    }

    [Fact]
    public void A_changed_statement_is_a_conflict_without_force_when_merged()
    {
        var merge = TargetMerge.Compute(new RegistryIdentity("444455556666", "eu-west-1"), Live(Ci.Replace("role/ci", "role/old-ci")), new[] { PolicyStatement.Parse(Ci) }, force: false);
        Assert.Equal("StatementSidConflict", Assert.Throws<PolicyException>(() => merge.Merged).ErrorId);
    }

    [Fact]
    public void An_intended_statement_already_there_is_in_sync_whatever_registry_it_was_built_for()
    {
        var registry = new RegistryIdentity("444455556666", "eu-west-1");
        var live = Live(RegistryPlacement.Place(PolicyStatement.Parse(Ci), registry).ToCompactJson());
        var merge = TargetMerge.Compute(registry, live, new[] { PolicyStatement.Parse(Ci) }, force: false);
        Assert.True(merge.InSync);
        Assert.Equal(live.ToCompactJson(), merge.Merged.ToCompactJson());
    }

    internal static StackSetTemplate Template(out IReadOnlyList<TargetMerge> merges)
    {
        var intended = new[] { PolicyStatement.Parse(Ci) };
        var registries = new[] { new RegistryIdentity("444455556666", "us-east-1"), new RegistryIdentity("444455556666", "eu-west-1"), new RegistryIdentity("777788889999", "us-east-1") };
        var lives = new[]
        {
            Live(Team("444455556666", "us-east-1")),
            Live(Team("444455556666", "eu-west-1"), "{\"Sid\":\"Audit\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:role/${aws:username}\"},\"Action\":\"ecr:DescribeImages\",\"Resource\":\"*\"}"),
            null,
        };
        merges = registries.Select((r, i) => TargetMerge.Compute(r, lives[i], intended, force: false)).ToList();
        return StackSetTemplate.Build(intended, merges, "test");
    }

    [Fact]
    public void The_template_keeps_each_teams_statement_only_where_it_was_found()
    {
        var template = Template(out var merges);
        var parameters = (JObject)template.Template["Parameters"]!;
        Assert.Equal(new[] { "KeepTeamReplication", "KeepAudit" }, parameters.Properties().Select(p => p.Name));
        Assert.Equal(new[] { "true", "false" }, template.Instances[0].ParameterOverrides.Select(p => p.Value));
        Assert.Equal(new[] { "true", "true" }, template.Instances[1].ParameterOverrides.Select(p => p.Value));
        Assert.Equal(new[] { "false", "false" }, template.Instances[2].ParameterOverrides.Select(p => p.Value));
        for (var i = 0; i < merges.Count; i++)
        {
            // What CloudFormation resolves for each instance is that instance's merge, statement for statement.
            Assert.Equal(merges[i].Merged.Statements.Select(s => s.ToCompactJson()).OrderBy(s => s), template.Instances[i].Resolved.Statements.Select(s => s.ToCompactJson()).OrderBy(s => s));
        }
    }

    [Fact]
    public void The_template_owns_the_policy_with_retain_and_substitutes_the_pseudo_parameters()
    {
        var resource = (JObject)Template(out _).Template["Resources"]!["RegistryPolicy"]!;
        Assert.Equal("AWS::ECR::RegistryPolicy", (string?)resource["Type"]);
        Assert.Equal("Retain", (string?)resource["DeletionPolicy"]);
        Assert.Equal("Retain", (string?)resource["UpdateReplacePolicy"]);
        var statements = (JArray)resource["Properties"]!["PolicyText"]!["Statement"]!;
        Assert.Equal("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/ecr-public/*", (string?)statements.Last()["Resource"]!["Fn::Sub"]);
    }

    [Fact]
    public void A_policy_variable_stays_literal_in_the_template()
    {
        var template = Template(out _);
        var audit = template.Instances[1].Resolved.Statements.Single(s => s.Sid == "Audit");
        Assert.Equal("arn:aws:iam::999988887777:role/${aws:username}", audit.Principal.Single().Value);
        // Not inside Fn::Sub, where CloudFormation would read ${aws:username} as its own variable.
        Assert.DoesNotContain("Fn::Sub\":\"arn:aws:iam::999988887777:role/${aws", template.ToJson().Replace(" ", string.Empty).Replace("\n", string.Empty));
    }

    [Fact]
    public void A_policy_variable_inside_a_substituted_string_is_escaped_for_Fn_Sub()
    {
        var intended = new[] { PolicyStatement.Parse("{\"Sid\":\"Mine\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}/*\"}") };
        var registry = new RegistryIdentity("444455556666", "eu-west-1");
        var template = StackSetTemplate.Build(intended, new[] { TargetMerge.Compute(registry, null, intended, false) }, "test");
        Assert.Contains("repository/${!aws:username}/*", template.ToJson());
        Assert.Equal("arn:aws:ecr:eu-west-1:444455556666:repository/${aws:username}/*", template.Instances[0].Resolved.Statements.Single().Resource.Single());
    }

    [Fact]
    public void More_kept_statements_than_CloudFormation_takes_parameters_are_refused()
    {
        // CloudFormation User Guide, quotas (cloudformation-limits.html): a template declares at most 200 parameters,
        // and every other team's statement is one Keep parameter.
        var intended = new[] { PolicyStatement.Parse(Ci) };
        IReadOnlyList<TargetMerge> Merges(int count) => Enumerable.Range(1, count).Select(i =>
        {
            var registry = new RegistryIdentity((300000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "us-east-1");
            return TargetMerge.Compute(registry, Live(Team(registry.AccountId, "us-east-1", "Team" + i)), intended, force: false);
        }).ToList();
        Assert.Equal(200, ((JObject)StackSetTemplate.Build(intended, Merges(200), "test").Template["Parameters"]!).Count);
        var refused = Assert.Throws<PolicyException>(() => StackSetTemplate.Build(intended, Merges(201), "test"));
        Assert.Equal("ExportTooManyParameters", refused.ErrorId);
        Assert.Equal(PolicyErrorKind.LimitsExceeded, refused.Kind);
    }

    [Fact]
    public void The_length_is_checked_after_substitution_for_each_instance()
    {
        var template = Template(out _);
        Assert.All(template.Instances, i => Assert.Equal(i.Resolved.CompactLength, i.Length));
        // A longer Region name makes a longer policy: the check is per instance, not on the template's text.
        Assert.True(template.Instances[1].Length > template.Instances[0].Length);
    }

    [Fact]
    public void The_overrides_file_is_what_the_AWS_CLI_reads()
    {
        var overrides = JArray.Parse(Template(out _).Instances[1].OverridesJson());
        Assert.Equal("KeepTeamReplication", (string?)overrides[0]["ParameterKey"]);
        Assert.Equal("true", (string?)overrides[0]["ParameterValue"]);
    }

    [Fact]
    public void The_YAML_template_reads_back_as_the_JSON_template()
    {
        var template = Template(out _);
        Assert.Equal(template.Template.ToString(Newtonsoft.Json.Formatting.None), YamlSubsetReader.Read(template.ToYaml()).ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public void Terraform_gets_one_policy_per_provider_alias_with_the_template_syntax_escaped()
    {
        var _ = Template(out var merges);
        var targets = merges.Select(m => new TerraformTarget(m, "arn:aws:iam::" + m.Registry.AccountId + ":role/OrganizationAccountAccessRole", "PtcTools-test", "ext-1")).ToList();
        var json = JObject.Parse(TerraformExport.Write(targets));
        var providers = (JArray)json["provider"]!["aws"]!;
        Assert.Equal(new[] { "a444455556666_us_east_1", "a444455556666_eu_west_1", "a777788889999_us_east_1" }, providers.Select(p => (string?)p["alias"]));
        Assert.Equal("arn:aws:iam::777788889999:role/OrganizationAccountAccessRole", (string?)providers[2]["assume_role"]!["role_arn"]);
        var policies = (JObject)json["resource"]!["aws_ecr_registry_policy"]!;
        Assert.Equal("aws.a444455556666_eu_west_1", (string?)policies["a444455556666_eu_west_1"]!["provider"]);
        var text = (string)policies["a444455556666_eu_west_1"]!["policy"]!;
        Assert.Contains("role/$${aws:username}", text);
        Assert.Equal(merges[1].Merged.ToCompactJson(), TerraformExport.UnescapeTemplate(text));
        Assert.True((bool)policies["a444455556666_eu_west_1"]!["lifecycle"]!["prevent_destroy"]!);
    }
}

/// <summary>Reads the YAML subset <see cref="YamlWriter"/> writes (block maps and lists, JSON scalars): the round-trip check.</summary>
internal static class YamlSubsetReader
{
    public static JToken Read(string yaml)
    {
        var lines = yaml.Split('\n').Where(l => l.Trim().Length > 0).ToList();
        var index = 0;
        return Block(lines, ref index, 0);
    }

    private static JToken Block(List<string> lines, ref int index, int indent)
    {
        var line = lines[index];
        var body = line.Substring(indent);
        if (body.StartsWith("- ", StringComparison.Ordinal))
        {
            var array = new JArray();
            while (index < lines.Count && Indent(lines[index]) == indent && lines[index].Substring(indent).StartsWith("- ", StringComparison.Ordinal))
            {
                var item = lines[index].Substring(indent + 2);
                if (IsKey(item))
                {
                    // A map that starts on the dash's line: read it as a block two columns in.
                    lines[index] = new string(' ', indent + 2) + item;
                    array.Add(Block(lines, ref index, indent + 2));
                }
                else
                {
                    array.Add(Scalar(item));
                    index++;
                }
            }

            return array;
        }

        var obj = new JObject();
        while (index < lines.Count && Indent(lines[index]) == indent && !lines[index].Substring(indent).StartsWith("- ", StringComparison.Ordinal))
        {
            var text = lines[index].Substring(indent);
            var (key, rest) = SplitKey(text);
            index++;
            obj[key] = rest.Length > 0 ? Scalar(rest) : Block(lines, ref index, Indent(lines[index]));
        }

        return obj;
    }

    private static bool IsKey(string text) => !text.StartsWith("\"", StringComparison.Ordinal) || text.IndexOf("\":", StringComparison.Ordinal) >= 0 && SplitKey(text).Key.Length > 0;

    private static (string Key, string Value) SplitKey(string text)
    {
        if (text.StartsWith("\"", StringComparison.Ordinal))
        {
            var reader = new Newtonsoft.Json.JsonTextReader(new System.IO.StringReader(text));
            reader.Read();
            var key = (string)reader.Value!;
            var after = text.Substring(Newtonsoft.Json.JsonConvert.ToString(key).Length).TrimStart(':').Trim();
            return (key, after);
        }

        var colon = text.IndexOf(": ", StringComparison.Ordinal) is var at and >= 0 ? at : text.Length - 1;
        return (text.Substring(0, colon), colon + 1 < text.Length ? text.Substring(colon + 1).Trim() : string.Empty);
    }

    private static JToken Scalar(string text) => text switch
    {
        "[]" => new JArray(),
        "{}" => new JObject(),
        _ => JToken.Parse(text),
    };

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
}
