using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Policy;
using PtcTools.Transforms;

namespace PtcTools.Completers;

/// <summary>
/// Completes a repository prefix with the live pull through cache rules of the Region named (or the default one),
/// when credentials are at hand without asking a metadata service: the keys or profile on the command line,
/// $StoredAWSCredentials, the environment variables or the default profile. Otherwise it offers nothing.
/// </summary>
/// <remarks>One attempt, bounded to a few seconds: a prompt must not wait on retries.</remarks>
public sealed class RepositoryPrefixCompleter : IArgumentCompleter
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(4);

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var environment = AwsEnvironment.Process;
            string? Given(string name) => fakeBoundParameters?[name] switch
            {
                null => null,
                string text => text,
                IEnumerable list => list.Cast<object?>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)).FirstOrDefault(),
                var other => Convert.ToString(other, CultureInfo.InvariantCulture),
            };

            var profile = Given("ProfileName");
            var location = Given("ProfileLocation");
            var region = RegionChain.ResolveOffline(environment, Given("Region"), profile, location,
                AwsSessionVariables.Region(Variable(AwsSessionVariables.RegionVariable)),
                AwsSessionVariables.ProfileName(Variable(AwsSessionVariables.CredentialsVariable)))?.Region;
            if (string.IsNullOrEmpty(region))
            {
                return Array.Empty<CompletionResult>();
            }

            var sources = new List<ICredentialSource>();
            if (Given("AccessKey") is { } accessKey && Given("SecretKey") is { } secretKey)
            {
                sources.Add(new StaticCredentialSource("-AccessKey/-SecretKey", new AwsCredentials(accessKey, secretKey, Given("SessionToken"), null, "-AccessKey/-SecretKey")));
            }
            else if (profile is not null)
            {
                sources.Add(new ProfileCredentialSource(profile, location));
            }
            else
            {
                if (AwsSessionVariables.CredentialSource(Variable(AwsSessionVariables.CredentialsVariable), location) is { } stored)
                {
                    sources.Add(stored);
                }

                // The environment and the default profile; never the container or instance metadata endpoints.
                sources.Add(new EnvironmentCredentialSource());
                sources.Add(new ProfileCredentialSource(null, location));
            }

            var endpoint = Given("EndpointUrl") ?? AwsEndpoints.FromEnvironment(environment, "ECR");
            var registryId = Given("RegistryId");
            using var budget = new CancellationTokenSource(s_budget);
            var rules = Task.Run(async () =>
            {
                var context = new CredentialContext(environment, AwsTransport.Shared, region) { EndpointTimeout = s_budget };
                var credentials = await new CredentialChain(sources).ResolveAsync(context, budget.Token).ConfigureAwait(false);
                var client = new EcrClient(new EcrClientOptions(region!, credentials)
                {
                    EndpointUrl = string.IsNullOrEmpty(endpoint) ? null : endpoint,
                    Retry = new RetryPolicy(maxAttempts: 1),
                    AttemptTimeout = s_budget,
                });
                return await client.DescribePullThroughCacheRulesAsync(string.IsNullOrEmpty(registryId) ? null : registryId, null, budget.Token).ConfigureAwait(false);
            });
            if (!rules.Wait(s_budget + TimeSpan.FromSeconds(1)))
            {
                return Array.Empty<CompletionResult>();
            }

            return CompletionText.Complete(rules.Result.Select(r => r.EcrRepositoryPrefix), wordToComplete, prefix =>
                rules.Result.First(r => r.EcrRepositoryPrefix == prefix) is var rule ? $"{prefix} -> {rule.UpstreamRegistryUrl} ({region})" : prefix);
        }
        catch (Exception ex) when (ex is PtcToolsException or AggregateException or OperationCanceledException or ArgumentException or InvalidOperationException)
        {
            // No credentials, no network, no rules: nothing to offer; the command itself will say why.
            return Array.Empty<CompletionResult>();
        }
    }

    // The user's session variable, read in the user's runspace (a completer runs inside a pipeline, where the
    // session state proxy is not allowed).
    private static object? Variable(string name)
    {
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddCommand("Microsoft.PowerShell.Utility\\Get-Variable").AddParameter("Name", name).AddParameter("ValueOnly").AddParameter("ErrorAction", ActionPreference.Ignore);
        return shell.Invoke().FirstOrDefault();
    }
}
