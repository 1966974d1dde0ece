using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace PtcTools.Policy.Model;

/// <summary>The registry policy scope, ECR's account setting <c>REGISTRY_POLICY_SCOPE</c>.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum RegistryPolicyScope
{
    /// <summary>ECR enforces only ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository, and rejects a policy with other actions.</summary>
    V1,

    /// <summary>ECR allows every ECR action in the policy and enforces it on all ECR requests (the default).</summary>
    V2,
}
