using System.Management.Automation;
using PtcTools.Aws.Targets;
using PtcTools.Policy;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Get-PtcRegistryPolicy: reads the registry policy of ECR Regions or of policy files.</summary>
[Cmdlet(VerbsCommon.Get, "PtcRegistryPolicy", DefaultParameterSetName = EcrSet)]
[OutputType(typeof(PtcRegistryPolicy))]
public sealed class GetPtcRegistryPolicyCommand : RegistryPolicyCmdlet
{
    /// <inheritdoc />
    protected override PolicyPathRules PathRules => PolicyPathRules.None;

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
                catch (PtcToolsException ex)
                {
                    WriteTargetError(ex, file);
                }
            }

            return;
        }

        var (targets, sessions) = ResolveTargets();
        ForEachTarget(targets, runner => async scope =>
        {
            var session = sessions!(scope.Registry);
            try
            {
                var store = await StoreAsync(session, scope).ConfigureAwait(false);
                var policy = ToPolicy(await store.ReadAsync(scope.Token).ConfigureAwait(false), scope.Registry.Region);
                scope.Post(() => WriteObject(policy));
                return TargetOutcome.Done("Read");
            }
            catch (PtcToolsException ex)
            {
                scope.Post(() => WriteTargetError(ex, Label(scope.Registry)));
                return TargetOutcome.Failed(ex.ErrorId);
            }
        });
    }
}
