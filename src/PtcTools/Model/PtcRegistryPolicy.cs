using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json;
using PtcTools.Policy.Model;

namespace PtcTools;

/// <summary>A registry permissions policy as the cmdlets emit it: the document plus where it came from.</summary>
public sealed class PtcRegistryPolicy
{
    /// <summary>Wraps a document.</summary>
    public PtcRegistryPolicy(PolicyDocument document)
    {
        Document = document;
        Statement = new PtcValueList<PtcPolicyStatement>(document.Statements.Select(s => new PtcPolicyStatement(s)), s => s.Sid ?? "(no Sid)");
    }

    /// <summary>The lossless document behind this object.</summary>
    [Hidden, JsonIgnore] // internals: not in ConvertTo-Json, Export-Csv or Format-List *, still $x.Document
    public PolicyDocument Document { get; }

    /// <summary>The policy language version.</summary>
    public string? Version => Document.Version;

    /// <summary>The policy Id, when it has one.</summary>
    public string? Id => Document.Id;

    /// <summary>The statements, in order.</summary>
    /// <remarks>
    /// Hidden so that ConvertTo-Json and Export-Csv of a policy give its origin and PolicyText (the statements once,
    /// as ECR stores them, as the AWS CLI prints them) instead of every statement twice and a depth warning;
    /// <c>$policy.Statement</c> works as always, and Clixml (remoting, jobs) keeps it.
    /// </remarks>
    [Hidden, JsonIgnore]
    public PtcValueList<PtcPolicyStatement> Statement { get; }

    /// <summary>The Sids of the statements, in order ("(no Sid)" for a statement without one).</summary>
    public PtcValueList<string> Sids => new(Statement.Select(s => s.Sid ?? "(no Sid)"));

    /// <summary>The compact JSON, as ECR stores it; binds to AWS.Tools' -PolicyText by property name.</summary>
    public string PolicyText => Document.ToCompactJson();

    /// <summary>The length of <see cref="PolicyText"/>, which ECR limits to 10240 characters.</summary>
    public int Length => PolicyText.Length;

    /// <summary>The account (registry) the policy belongs to, when read from ECR.</summary>
    public string? RegistryId { get; set; }

    /// <summary>The Region the policy belongs to, when read from ECR.</summary>
    public string? Region { get; set; }

    /// <summary>The registry policy scope (V1 or V2) when known.</summary>
    public string? Scope { get; set; }

    /// <summary>False when the store had no policy (an empty one stands in).</summary>
    public bool Exists { get; set; } = true;

    /// <summary>The file the policy was read from, for the file store.</summary>
    public string? Path { get; set; }

    /// <summary>The text exactly as it was read from the store, used to detect concurrent changes.</summary>
    /// <remarks>Hidden beside PolicyText (the same policy, as read): kept by Export-Clixml and remoting, left out of JSON and CSV.</remarks>
    [Hidden, JsonIgnore] // internals: not in ConvertTo-Json, Export-Csv or Format-List *, still $x.SourceText
    public string? SourceText { get; set; }

    /// <summary>The compact JSON.</summary>
    public override string ToString() => PolicyText;
}
