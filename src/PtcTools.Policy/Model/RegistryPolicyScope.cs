namespace PtcTools.Policy.Model;

/// <summary>The registry policy scope, an account setting (REGISTRY_POLICY_SCOPE) that says which actions a registry policy governs.</summary>
public enum RegistryPolicyScope
{
    /// <summary>Only ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository are enforced at the registry level.</summary>
    V1,

    /// <summary>Every ECR action is allowed in the policy and enforced on every ECR request (the default).</summary>
    V2,
}
