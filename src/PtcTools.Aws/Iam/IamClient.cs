using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Protocols;
using PtcTools.Policy;

namespace PtcTools.Aws.Iam;

/// <summary>The IAM reads PtcTools needs (roles, users, their policies and boundaries), over the Query protocol with SigV4. It never writes.</summary>
public sealed class IamClient
{
    /// <summary>The Query API version of IAM.</summary>
    public const string Version = "2010-05-08";

    private static readonly AwsServiceDescription s_service = new(
        "IAM",
        "iam",
        ServiceErrorIds.Iam,
        AwsErrorCodes.With(new Dictionary<string, (string, PolicyErrorKind)>(StringComparer.Ordinal)
        {
            ["NoSuchEntity"] = (ErrorIds.IamEntityNotFound, PolicyErrorKind.ObjectNotFound),
            ["AccessDenied"] = (ErrorIds.IamAccessDenied, PolicyErrorKind.PermissionDenied),
            ["AccessDeniedException"] = (ErrorIds.IamAccessDenied, PolicyErrorKind.PermissionDenied),
            ["InvalidInput"] = (ErrorIds.IamInvalidInput, PolicyErrorKind.InvalidArgument),
            ["ValidationError"] = (ErrorIds.IamInvalidInput, PolicyErrorKind.InvalidArgument),
            ["ServiceFailure"] = (ErrorIds.IamServerError, PolicyErrorKind.ConnectionError),
        }),
        QueryProtocol.ReadError,
        (id, kind, message, code, status, requestId, indeterminate, target, inner) => new AwsServiceException(id, kind, message, code, status, requestId, indeterminate, target, inner));

    private readonly AwsServiceClient _client;

    /// <summary>Creates a client; IAM is global, so the Region only chooses the partition (and its signing Region).</summary>
    public IamClient(AwsClientOptions options)
    {
        _client = new AwsServiceClient(options, s_service, AwsEndpoints.Iam(options.Region, options.EndpointUrl), AwsEndpoints.IamSigningRegion(options.Region));
    }

    /// <summary>The endpoint in use.</summary>
    public Uri Endpoint => _client.Endpoint;

    /// <summary>GetRole: the role, with its trust policy (decoded) and its permissions boundary's ARN.</summary>
    /// <exception cref="AwsServiceException"><c>IamEntityNotFound</c>, <c>IamAccessDenied</c>, throttling after retries, transport failures.</exception>
    public async Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        var result = await CallAsync("GetRole", cancellationToken, ("RoleName", roleName)).ConfigureAwait(false);
        var role = result.ChildElement("Role") ?? throw _client.Unreadable("GetRole", 200, null, "no Role");
        return new IamRole(
            role.ChildText("Arn") ?? string.Empty,
            role.ChildText("RoleName") ?? roleName,
            role.ChildText("Path") ?? "/",
            Decode(role.ChildText("AssumeRolePolicyDocument")),
            role.ChildElement("PermissionsBoundary")?.ChildText("PermissionsBoundaryArn"));
    }

    /// <summary>GetUser: the user and its permissions boundary's ARN.</summary>
    public async Task<IamUser> GetUserAsync(string userName, CancellationToken cancellationToken)
    {
        var result = await CallAsync("GetUser", cancellationToken, ("UserName", userName)).ConfigureAwait(false);
        var user = result.ChildElement("User") ?? throw _client.Unreadable("GetUser", 200, null, "no User");
        return new IamUser(user.ChildText("Arn") ?? string.Empty, user.ChildText("UserName") ?? userName, user.ChildText("Path") ?? "/", user.ChildElement("PermissionsBoundary")?.ChildText("PermissionsBoundaryArn"));
    }

    /// <summary>ListAttachedRolePolicies, every page.</summary>
    public Task<IReadOnlyList<IamAttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken cancellationToken) =>
        AttachedAsync("ListAttachedRolePolicies", "RoleName", roleName, cancellationToken);

    /// <summary>ListAttachedUserPolicies, every page.</summary>
    public Task<IReadOnlyList<IamAttachedPolicy>> ListAttachedUserPoliciesAsync(string userName, CancellationToken cancellationToken) =>
        AttachedAsync("ListAttachedUserPolicies", "UserName", userName, cancellationToken);

    /// <summary>ListRolePolicies (the inline policies' names), every page.</summary>
    public Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken cancellationToken) =>
        NamesAsync("ListRolePolicies", "RoleName", roleName, "PolicyNames", cancellationToken);

    /// <summary>ListUserPolicies (the inline policies' names), every page.</summary>
    public Task<IReadOnlyList<string>> ListUserPoliciesAsync(string userName, CancellationToken cancellationToken) =>
        NamesAsync("ListUserPolicies", "UserName", userName, "PolicyNames", cancellationToken);

    /// <summary>ListGroupsForUser (the groups' names), every page.</summary>
    public async Task<IReadOnlyList<string>> ListGroupsForUserAsync(string userName, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await PagesAsync("ListGroupsForUser", new[] { ("UserName", userName) }, result =>
        {
            names.AddRange(result.ChildMembers("Groups").Select(g => g.ChildText("GroupName")).Where(n => n is not null)!);
        }, cancellationToken).ConfigureAwait(false);
        return names;
    }

    /// <summary>GetRolePolicy: an inline policy's document, decoded.</summary>
    public async Task<string> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken)
    {
        var result = await CallAsync("GetRolePolicy", cancellationToken, ("RoleName", roleName), ("PolicyName", policyName)).ConfigureAwait(false);
        return Decode(result.ChildText("PolicyDocument")) ?? throw _client.Unreadable("GetRolePolicy", 200, null, "no PolicyDocument");
    }

    /// <summary>GetUserPolicy: an inline policy's document, decoded.</summary>
    public async Task<string> GetUserPolicyAsync(string userName, string policyName, CancellationToken cancellationToken)
    {
        var result = await CallAsync("GetUserPolicy", cancellationToken, ("UserName", userName), ("PolicyName", policyName)).ConfigureAwait(false);
        return Decode(result.ChildText("PolicyDocument")) ?? throw _client.Unreadable("GetUserPolicy", 200, null, "no PolicyDocument");
    }

    /// <summary>GetPolicy then GetPolicyVersion of its default version: a managed policy's document, decoded.</summary>
    public async Task<string> GetManagedPolicyDocumentAsync(string policyArn, CancellationToken cancellationToken)
    {
        var policy = await CallAsync("GetPolicy", cancellationToken, ("PolicyArn", policyArn)).ConfigureAwait(false);
        var version = policy.ChildElement("Policy")?.ChildText("DefaultVersionId") ?? throw _client.Unreadable("GetPolicy", 200, null, "no DefaultVersionId");
        var result = await CallAsync("GetPolicyVersion", cancellationToken, ("PolicyArn", policyArn), ("VersionId", version)).ConfigureAwait(false);
        return Decode(result.ChildElement("PolicyVersion")?.ChildText("Document")) ?? throw _client.Unreadable("GetPolicyVersion", 200, null, "no Document");
    }

    /// <summary>GetAccountAuthorizationDetails for groups, every page: each group's inline documents and attached policies in one call.</summary>
    public async Task<IReadOnlyList<IamGroupDetail>> GetGroupDetailsAsync(CancellationToken cancellationToken)
    {
        var groups = new List<IamGroupDetail>();
        await PagesAsync("GetAccountAuthorizationDetails", new[] { ("Filter.member.1", "Group") }, result =>
        {
            foreach (var group in result.ChildMembers("GroupDetailList"))
            {
                var inline = group.ChildMembers("GroupPolicyList")
                    .Select(p => new KeyValuePair<string, string>(p.ChildText("PolicyName") ?? string.Empty, Decode(p.ChildText("PolicyDocument")) ?? string.Empty))
                    .ToList();
                var attached = group.ChildMembers("AttachedManagedPolicies").Select(ReadAttached).ToList();
                groups.Add(new IamGroupDetail(group.ChildText("GroupName") ?? string.Empty, group.ChildText("Arn") ?? string.Empty, inline, attached));
            }
        }, cancellationToken).ConfigureAwait(false);
        return groups;
    }

    /// <summary>A policy document as IAM returns it (URL-encoded) decoded to JSON text.</summary>
    public static string? Decode(string? text) => text is null ? null : Policy.Json.PolicyJson.DecodeIfUrlEncoded(text);

    private async Task<IReadOnlyList<IamAttachedPolicy>> AttachedAsync(string action, string key, string name, CancellationToken cancellationToken)
    {
        var list = new List<IamAttachedPolicy>();
        await PagesAsync(action, new[] { (key, name) }, result => list.AddRange(result.ChildMembers("AttachedPolicies").Select(ReadAttached)), cancellationToken).ConfigureAwait(false);
        return list;
    }

    private async Task<IReadOnlyList<string>> NamesAsync(string action, string key, string name, string listName, CancellationToken cancellationToken)
    {
        var list = new List<string>();
        await PagesAsync(action, new[] { (key, name) }, result => list.AddRange(result.ChildMembers(listName).Select(m => m.Value)), cancellationToken).ConfigureAwait(false);
        return list;
    }

    private static IamAttachedPolicy ReadAttached(XElement element) => new(element.ChildText("PolicyName") ?? string.Empty, element.ChildText("PolicyArn") ?? string.Empty);

    // IsTruncated and Marker, as every IAM list answers; a marker seen twice would loop forever.
    private async Task PagesAsync(string action, (string Key, string Value)[] parameters, Action<XElement> read, CancellationToken cancellationToken)
    {
        string? marker = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pages = 0;
        do
        {
            if (++pages > AwsServiceClient.MaxPages)
            {
                throw _client.TooManyPages(action, $"handed out a new page marker {AwsServiceClient.MaxPages} times");
            }

            var all = parameters.ToList();
            if (marker is not null)
            {
                all.Add(("Marker", marker));
            }

            var result = await CallAsync(action, cancellationToken, all.ToArray()).ConfigureAwait(false);
            read(result);
            marker = string.Equals(result.ChildText("IsTruncated"), "true", StringComparison.OrdinalIgnoreCase) ? result.ChildText("Marker") : null;
            if (marker is not null && !seen.Add(marker))
            {
                throw _client.TooManyPages(action, $"handed out the page marker '{ServerText.Clean(marker, 100)}' twice");
            }
        }
        while (marker is not null);
    }

    private Task<XElement> CallAsync(string action, CancellationToken cancellationToken, params (string Key, string Value)[] parameters) =>
        QueryProtocol.CallAsync(_client, action, Version, parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)), cancellationToken);
}
