using System.Management.Automation;
using PtcTools.Aws.Stores;
using PtcTools.Policy;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Get-PtcRegistryPolicy: reads the registry policy of ECR Regions or of policy files.</summary>
[Cmdlet(VerbsCommon.Get, "PtcRegistryPolicy", DefaultParameterSetName = EcrSet)]
[OutputType(typeof(PtcRegistryPolicy))]
public sealed class GetPtcRegistryPolicyCommand : RegistryPolicyCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (UsesFiles)
        {
            foreach (var file in ResolveFiles())
            {
                try
                {
                    // A file that is read must be there: a typo in a path is an error, not an empty policy.
                    WriteObject(PolicyFile.Read(file));
                }
                catch (PolicyException ex)
                {
                    WriteTargetError(ex, file);
                }
            }

            return;
        }

        foreach (var region in RegionsOrDefault())
        {
            try
            {
                var client = CreateClient(region);
                var store = new EcrRegistryPolicyStore(client, Log);
                WriteObject(ToPolicy(Run(store.ReadAsync), client.Region));
            }
            catch (PolicyException ex)
            {
                WriteTargetError(ex, RegionTarget(region));
            }
        }
    }
}
