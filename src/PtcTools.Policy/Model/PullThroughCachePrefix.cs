using System.Text.RegularExpressions;

namespace PtcTools.Policy.Model;

/// <summary>
/// The rule for a pull through cache rule's repository prefix (ecrRepositoryPrefix): 2 to 30 characters of ECR's
/// pattern, or ROOT (the rule whose repositories carry no prefix). Lint, the statement builder, the generators and
/// Get-PtcPullThroughCacheRule check it here, so they accept and refuse the same prefixes with one message.
/// </summary>
public static class PullThroughCachePrefix
{
    /// <summary>The prefix of a rule that caches repositories under their upstream names.</summary>
    public const string Root = "ROOT";

    /// <summary>ECR's pull through cache prefix pattern (the newest model), ROOT included.</summary>
    public static readonly Regex Pattern = new(@"^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*/?|ROOT)$", RegexOptions.CultureInvariant);

    /// <summary>Whether the text is a prefix ECR takes for a pull through cache rule.</summary>
    public static bool IsValid(string? text) => text is { Length: >= 2 and <= 30 } && Pattern.IsMatch(text);

    /// <summary>The prefix as rules and ARNs use it: ROOT as is, any other without its trailing '/'.</summary>
    public static string Normalize(string prefix) => prefix == Root ? Root : prefix.TrimEnd('/');

    /// <summary>True for ROOT (or no prefix at all, as an upstream repository prefix may be): repositories carry no prefix.</summary>
    public static bool IsRoot(string? prefix) => prefix is null || prefix == Root;

    /// <summary>The repository ECR creates under a prefix for an upstream repository name: the name itself under ROOT.</summary>
    public static string Repository(string? prefix, string name) =>
        IsRoot(prefix) ? name.Trim('/') : Normalize(prefix!) + "/" + name.Trim('/');

    /// <summary>The repository name pattern of every repository under a prefix: <c>PREFIX/*</c>, or <c>*</c> under ROOT.</summary>
    public static string Repositories(string? prefix) => IsRoot(prefix) ? "*" : Normalize(prefix!) + "/*";

    /// <summary>The normalized prefix, or <see cref="ErrorIds.RepositoryPrefixInvalid"/> when it is not one.</summary>
    /// <exception cref="PolicyException">The text is not a pull through cache prefix.</exception>
    public static string Check(string? text) => IsValid(text) ? Normalize(text!) : throw Invalid(text);

    /// <summary>The error for text that is not a pull through cache prefix; <paramref name="hint"/> is added to the message.</summary>
    public static PolicyException Invalid(string? text, string? hint = null) =>
        new(ErrorIds.RepositoryPrefixInvalid, PolicyErrorKind.InvalidArgument,
            $"'{text}' is not a pull through cache prefix: 2 to 30 lowercase letters, digits, '.', '_', '-' and '/' (for example ecr-public or docker-hub/library), or ROOT." + (hint is null ? string.Empty : " " + hint),
            text ?? string.Empty);
}
