using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PtcTools.Aws.Stores;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Commands;

/// <summary>What Get, Set and Remove-PtcRegistryPolicy share: the two stores (ECR per Region, or files) and backups.</summary>
public abstract class RegistryPolicyCmdlet : AwsCmdlet
{
    /// <summary>The parameter set that works on ECR.</summary>
    protected const string EcrSet = "Ecr";

    /// <summary>The parameter set that works on files named with wildcards.</summary>
    protected const string PathSet = "Path";

    /// <summary>The parameter set that works on files named literally.</summary>
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>Policy files; wildcards are resolved.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary>Policy files, taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    private static readonly string[] s_awsParameters = { "Region", "ProfileName", "ProfileLocation", "AccessKey", "SecretKey", "SessionToken", "Credential", "EndpointUrl" };

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        // Only parameters given on the command line are bound here; a Region bound from a piped policy is fine.
        if (UsesFiles && s_awsParameters.FirstOrDefault(MyInvocation.BoundParameters.ContainsKey) is { } name)
        {
            ThrowTerminatingError(ErrorRecords.Create("AwsParameterNotApplicable", ErrorCategory.InvalidArgument,
                $"-{name} applies to ECR, but -Path or -LiteralPath names policy files. Leave out -{name}, or leave out the path to work on ECR.", "-" + name));
        }
    }

    /// <summary>True when the cmdlet works on files.</summary>
    protected bool UsesFiles => ParameterSetName is PathSet or LiteralPathSet;

    /// <summary>The files named by -Path or -LiteralPath as full paths; a wildcard that matches nothing is an error written here.</summary>
    protected List<string> ResolveFiles()
    {
        var files = new List<string>();
        if (ParameterSetName == LiteralPathSet)
        {
            foreach (var path in LiteralPath)
            {
                files.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
            }

            return files;
        }

        foreach (var path in Path)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(path))
            {
                files.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                continue;
            }

            try
            {
                var resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
                if (resolved.Count == 0)
                {
                    throw new ItemNotFoundException(path);
                }

                files.AddRange(resolved);
            }
            catch (ItemNotFoundException ex)
            {
                WriteError(ErrorRecords.Create("PolicyFileNotFound", ErrorCategory.ObjectNotFound, $"No file matches '{path}'.", path, ex));
            }
        }

        return files;
    }

    /// <summary>The policy a store snapshot holds, or an empty one with Exists = false.</summary>
    protected static PtcRegistryPolicy ToPolicy(StoredPolicy stored, object target)
    {
        var document = stored.Exists ? PolicyDocument.Parse(stored.Text ?? string.Empty, target) : PolicyDocument.CreateEmpty();
        return new PtcRegistryPolicy(document)
        {
            Exists = stored.Exists,
            SourceText = stored.Text,
            RegistryId = stored.RegistryId,
            Region = stored.Region,
            Scope = stored.Scope,
            Path = stored.Path,
        };
    }

    /// <summary>Writes a domain error as a non-terminating error for one target.</summary>
    protected void WriteTargetError(PolicyException exception, object target) => WriteError(ErrorRecords.From(exception, target));
}
