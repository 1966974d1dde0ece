using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Lint;

/// <summary>Issue 11: each check of IAM Access Analyzer's policy check reference (and parliament's list) that applies to a registry policy is found, with its issue code, and names its statement and element.</summary>
public class AccessAnalyzerCheckTests
{
    private const string Page = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html";
    private const string PtcActions = "'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'";
    private const string Ptc = "'Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'";

    public static IEnumerable<object[]> Checks() => new[]
    {
        Row("PTC110", "INVALID_GLOBAL_CONDITION_KEY", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:PrincipalOrgIdentifier':'o-a1b2c3d4e5'}}}"),
        Row("PTC110", "INVALID_SERVICE_CONDITION_KEY", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'ecr:RepositoryName':'web'}}}"),
        Row("PTC111", "INVALID_CONDITION_KEY_FORMAT", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'PrincipalOrgID':'o-a1b2c3d4e5'}}}"),
        Row("PTC111", "MISSING_TAG_KEY_IN_CONDITION", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:RequestTag/':'x'}}}"),
        Row("PTC112", "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:SourceVpc':'vpc-1a2b3c4d','aws:sourcevpc':'vpc-5e6f7a8b'}}}"),
        Row("PTC113", "UNSUPPORTED_GLOBAL_CONDITION_KEY", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'ArnLike':{'aws:ARN':'arn:aws:iam::111122223333:role/*'}}}"),
        Row("PTC114", "WILDCARD_WITHOUT_LIKE_OPERATOR", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:PrincipalTag/team':'plat*'}}}"),
        Row("PTC115", "TYPE_MISMATCH", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:SecureTransport':'true'}}}"),
        Row("PTC116", "INVALID_CONDITION_MULTIPLE_BOOLEAN", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'Bool':{'aws:SecureTransport':['true','true']}}}"),
        Row("PTC117", "INVALID_CONDITION_DATA_TYPE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'NumericLessThan':{'aws:MultiFactorAuthAge':[3600,'7200']}}}"),
        Row("PTC118", "PRIVATE_NOT_IP_ADDRESS", "{'Sid':'A','Effect':'Deny','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'NotIpAddress':{'aws:SourceIp':['192.168.0.0/16']}}}"),
        Row("PTC118", "PRIVATE_IP_ADDRESS_SUBSET", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'IpAddress':{'aws:SourceIp':['192.168.0.0/16','203.0.113.0/24']}}}"),
        Row("PTC120", "INVALID_REGION", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:RequestedRegion':'eu-east-9'}}}"),
        Row("PTC121", "FORALLVALUES_WITH_SINGLE_VALUED_KEY", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'ForAllValues:StringEquals':{'aws:SourceVpc':'vpc-1a2b3c4d'}}}"),
        Row("PTC122", "MISSING_QUALIFIER", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringLike':{'aws:PrincipalOrgPaths':'o-a1b2c3d4e5/r-ab12/*'}}}"),
        Row("PTC018", "VARIABLE_UNSUPPORTED_IN_ELEMENT", "{'Sid':'A','Effect':'Allow','Principal':'*','Action':'ecr:BatchGetImage','Resource':'arn:aws:ecr:${aws:RequestedRegion}:111122223333:repository/web'}"),
        Row("PTC123", "UNSUPPORTED_SPACE_IN_VARIABLE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:PrincipalTag/team':'${aws:PrincipalTag/my team}'}}}"),
        Row("PTC125", "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", "{'Sid':'A','Effect':'Allow','Principal':{'Service':'pullthroughcache.ecr.amazonaws.com'},'Action':'ecr:BatchImportUpstreamImage','Resource':'arn:aws:ecr:us-east-1:111122223333:repository/*'}"),
        Row("PTC126", "INVALID_USER_REFERENCE", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'AIDAEXAMPLEUSER12345'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC128", "UNSUPPORTED_ACTION_IN_POLICY", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':'ecr:GetAuthorizationToken','Resource':'*'}"),
        Row("PTC130", "INVALID_ARN_REGION", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-7:111122223333:repository/ecr-public/*'}"),
        Row("PTC131", "EMPTY_ARRAY_ACTION", "{'Sid':'A','Effect':'Allow','Principal':'*','Action':[],'Resource':'*'}"),
        Row("PTC131", "EMPTY_OBJECT_PRINCIPAL", "{'Sid':'A','Effect':'Allow','Principal':{},'Action':'ecr:BatchGetImage','Resource':'*'}"),
        Row("PTC131", "EMPTY_ARRAY_CONDITION_FORANYVALUE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'ForAnyValue:StringEquals':{'aws:TagKeys':[]}}}"),
        Row("PTC132", "WILDCARD_IN_SERVICE_NAME", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['e?r:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC202", "EMPTY_SID_VALUE", "{'Sid':'','Effect':'Allow'," + Ptc + "}"),
        Row("PTC203", "EMPTY_OBJECT_CONDITION", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{}}"),
        Row("PTC204", "REDUNDANT_ACTION", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage','ecr:Batch*'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC204", "REDUNDANT_CONDITION_VALUE_NUM", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'NumericLessThan':{'aws:MultiFactorAuthAge':['2700','3600']}}}"),
        Row("PTC207", "INVALID_DATE_VALUE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'DateGreaterThan':{'aws:TokenIssueTime':'1798761600'}}}"),
        Row("PTC208", "IMPROVE_IP_RANGE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'IpAddress':{'aws:SourceIp':'198.51.100.9/24'}}}"),
        Row("PTC011", "NULL_WITH_IF_EXISTS", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'NullIfExists':{'aws:SourceVpc':'true'}}}"),
        Row("PTC011", "TYPE_MISMATCH_BOOLEAN", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'Bool':{'aws:SecureTransport':'yes'}}}"),
        Row("PTC011", "INVALID_VARIABLE_FOR_OPERATOR", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'NumericLessThan':{'aws:MultiFactorAuthAge':'${aws:EpochTime}'}}}"),
        Row("PTC018", "MISSING_ARN_REGION", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr::111122223333:repository/ecr-public/*'}"),
        Row("PTC018", "MISSING_BRACE_IN_VARIABLE", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/${aws:username/*'}"),
        Row("PTC017", "INVALID_SERVICE_IN_ACTION", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecrs:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC013", "ALLOW_WITH_NOT_PRINCIPAL", "{'Sid':'A','Effect':'Allow','NotPrincipal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':'ecr:BatchGetImage','Resource':'*'}"),

        // Every code a rule declares has its row (RuleDocumentationTests holds the catalog to them).
        Row("PTC003", "DATA_TYPE_MISMATCH", "{'Version':2012,'Statement':[{'Sid':'A','Effect':'Allow'," + Ptc + "}]}"),
        Row("PTC004", "DATA_TYPE_MISMATCH", "{'Version':'2012-10-17','Statement':'none'}"),
        Row("PTC005", "MISSING_EFFECT", "{'Sid':'A'," + Ptc + "}"),
        Row("PTC005", "DATA_TYPE_MISMATCH", "{'Sid':'A','Effect':true," + Ptc + "}"),
        Row("PTC006", "UNSUPPORTED_ELEMENT_COMBINATION", "{'Sid':'A','Effect':'Deny','Principal':'*','NotPrincipal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':'ecr:DeleteRepository','Resource':'*'}"),
        Row("PTC009", "INVALID_PRINCIPAL_KEY", "{'Sid':'A','Effect':'Allow','Principal':{'Federeted':'x'}," + PtcActions + "}"),
        Row("PTC009", "INVALID_SERVICE_PRINCIPAL_FORMAT", "{'Sid':'A','Effect':'Allow','Principal':{'Service':'pull through cache'}," + PtcActions + "}"),
        Row("PTC009", "VARIABLE_UNSUPPORTED_IN_ELEMENT", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/${aws:username}'}," + PtcActions + "}"),
        Row("PTC009", "DATA_TYPE_MISMATCH", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':111122223333}," + PtcActions + "}"),
        Row("PTC009", "EMPTY_ARRAY_PRINCIPAL", "{'Sid':'A','Effect':'Deny','NotPrincipal':{'AWS':[]},'Action':'ecr:DeleteRepository','Resource':'*'}"),
        Row("PTC009", "EMPTY_OBJECT_PRINCIPAL", "{'Sid':'A','Effect':'Deny','NotPrincipal':{},'Action':'ecr:DeleteRepository','Resource':'*'}"),
        Row("PTC010", "MISSING_ACTION", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC010", "MISSING_RESOURCE", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage']}"),
        Row("PTC010", "DATA_TYPE_MISMATCH", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':7,'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC011", "NULL_WITH_QUALIFIER", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'ForAnyValue:Null':{'aws:TagKeys':'true'}}}"),
        Row("PTC011", "MISSING_BRACE_IN_VARIABLE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringLike':{'aws:PrincipalTag/team':'${aws:username'}}}"),
        Row("PTC011", "MISSING_QUOTE_IN_VARIABLE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringLike':{'aws:PrincipalTag/team':'${aws:username, shared}'}}}"),
        Row("PTC011", "EMPTY_VARIABLE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringLike':{'aws:PrincipalTag/team':'${}'}}}"),
        Row("PTC011", "DATA_TYPE_MISMATCH", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:PrincipalAccount':{'id':'111122223333'}}}}"),
        Row("PTC011", "TYPE_MISMATCH_DATE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'DateGreaterThan':{'aws:CurrentTime':'yesterday'}}}"),
        Row("PTC011", "TYPE_MISMATCH_IP_RANGE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.300/8'}}}"),
        Row("PTC011", "TYPE_MISMATCH_NUMBER", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'NumericLessThan':{'aws:MultiFactorAuthAge':'an hour'}}}"),
        Row("PTC011", "TYPE_MISMATCH_STRING", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'BinaryEquals':{'aws:PrincipalTag/key':'not base64!'}}}"),
        Row("PTC015", "DATA_TYPE_MISMATCH", "{'Sid':7,'Effect':'Allow'," + Ptc + "}"),
        Row("PTC016", "VARIABLE_UNSUPPORTED_IN_ELEMENT", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:${aws:username}'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC018", "INVALID_ARN_PREFIX", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'repository/ecr-public/*'}"),
        Row("PTC018", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:s3:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC018", "INVALID_ARN_SERVICE_CASE", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ECR:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC018", "INVALID_PARTITION", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws-xx:ecr:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC018", "INVALID_ARN_REGION", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:useast1:111122223333:repository/ecr-public/*'}"),
        Row("PTC018", "INVALID_ARN_ACCOUNT", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:1111:repository/ecr-public/*'}"),
        Row("PTC018", "INVALID_ARN_RESOURCE", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repo/ecr-public/*'}"),
        Row("PTC018", "MISSING_QUOTE_IN_VARIABLE", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/${aws:username, shared}/*'}"),
        Row("PTC018", "EMPTY_VARIABLE", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/${}/*'}"),
        Row("PTC018", "WILDCARD_IN_SERVICE_NAME", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ec*:us-east-1:111122223333:repository/ecr-public/*'}"),
        Row("PTC110", "INVALID_SERVICE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'ecrx:RepositoryName':'web'}}}"),
        Row("PTC118", "PRIVATE_NOT_IP_ADDRESS_SUBSET", "{'Sid':'A','Effect':'Deny','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'NotIpAddress':{'aws:SourceIp':['10.0.0.0/8','203.0.113.0/24']}}}"),
        Row("PTC018", "VARIABLE_UNSUPPORTED_IN_ELEMENT", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:${aws:PrincipalAccount}:repository/ecr-public/*'}"),
        Row("PTC123", "VARIABLE_UNSUPPORTED_IN_ELEMENT", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:PrincipalTag/${aws:username}':'owner'}}}"),
        Row("PTC123", "UNSUPPORTED_SYMBOL_IN_VARIABLE", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:PrincipalTag/team':'${aws:PrincipalTag/te#am}'}}}"),
        Row("PTC131", "EMPTY_ARRAY_PRINCIPAL", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':[]}," + PtcActions + "}"),
        Row("PTC131", "EMPTY_ARRAY_CONDITION", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:PrincipalAccount':[]}}}"),
        Row("PTC131", "EMPTY_ARRAY_CONDITION_FORALLVALUES", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'ForAllValues:StringEquals':{'aws:TagKeys':[]}}}"),
        Row("PTC131", "EMPTY_ARRAY_CONDITION_IFEXISTS", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEqualsIfExists':{'aws:PrincipalAccount':[]}}}"),
    };

    [Theory]
    [MemberData(nameof(Checks))]
    public void Each_check_is_found_with_its_Access_Analyzer_code(string ruleId, string code, string statement)
    {
        var findings = PolicyLinter.Lint(Policy(statement), new LintOptions());
        Assert.True(findings.Any(f => f.RuleId == ruleId && f.AccessAnalyzerCode == code), $"{ruleId}/{code} ({Page}): " + string.Join(" | ", findings.Select(f => $"{f.RuleId}/{f.AccessAnalyzerCode}: {f.Message}")));
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void Every_statement_finding_names_its_statement_and_is_an_error_exactly_when_the_compiler_refuses(string ruleId, string code, string statement)
    {
        Assert.NotNull(code);
        var text = Policy(statement);
        var findings = PolicyLinter.Lint(text, new LintOptions());
        Assert.All(findings.Where(f => f.StatementIndex >= 0), f => Assert.True(
            f.Message.StartsWith(string.IsNullOrEmpty(f.Sid) ? $"Statement {f.StatementIndex}" : $"Statement \"{f.Sid}\"", System.StringComparison.Ordinal), ruleId + ": " + f.Message));
        var refused = Record.Exception(() => CompiledPolicy.Compile(PolicyDocument.Parse(text), PolicyKind.Resource, "registry policy", RegistryPolicyScope.V2)) is not null;
        Assert.Equal(findings.Any(f => f.Severity == FindingSeverity.Error), refused);
    }

    // Valid registry policies built on the checks' own examples of what to write instead: none may get an Error or a
    // Warning (a false alarm teaches users to ignore the linter).
    public static IEnumerable<object[]> ValidPolicies() => new[]
    {
        new object[] { "org star", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':'*','Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'StringEquals':{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}}]}" },
        new object[] { "org paths", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':'*','Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'ForAnyValue:StringLike':{'aws:PrincipalOrgPaths':['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*']}}}]}" },
        new object[] { "account cond", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':'*','Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'StringEquals':{'aws:PrincipalAccount':['111122223333','444455556666']}}}]}" },
        new object[] { "replication", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::444455556666:root'},'Action':['ecr:CreateRepository','ecr:ReplicateImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/*'}]}" },
        new object[] { "service scoped", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'Service':'pullthroughcache.ecr.amazonaws.com'},'Action':['ecr:BatchImportUpstreamImage','ecr:CreateRepository'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'StringEquals':{'aws:SourceAccount':'111122223333'}}}]}" },
        new object[] { "deny notprincipal complete", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'},{'Sid':'DenyOthers','Effect':'Deny','NotPrincipal':{'AWS':['arn:aws:iam::111122223333:root','arn:aws:iam::111122223333:role/ci-puller','arn:aws:sts::111122223333:assumed-role/ci-puller/build']},'Action':'ecr:DeleteRepository','Resource':'*'}]}" },
        new object[] { "deny mfa ifexists", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'},{'Sid':'DenyNoMfa','Effect':'Deny','Principal':'*','Action':'ecr:DeleteRepository','Resource':'*','Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}}]}" },
        new object[] { "variable in resource", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/${aws:PrincipalTag/team}/*'}]}" },
        new object[] { "sourceip public", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'IpAddress':{'aws:SourceIp':['203.0.113.0/24','2001:db8::/32']}}}]}" },
        new object[] { "vpce", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'StringEquals':{'aws:SourceVpce':'vpce-1a2b3c4d'}}}]}" },
        new object[] { "secure transport", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'Bool':{'aws:SecureTransport':'true'}}}]}" },
        new object[] { "date", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'DateLessThan':{'aws:CurrentTime':'2027-01-31T23:59:59Z'}}}]}" },
        new object[] { "tagkeys forall", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'ForAllValues:StringEquals':{'aws:TagKeys':['team','cost-center']}}}]}" },
        new object[] { "request tag", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'StringEquals':{'aws:RequestTag/team':'platform'}}}]}" },
        new object[] { "ecr resource tag", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'StringEquals':{'ecr:ResourceTag/team':'platform'}}}]}" },
        new object[] { "principal arn like", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':'*','Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:role/ci-*'}}}]}" },
        new object[] { "null check", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'Null':{'aws:PrincipalTag/team':'false'}}}]}" },
        new object[] { "numeric", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'NumericLessThan':{'aws:MultiFactorAuthAge':'3600'}}}]}" },
        new object[] { "requested region", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'StringEquals':{'aws:RequestedRegion':['us-east-1','eu-west-1']}}}]}" },
        new object[] { "gov", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws-us-gov:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws-us-gov:ecr:us-gov-west-1:111122223333:repository/ecr-public/*'}]}" },
        new object[] { "cn", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws-cn:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws-cn:ecr:cn-north-1:111122223333:repository/ecr-public/*'}]}" },
        new object[] { "two statements sids", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'},{'Sid':'Replication','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::444455556666:root'},'Action':['ecr:CreateRepository','ecr:ReplicateImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/*'}]}" },
        new object[] { "no sid", "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'}]}" },
        new object[] { "account root principal", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'444455556666'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'}]}" },
        new object[] { "source org", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'Service':'pullthroughcache.ecr.amazonaws.com'},'Action':['ecr:BatchImportUpstreamImage','ecr:CreateRepository'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'StringEquals':{'aws:SourceOrgID':'o-a1b2c3d4e5'}}}]}" },
        new object[] { "calledvia", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'ForAnyValue:StringEquals':{'aws:CalledVia':['cloudformation.amazonaws.com']}}}]}" },
        new object[] { "principal type", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':'*','Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'StringEquals':{'aws:PrincipalAccount':'111122223333','aws:PrincipalType':'AssumedRole'}}}]}" },
        new object[] { "userid like", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':'*','Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*','Condition':{'StringEquals':{'aws:PrincipalAccount':'111122223333'},'StringLike':{'aws:userid':'AROAEXAMPLEID1234567:*'}}}]}" },
        new object[] { "repo wildcard mid", "{'Version':'2012-10-17','Statement':[{'Sid':'Ptc','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:*:111122223333:repository/ecr-public/*'}]}" },
    };

    [Theory]
    [MemberData(nameof(ValidPolicies))]
    public void A_valid_policy_gets_no_error_and_no_warning(string what, string policy)
    {
        var findings = PolicyLinter.Lint(Policy(policy), new LintOptions());
        Assert.True(!findings.Any(f => f.Severity != FindingSeverity.Information), what + ": " + string.Join(" | ", findings.Select(f => $"{f.RuleId}: {f.Message}")));
        Assert.NotNull(CompiledPolicy.Compile(PolicyDocument.Parse(Policy(policy)), PolicyKind.Resource, "registry policy", RegistryPolicyScope.V2));
    }

    // The message defects issue 11 lists ("Fix what is there"), each with what the message must and must not say.
    public static IEnumerable<object[]> Messages() => new[]
    {
        new object[] { "PTC101", "{'Sid':'A','Effect':'Allow','Principal':'*'," + PtcActions + ",'Condition':{'StringEqualsIfExists':{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}}", "IfExists holds when the key is absent", "no account or organization condition" },
        new object[] { "PTC101", "{'Sid':'A','Effect':'Allow','Principal':'*'," + PtcActions + ",'Condition':{'StringNotEquals':{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}}", "a negated operator admits every other value", "no account or organization condition" },
        new object[] { "PTC011", "{'Sid':'A','Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{}}}", "is an empty object, naming no condition key", "is an object; it must be an object" },
        new object[] { "PTC017", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecrs:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'*'}", "Did you mean ecr:CreateRepository?", "identity-based policy" },
        new object[] { "PTC132", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ec*:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'*'}", "Write ecr:CreateRepository", "is not an AWS service prefix" },
        new object[] { "PTC013", "{'Sid':'A','Effect':'Allow','NotPrincipal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':'ecr:BatchGetImage','Resource':'*'}", "using it with Allow is not supported", "most services" },
        new object[] { "PTC018", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr::111122223333:repository/ecr-public/*'}", "has no Region", "has ''" },
        new object[] { "PTC018", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:ecr:us-east-1:1111:repository/ecr-public/*'}", "where a 12-digit account id belongs", "without complaint" },
        new object[] { "PTC018", "{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'arn:aws:us-east-1:111122223333:repository/ecr-public/*'}", "ECR is known to store such a policy without complaint", "has ''" },
        new object[] { "PTC009", "{'Sid':'A','Effect':'Allow','Principal':{'Federeted':'x'}," + PtcActions + "}", "a registry policy can use AWS and Service", "valid types are" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_message_says_what_IAM_and_ECR_do_and_no_more(string ruleId, string statement, string says, string doesNotSay)
    {
        var finding = PolicyLinter.Lint(Policy(statement), new LintOptions()).First(f => f.RuleId == ruleId);
        Assert.Contains(says, finding.Message, System.StringComparison.Ordinal);
        Assert.DoesNotContain(doesNotSay, finding.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void The_V1_finding_says_V1_is_retired_and_names_the_migration()
    {
        var options = new LintOptions { Scope = RegistryPolicyScope.V1 };
        var finding = PolicyLinter.Lint(Policy("{'Sid':'A','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/ci-puller'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage','ecr:BatchGetImage'],'Resource':'*'}"), options).First(f => f.RuleId == "PTC012");
        Assert.Contains("retired", finding.Message, System.StringComparison.Ordinal);
        Assert.Contains("PutAccountSetting (name REGISTRY_POLICY_SCOPE, value V2", finding.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_quote_is_found_where_it_stands()
    {
        var finding = Assert.Single(PolicyLinter.Lint("{'Version':'2012-10-17'}", new LintOptions()));
        Assert.Equal(("PTC001", 1, 2), (finding.RuleId, finding.Line, finding.Column));
    }

    [Fact]
    public void A_finding_names_the_element_after_the_statement()
    {
        var finding = Assert.Single(PolicyLinter.Lint(Policy("{'Effect':'Allow'," + Ptc + ",'Condition':{'StringEquals':{'aws:SourceVpce':'vpce-1'}}}"), new LintOptions()), f => f.RuleId == "PTC119");
        Assert.StartsWith("Statement 0, Condition StringEquals aws:SourceVpce: ", finding.Message, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("an empty Resource list grants nothing", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':[]}]", PermissionDecision.ImplicitDeny)]
    [InlineData("an ec*: service pattern grants the ECR action it matches", "[{'Effect':'Allow','Principal':'*','Action':'ec*:CreateRepository','Resource':'*'}]", PermissionDecision.Allowed)]
    [InlineData("a role's unique id names no principal", "[{'Effect':'Allow','Principal':{'AWS':'AROAEXAMPLEID1234567'},'Action':'ecr:*','Resource':'*'}]", PermissionDecision.ImplicitDeny)]
    [InlineData("a positive condition with no values never holds", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'StringEquals':{'aws:PrincipalAccount':[]}}}]", PermissionDecision.ImplicitDeny)]
    [InlineData("a negated condition with no values excludes nothing", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'StringNotEquals':{'aws:PrincipalAccount':[]}}}]", PermissionDecision.Allowed)]
    public void A_warning_the_evaluator_accepts_is_evaluated_as_IAM_reads_it(string what, string statements, PermissionDecision expected)
    {
        var row = new EvaluationRuleTests.Row(what, statements, "arn:aws:iam::111122223333:role/Builder", "ecr:CreateRepository", "arn:aws:ecr:us-east-1:111122223333:repository/app/web", expected);
        Assert.Equal(expected, row.Evaluate().Decision);
    }

    private static object[] Row(string ruleId, string code, string statement) => new object[] { ruleId, code, statement };

    // A statement, or a whole policy when the row gives one (it starts with its Version).
    internal static string Policy(string statement) => statement.StartsWith("{'Version'", System.StringComparison.Ordinal)
        ? statement.Replace('\'', '"')
        : "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement.Replace('\'', '"') + "]}";
}
