using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;

namespace PtcTools.Aws.Auth;

/// <summary>What a credential source may use: the environment, HTTP, a log, and the Region of the call.</summary>
public sealed class CredentialContext
{
    /// <summary>Creates a context.</summary>
    public CredentialContext(AwsEnvironment environment, AwsTransport transport, string? region, Action<string>? log = null)
    {
        Environment = environment;
        Transport = transport;
        Region = region;
        Log = log ?? (_ => { });
    }

    /// <summary>Variables and the home folder.</summary>
    public AwsEnvironment Environment { get; }

    /// <summary>The HTTP transport.</summary>
    public AwsTransport Transport { get; }

    /// <summary>The Region of the call (used for STS when a profile names none).</summary>
    public string? Region { get; }

    /// <summary>Where progress notes go (never secrets).</summary>
    public Action<string> Log { get; }

    /// <summary>How long one credential endpoint request may take.</summary>
    public TimeSpan EndpointTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the instance metadata service may take to answer (short: off EC2 nothing answers).</summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a credential_process may run.</summary>
    public TimeSpan ProcessTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Allow plain http to STS or the SSO portal on a host that is not loopback (the user's -AllowUnencryptedHttp).</summary>
    public bool AllowUnencryptedHttp { get; set; }
}

/// <summary>One place credentials may come from.</summary>
public interface ICredentialSource
{
    /// <summary>A short description for the NoCredentials message, e.g. "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY".</summary>
    string Name { get; }

    /// <summary>The credentials, or null with a reason when this source is not configured here.</summary>
    /// <exception cref="AwsClientException">The source is configured but fails (a bad profile, a refused AssumeRole): the chain stops there.</exception>
    Task<CredentialAttempt> ResolveAsync(CredentialContext context, CancellationToken cancellationToken);
}

/// <summary>The outcome of asking one source.</summary>
public sealed class CredentialAttempt
{
    private CredentialAttempt(AwsCredentials? credentials, string? reason)
    {
        Credentials = credentials;
        Reason = reason;
    }

    /// <summary>The credentials found, or null.</summary>
    public AwsCredentials? Credentials { get; }

    /// <summary>Why nothing was found.</summary>
    public string? Reason { get; }

    /// <summary>Found.</summary>
    public static CredentialAttempt Found(AwsCredentials credentials) => new(credentials, null);

    /// <summary>Not configured here, and why.</summary>
    public static CredentialAttempt NotFound(string reason) => new(null, reason);
}

/// <summary>Asks sources in order and returns the first credentials found, as AWS.Tools and the SDKs do.</summary>
public sealed class CredentialChain
{
    private readonly IReadOnlyList<ICredentialSource> _sources;

    /// <summary>Creates a chain over sources in order.</summary>
    public CredentialChain(IEnumerable<ICredentialSource> sources)
    {
        _sources = sources.ToList();
    }

    /// <summary>The sources, in order.</summary>
    public IReadOnlyList<ICredentialSource> Sources => _sources;

    /// <summary>The standard chain after any explicit or session sources the caller puts first: environment, shared files, ECS container, EC2 IMDSv2.</summary>
    public static IEnumerable<ICredentialSource> Defaults(string? credentialsFile = null) => new ICredentialSource[]
    {
        new EnvironmentCredentialSource(),
        new ProfileCredentialSource(null, credentialsFile),
        new ContainerCredentialSource(),
        new InstanceMetadataCredentialSource(),
    };

    /// <summary>Resolves credentials.</summary>
    /// <exception cref="AwsClientException"><c>NoCredentials</c> listing every source tried, or the error of a configured source that failed.</exception>
    public async Task<AwsCredentials> ResolveAsync(CredentialContext context, CancellationToken cancellationToken)
    {
        var tried = new List<string>();
        foreach (var source in _sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attempt = await source.ResolveAsync(context, cancellationToken).ConfigureAwait(false);
            if (attempt.Credentials is { } found)
            {
                context.Log($"Credentials: using {found}.");
                return found;
            }

            context.Log($"Credentials: {source.Name}: {attempt.Reason}");
            tried.Add($"{source.Name}: {attempt.Reason}");
        }

        throw new AwsClientException(
            ErrorIds.NoCredentials,
            PolicyErrorKind.PermissionDenied,
            "No AWS credentials were found. Tried, in order:" + Environment.NewLine + string.Join(Environment.NewLine, tried.Select(t => "  - " + t)),
            remedy: Remedy.GiveCredentials);
    }
}

/// <summary>Credentials given directly (parameters, a credential object, session defaults).</summary>
public sealed class StaticCredentialSource : ICredentialSource
{
    private readonly AwsCredentials? _credentials;

    /// <summary>Creates the source; null credentials mean "not given".</summary>
    public StaticCredentialSource(string name, AwsCredentials? credentials)
    {
        Name = name;
        _credentials = credentials;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task<CredentialAttempt> ResolveAsync(CredentialContext context, CancellationToken cancellationToken) =>
        Task.FromResult(_credentials is null ? CredentialAttempt.NotFound("not given") : CredentialAttempt.Found(_credentials));
}

/// <summary>AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.</summary>
public sealed class EnvironmentCredentialSource : ICredentialSource
{
    /// <inheritdoc />
    public string Name => "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

    /// <inheritdoc />
    public Task<CredentialAttempt> ResolveAsync(CredentialContext context, CancellationToken cancellationToken)
    {
        var env = context.Environment;
        var accessKey = env.Get("AWS_ACCESS_KEY_ID") ?? env.Get("AWS_ACCESS_KEY");
        var secret = env.Get("AWS_SECRET_ACCESS_KEY") ?? env.Get("AWS_SECRET_KEY");
        if (accessKey is null && secret is null)
        {
            return Task.FromResult(CredentialAttempt.NotFound("not set"));
        }

        if (accessKey is null || secret is null)
        {
            throw new AwsClientException(ErrorIds.AwsEnvironmentCredentialsIncomplete, PolicyErrorKind.InvalidArgument,
                $"Only {(accessKey is null ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID")} is set; set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither.");
        }

        return Task.FromResult(CredentialAttempt.Found(new AwsCredentials(accessKey, secret, env.Get("AWS_SESSION_TOKEN"), null, "environment variables")));
    }
}
