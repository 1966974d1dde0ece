using System;
using System.Text.Json.Nodes;

namespace EcrEmulator.State;

/// <summary>A repository creation template as the emulator stores it: the members CreateRepositoryCreationTemplate took, and when.</summary>
public sealed class RepositoryCreationTemplate
{
    /// <summary>The members a template keeps (the model's RepositoryCreationTemplate, without the timestamps).</summary>
    public static readonly string[] Members =
    {
        "prefix", "description", "encryptionConfiguration", "resourceTags", "imageTagMutability", "imageTagMutabilityExclusionFilters",
        "repositoryPolicy", "lifecyclePolicy", "appliedFor", "customRoleArn",
    };

    private readonly JsonObject _members;

    /// <summary>Creates a template from the create request's members (copied).</summary>
    public RepositoryCreationTemplate(JsonObject members, DateTimeOffset createdAt)
    {
        _members = new JsonObject();
        foreach (var name in Members)
        {
            if (members[name] is { } value)
            {
                _members[name] = value.DeepClone();
            }
        }

        CreatedAt = createdAt;
    }

    /// <summary>The prefix as sent (a namespace or ROOT).</summary>
    public string Prefix => _members["prefix"]!.GetValue<string>();

    /// <summary>The prefix with its implied trailing '/' removed, used to compare templates.</summary>
    public string Key => PullThroughCacheRule.NormalizePrefix(Prefix);

    /// <summary>When the template was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The template in the wire shape (timestamps as epoch seconds).</summary>
    public JsonObject ToJson()
    {
        var json = (JsonObject)_members.DeepClone();
        json["createdAt"] = PullThroughCacheRule.EpochSeconds(CreatedAt);
        json["updatedAt"] = PullThroughCacheRule.EpochSeconds(CreatedAt);
        return json;
    }
}
