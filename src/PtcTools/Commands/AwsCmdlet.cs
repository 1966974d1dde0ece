using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Iam;
using PtcTools.Aws.SecretsManager;
using PtcTools.Completers;
using PtcTools.Policy;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>The AWS parameters every PtcTools cmdlet that talks to ECR shares, named and aliased as in AWS.Tools.</summary>
public abstract class AwsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _log = new();
    private AwsCredentials? _credentials;

    /// <summary>The Region or Regions to call.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("RegionToCall")]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string[]? Region { get; set; }

    /// <summary>A profile of the shared config and credentials files.</summary>
    [Parameter]
    [Alias("StoredCredentials", "AWSProfileName")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? ProfileName { get; set; }

    /// <summary>The shared credentials file to read instead of the default.</summary>
    [Parameter]
    [Alias("AWSProfilesLocation", "ProfilesLocation")]
    public string? ProfileLocation { get; set; }

    /// <summary>The access key id.</summary>
    [Parameter]
    [Alias("AK")]
    public string? AccessKey { get; set; }

    /// <summary>The secret access key.</summary>
    [Parameter]
    [Alias("SK", "SecretAccessKey")]
    public string? SecretKey { get; set; }

    /// <summary>The session token of temporary credentials.</summary>
    [Parameter]
    [Alias("ST")]
    public string? SessionToken { get; set; }

    /// <summary>An AWS.Tools AWSCredentials object or a PSCredential.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object? Credential { get; set; }

    /// <summary>An ECR endpoint to call instead of the Region's (an emulator, a VPC endpoint).</summary>
    [Parameter]
    public string? EndpointUrl { get; set; }

    /// <summary>Send signed requests over plain http to a host that is not loopback (refused otherwise), with a warning.</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedHttp { get; set; }

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    protected CancellationToken StopToken => _stop.Token;

    /// <summary>The Regions to work on: the given ones, or one to be resolved by the Region chain (null).</summary>
    protected IReadOnlyList<string?> RegionsOrDefault() => Region is { Length: > 0 } ? Region : new string?[] { null };

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Releases the cancellation source; PowerShell calls it when the pipeline ends.</summary>
    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Queues a verbose note from any thread; written on the pipeline thread by <see cref="Run{T}"/>.</summary>
    protected void Log(string message) => _log.Enqueue(message);

    /// <summary>Runs async work on the pipeline thread's behalf, writing its notes as verbose output while it runs; Ctrl+C cancels it.</summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() => work(_stop.Token));
        while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(50))
        {
            Drain();
        }

        Drain();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>An ECR client for a Region (null: resolved by the Region chain), with credentials from the chain.</summary>
    protected EcrClient CreateClient(string? region)
    {
        var (resolved, context) = ResolveRegionAndCredentials(region);

        // As the AWS SDKs do: -EndpointUrl, then AWS_ENDPOINT_URL_ECR, then AWS_ENDPOINT_URL, then the Region's endpoint.
        var endpoint = EndpointUrl ?? ServiceEndpoint(context.Environment, "ECR");
        return new EcrClient(new EcrClientOptions(resolved, _credentials!) { EndpointUrl = endpoint, Log = Log, AllowUnencryptedHttp = AllowUnencryptedHttp });
    }

    /// <summary>An IAM client for the partition of a Region (IAM is global), with the same credentials; -EndpointUrl (ECR's) does not apply.</summary>
    protected IamClient CreateIamClient(string? region)
    {
        var (resolved, context) = ResolveRegionAndCredentials(region);
        return new IamClient(new AwsClientOptions(resolved, _credentials!) { EndpointUrl = ServiceEndpoint(context.Environment, "IAM"), Log = Log, AllowUnencryptedHttp = AllowUnencryptedHttp });
    }

    /// <summary>A Secrets Manager client for a Region, with the same credentials; -EndpointUrl (ECR's) does not apply.</summary>
    protected SecretsManagerClient CreateSecretsManagerClient(string? region)
    {
        var (resolved, context) = ResolveRegionAndCredentials(region);
        return new SecretsManagerClient(new AwsClientOptions(resolved, _credentials!) { EndpointUrl = ServiceEndpoint(context.Environment, "SECRETS_MANAGER"), Log = Log, AllowUnencryptedHttp = AllowUnencryptedHttp });
    }

    /// <summary>The caller's credentials, once <see cref="ResolveRegionAndCredentials"/> has resolved them.</summary>
    protected AwsCredentials? Credentials => _credentials;

    /// <summary>The ECR endpoint override: -EndpointUrl, then AWS_ENDPOINT_URL_ECR, then AWS_ENDPOINT_URL (null: the Region's).</summary>
    protected string? EcrEndpoint => EndpointUrl ?? ServiceEndpoint(AwsEnvironment.Process, "ECR");

    /// <summary>A service's endpoint override from the environment (AWS_ENDPOINT_URL_<paramref name="serviceId"/>, then AWS_ENDPOINT_URL), or null for the Region's; -EndpointUrl (ECR's) does not apply.</summary>
    protected string? ServiceEndpointOverride(string serviceId) => ServiceEndpoint(AwsEnvironment.Process, serviceId);

    /// <summary>The STS endpoint override: AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL (null: the Region's regional endpoint); -EndpointUrl (ECR's) does not apply.</summary>
    protected static string? StsEndpoint => AwsEndpoints.FromEnvironment(AwsEnvironment.Process, "STS");

    /// <summary>The Region (null: the Region chain's) and, once per command, the credentials from the chain.</summary>
    protected (string Region, CredentialContext Context) ResolveRegionAndCredentials(string? region)
    {
        if (AwsTransport.Shared.TlsNote is { } tls)
        {
            Log(tls);
        }

        var context = new CredentialContext(AwsEnvironment.Process, AwsTransport.Shared, region, Log) { AllowUnencryptedHttp = AllowUnencryptedHttp };
        WarnIfUnencrypted(context.Environment);
        var (resolved, source) = Run(ct => RegionChain.ResolveAsync(context, region, ProfileName, ProfileLocation, SessionRegion(), ct, StoredProfile()));
        Log($"Region {resolved} (from {source}).");
        context = new CredentialContext(AwsEnvironment.Process, AwsTransport.Shared, resolved, Log) { AllowUnencryptedHttp = AllowUnencryptedHttp };
        if (_credentials is null)
        {
            // Session variables are read here, on the pipeline thread; only the network work runs in the background.
            var chain = new CredentialChain(CredentialSources().ToList());
            _credentials = Run(ct => chain.ResolveAsync(context, ct));
        }

        return (resolved, context);
    }

    // The environment's override for a service (AwsEndpoints.FromEnvironment), noted in the verbose stream.
    private string? ServiceEndpoint(AwsEnvironment environment, string serviceId)
    {
        var endpoint = AwsEndpoints.FromEnvironment(environment, serviceId);
        if (endpoint is not null)
        {
            Log($"Endpoint {endpoint} (from the AWS_ENDPOINT_URL_{serviceId} or AWS_ENDPOINT_URL environment variable).");
        }

        return endpoint;
    }

    private bool _warnedUnencrypted;

    // Without the switch the transport refuses such an endpoint before sending; with it, the user hears what it means.
    private void WarnIfUnencrypted(AwsEnvironment environment)
    {
        if (!AllowUnencryptedHttp || _warnedUnencrypted)
        {
            return;
        }

        var plain = new[] { EndpointUrl, environment.Get("AWS_ENDPOINT_URL_ECR"), environment.Get("AWS_ENDPOINT_URL_IAM"), environment.Get("AWS_ENDPOINT_URL_SECRETS_MANAGER"), environment.Get("AWS_ENDPOINT_URL_STS"), environment.Get("AWS_ENDPOINT_URL_SSO"), environment.Get("AWS_ENDPOINT_URL") }
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && AwsTransport.IsUnencryptedRemote(uri) ? uri.GetLeftPart(UriPartial.Authority) : null)
            .Where(url => url is not null)
            .Distinct()
            .ToList();
        if (plain.Count > 0)
        {
            _warnedUnencrypted = true;
            WriteWarning($"-AllowUnencryptedHttp: requests to {string.Join(", ", plain)} go over plain http. Anyone on the network path can read the policies and temporary credentials in the answers, and replay the signed requests within their 5-minute window.");
        }
    }

    /// <summary>Reports an error after Ctrl+C, when the pipeline refuses WriteError: on the host, and in $Error, so the user learns what state the target is in.</summary>
    protected void ReportWhileStopping(ErrorRecord error)
    {
        // WriteError would append the command to the id; done here as it would be.
        error = new ErrorRecord(error.Exception, error.FullyQualifiedErrorId + "," + GetType().FullName, error.CategoryInfo.Category, error.TargetObject) { ErrorDetails = error.ErrorDetails };
        try
        {
            if (SessionState.PSVariable.GetValue("global:Error") is System.Collections.ArrayList errors)
            {
                errors.Insert(0, error);
            }
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or NotSupportedException or ArgumentException)
        {
            // $Error is read-only or missing in this host; the host line below still tells.
        }

        try
        {
            Host?.UI?.WriteErrorLine($"{MyInvocation.MyCommand.Name}: {error.Exception.Message} ({error.FullyQualifiedErrorId})");
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or NotSupportedException or System.IO.IOException or System.Management.Automation.Host.HostException)
        {
            // A host without a console: $Error has it.
        }
    }


    /// <summary>The target object for errors about a Region.</summary>
    protected static object RegionTarget(string? region) => region ?? "(default Region)";

    private IEnumerable<ICredentialSource> CredentialSources()
    {
        if (AccessKey is not null || SecretKey is not null)
        {
            if (AccessKey is null || SecretKey is null)
            {
                throw new PolicyException(ErrorIds.CredentialInputInvalid, PolicyErrorKind.InvalidArgument, "-AccessKey and -SecretKey go together; pass both.", AccessKey is null ? "-SecretKey" : "-AccessKey");
            }

            yield return new StaticCredentialSource("-AccessKey/-SecretKey", new AwsCredentials(AccessKey, SecretKey, SessionToken, null, "-AccessKey/-SecretKey"));
        }
        else if (Credential is not null)
        {
            yield return new StaticCredentialSource("-Credential", CredentialInput.ToCredentials(Credential, "-Credential"));
        }

        if (ProfileName is not null)
        {
            yield return new ProfileCredentialSource(ProfileName, ProfileLocation);
        }
        else
        {
            if (AwsSessionVariables.CredentialSource(SessionState.PSVariable.GetValue(AwsSessionVariables.CredentialsVariable), ProfileLocation) is { } stored)
            {
                yield return stored;
            }
            else
            {
                // Named in NoCredentials as tried, so a user of AWS.Tools sees that Set-AWSCredential would count.
                yield return new StaticCredentialSource("$StoredAWSCredentials (Set-AWSCredential)", null);
            }
        }

        foreach (var source in CredentialChain.Defaults(ProfileLocation))
        {
            yield return source;
        }
    }

    // The profile Set-AWSCredential -ProfileName stored in $StoredAWSCredentials (a name), when -ProfileName is not given.
    private string? StoredProfile()
    {
        if (ProfileName is not null)
        {
            return null;
        }

        return AwsSessionVariables.ProfileName(SessionState.PSVariable.GetValue(AwsSessionVariables.CredentialsVariable));
    }

    private string? SessionRegion() => AwsSessionVariables.Region(SessionState.PSVariable.GetValue(AwsSessionVariables.RegionVariable));

    /// <summary>Writes the queued verbose notes (pipeline thread only).</summary>
    protected void DrainLog() => Drain();

    private void Drain()
    {
        while (_log.TryDequeue(out var message))
        {
            WriteVerbose(message);
        }
    }
}
