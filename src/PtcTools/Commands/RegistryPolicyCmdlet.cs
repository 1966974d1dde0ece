using System.Collections.Generic;
using System.IO;
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
                AddFile(files, path);
            }

            return files;
        }

        foreach (var path in Path)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(path))
            {
                AddFile(files, path);
                continue;
            }

            try
            {
                // A folder that a wildcard happens to match is not a policy file.
                var resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _).Where(p => !Directory.Exists(p)).ToList();
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

    // A folder named as a policy file would read as "no policy" and could never be written: say so instead.
    private void AddFile(List<string> files, string path)
    {
        var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        if (Directory.Exists(file))
        {
            WriteError(ErrorRecords.Create("PolicyFileNotFound", ErrorCategory.ObjectNotFound, $"'{file}' is a folder, not a policy file. Name the policy file in it, e.g. '{System.IO.Path.Combine(file, "registry-policy.json")}'.", path));
            return;
        }

        files.Add(file);
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
