using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools;

/// <summary>A registry permissions policy as the cmdlets emit it: the document plus where it came from.</summary>
public sealed class PtcRegistryPolicy
{
    private PolicyDocument? _document;
    private PtcValueList<PtcPolicyStatement>? _statement;

    /// <summary>Wraps a document.</summary>
    public PtcRegistryPolicy(PolicyDocument document)
    {
        _document = document;
    }

    /// <summary>A policy parameter given as text: JSON (plain or URL-encoded). The text is read when the cmdlet asks for <see cref="Document"/>.</summary>
    public PtcRegistryPolicy(string policyText)
        : this((object)policyText)
    {
    }

    /// <summary>A policy parameter given in another form: a file object, an object with a PolicyText property (an AWS.Tools response, a deserialized PtcRegistryPolicy), a hashtable or ConvertFrom-Json output.</summary>
    /// <remarks>
    /// As <see cref="PtcPrincipal"/>: the conversion only captures the value and the origin its properties name (RegistryId,
    /// Region, Scope, Path, Exists, SourceText), so a bad policy is reported by the cmdlet with PtcTools' error ids
    /// (PolicyJsonInvalid, PolicyInputInvalid) when it reads <see cref="Document"/>, not as a binding error.
    /// </remarks>
    public PtcRegistryPolicy(object value)
    {
        Given = value;
        var unwrapped = PSValue.Unwrap(value);
        HasReadState = unwrapped is System.IO.FileInfo or PtcRegistryPolicy || IsDeserialized(value);
        switch (unwrapped)
        {
            case System.IO.FileInfo file:
                Path = file.FullName;
                break;
            case null or string or System.Collections.IDictionary:
                break;
            default:
                var shaped = PSObject.AsPSObject(value);
                RegistryId = shaped.Properties["RegistryId"]?.Value?.ToString();
                Region = shaped.Properties["Region"]?.Value?.ToString();
                Scope = shaped.Properties["Scope"]?.Value?.ToString();
                Path = shaped.Properties["Path"]?.Value?.ToString();
                SourceText = shaped.Properties["SourceText"]?.Value?.ToString();
                if (PSValue.Unwrap(shaped.Properties["Exists"]?.Value) is bool exists)
                {
                    Exists = exists;
                }

                break;
        }
    }

    /// <summary>What the user gave when the policy was converted from a parameter value (null for a policy the cmdlets made); the target of its errors.</summary>
    [Hidden, JsonIgnore]
    public object? Given { get; }

    /// <summary>The target of this policy's errors: what the user gave, else the policy itself.</summary>
    internal object ErrorTarget => Given ?? this;

    /// <summary>
    /// True when the origin (Exists, SourceText, Region, Path, RegistryId, Scope) is what a store was read as: a policy the
    /// cmdlets made, a deserialized or live PtcRegistryPolicy, a policy file object. False for a value read from no store
    /// (text, a hashtable, ConvertFrom-Json output, an AWS.Tools response, which names only its account).
    /// </summary>
    internal bool HasReadState { get; } = true;

    // A PtcRegistryPolicy that came back from serialization (Import-Clixml, a remote or job session): a property bag with the type's name.
    private static bool IsDeserialized(object? value) =>
        value is PSObject wrapped && wrapped.TypeNames.Any(t => t.EndsWith("PtcTools.PtcRegistryPolicy", System.StringComparison.Ordinal));

    /// <summary>The lossless document behind this object.</summary>
    /// <exception cref="PtcTools.Policy.PolicyException">For a converted value that is no policy: PolicyInputInvalid, PolicyJsonInvalid, or the errors of reading its file.</exception>
    [Hidden, JsonIgnore] // internals: not in ConvertTo-Json, Export-Csv or Format-List *, still $x.Document
    public PolicyDocument Document => _document ??= Read();

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
    public PtcValueList<PtcPolicyStatement> Statement =>
        _statement ??= new PtcValueList<PtcPolicyStatement>(Document.Statements.Select(s => new PtcPolicyStatement(s)), s => s.Sid ?? "(no Sid)");

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

    /// <summary><see cref="Scope"/> as the scope it names (any case), or null when it names none.</summary>
    internal RegistryPolicyScope? KnownScope => System.Enum.TryParse<RegistryPolicyScope>(Scope, true, out var scope) ? scope : null;

    /// <summary>False when the store had no policy (an empty one stands in).</summary>
    public bool Exists { get; set; } = true;

    /// <summary>The file the policy was read from, for the file store.</summary>
    public string? Path { get; set; }

    /// <summary>The text exactly as it was read from the store, used to detect concurrent changes.</summary>
    /// <remarks>Hidden beside PolicyText (the same policy, as read): kept by Export-Clixml and remoting, left out of JSON and CSV.</remarks>
    [Hidden, JsonIgnore] // internals: not in ConvertTo-Json, Export-Csv or Format-List *, still $x.SourceText
    public string? SourceText { get; set; }

    /// <summary>The compact JSON (a converted value that is no policy: the value's text).</summary>
    public override string ToString() => _document is null && Given is not null ? (PSValue.Text(Given) ?? string.Empty) : PolicyText;

    private PolicyDocument Read()
    {
        if (PSValue.Unwrap(Given) is System.IO.FileInfo file)
        {
            // A file object is the policy file: read as Get-PtcRegistryPolicy -LiteralPath reads it (strict UTF-8, the file named in a JSON error).
            var read = PolicyFile.Read(file.FullName);
            SourceText ??= read.SourceText;
            return read.Document;
        }

        return PolicyInput.ToDocument(Given);
    }
}
