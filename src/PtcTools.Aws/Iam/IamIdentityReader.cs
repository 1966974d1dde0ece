using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Aws.Iam;

/// <summary>Reads every policy that applies to a role or user: inline and attached, a user's groups', and the permissions boundary.</summary>
public static class IamIdentityReader
{
    /// <summary>Reads a role (an assumed-role session reads its role) or a user.</summary>
    /// <exception cref="PolicyException"><c>IamPrincipalUnsupported</c> for anything else; the IAM errors of <see cref="IamClient"/>.</exception>
    public static async Task<IamIdentity> ReadAsync(IamClient client, string principalArn, CancellationToken cancellationToken)
    {
        if (!PrincipalId.TryParse(principalArn, "AWS", out var id, out _, out _) || id.Kind is not (PrincipalKind.Role or PrincipalKind.AssumedRole or PrincipalKind.User))
        {
            throw new PolicyException(ErrorIds.IamPrincipalUnsupported, PolicyErrorKind.InvalidArgument,
                $"'{principalArn}' is not an IAM role, user or assumed-role session ARN, so IAM has no policies of its own to read for it.", principalArn);
        }

        var name = id.Name!;
        var policies = new List<IamPolicyText>();
        if (id.Kind == PrincipalKind.User)
        {
            var user = await client.GetUserAsync(name, cancellationToken).ConfigureAwait(false);
            foreach (var inline in await client.ListUserPoliciesAsync(name, cancellationToken).ConfigureAwait(false))
            {
                policies.Add(new IamPolicyText(inline, $"inline policy of user {name}", await client.GetUserPolicyAsync(name, inline, cancellationToken).ConfigureAwait(false)));
            }

            await AttachedAsync(client, await client.ListAttachedUserPoliciesAsync(name, cancellationToken).ConfigureAwait(false), policies, cancellationToken).ConfigureAwait(false);
            var groups = await client.ListGroupsForUserAsync(name, cancellationToken).ConfigureAwait(false);
            if (groups.Count > 0)
            {
                // One call gives every group's documents; a user's groups are usually few of many.
                var wanted = new HashSet<string>(groups, System.StringComparer.Ordinal);
                foreach (var group in await client.GetGroupDetailsAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!wanted.Contains(group.GroupName))
                    {
                        continue;
                    }

                    foreach (var inline in group.InlinePolicies)
                    {
                        policies.Add(new IamPolicyText(inline.Key, $"inline policy of group {group.GroupName}", inline.Value));
                    }

                    await AttachedAsync(client, group.AttachedPolicies, policies, cancellationToken, $" (through group {group.GroupName})").ConfigureAwait(false);
                }
            }

            return new IamIdentity(user.Arn, false, name, null, policies, await BoundaryAsync(client, user.PermissionsBoundaryArn, cancellationToken).ConfigureAwait(false));
        }

        var role = await client.GetRoleAsync(name, cancellationToken).ConfigureAwait(false);
        foreach (var inline in await client.ListRolePoliciesAsync(name, cancellationToken).ConfigureAwait(false))
        {
            policies.Add(new IamPolicyText(inline, $"inline policy of role {name}", await client.GetRolePolicyAsync(name, inline, cancellationToken).ConfigureAwait(false)));
        }

        await AttachedAsync(client, await client.ListAttachedRolePoliciesAsync(name, cancellationToken).ConfigureAwait(false), policies, cancellationToken).ConfigureAwait(false);
        return new IamIdentity(role.Arn, true, name, role.AssumeRolePolicyDocument, policies, await BoundaryAsync(client, role.PermissionsBoundaryArn, cancellationToken).ConfigureAwait(false));
    }

    private static async Task AttachedAsync(IamClient client, IReadOnlyList<IamAttachedPolicy> attached, List<IamPolicyText> into, CancellationToken cancellationToken, string via = "")
    {
        foreach (var policy in attached)
        {
            into.Add(new IamPolicyText(policy.PolicyName, $"managed policy {policy.PolicyArn}{via}", await client.GetManagedPolicyDocumentAsync(policy.PolicyArn, cancellationToken).ConfigureAwait(false)));
        }
    }

    private static async Task<IamPolicyText?> BoundaryAsync(IamClient client, string? arn, CancellationToken cancellationToken) =>
        arn is null ? null : new IamPolicyText(arn.Substring(arn.LastIndexOf('/') + 1), $"permissions boundary {arn}", await client.GetManagedPolicyDocumentAsync(arn, cancellationToken).ConfigureAwait(false));
}
