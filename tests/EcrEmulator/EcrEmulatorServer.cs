using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using EcrEmulator.Control;
using EcrEmulator.Operations;
using EcrEmulator.Protocol;
using EcrEmulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EcrEmulator;

/// <summary>
/// A loopback HTTP server that speaks ECR JSON 1.1 with SigV4, enforces the service model, and
/// injects faults on request. Start one per test (port 0) or run it standalone (see Program).
/// </summary>
public sealed class EcrEmulatorServer : IDisposable
{
    /// <summary>The path prefix of the control API; ECR never uses it.</summary>
    public const string ControlPrefix = "/__emulator/";

    private const string JsonContentType = "application/x-amz-json-1.1";
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication _app;
    private readonly SigV4Verifier _verifier;
    private readonly ServiceModel _model = ServiceModel.Ecr;
    private readonly ConcurrentDictionary<string, TestCredential> _keys = new(StringComparer.Ordinal);
    private int _disposed;

    private EcrEmulatorServer(EmulatorOptions options, WebApplication app)
    {
        Options = options;
        _app = app;
        Faults = new FaultInjector();
        Requests = new RequestLog();
        Registries = new RegistryDirectory(options.AccountId, options.Region, Faults, options.Clock);
        foreach (var credential in options.Credentials)
        {
            _keys[credential.AccessKeyId] = credential;
        }
        ServeAccount(options.AccountId);
        foreach (var account in options.Accounts)
        {
            ServeAccount(account);
        }
        foreach (var region in options.Regions)
        {
            Registries.AddRegion(region);
        }
        _verifier = new SigV4Verifier(key => _keys.TryGetValue(key, out var credential) ? credential : null, Registries.ServesRegion,
            _model.SigningName, options.AllowedClockSkew, options.Clock);
        _sts = new StsOperations(
            new SigV4Verifier(key => _keys.TryGetValue(key, out var credential) ? credential : null, Registries.ServesRegion, "sts", options.AllowedClockSkew, options.Clock),
            Registries, Faults, Requests, options.Clock, () => Options.AccountId, a => Roles.TryGetValue(a, out var r) ? r : null);
    }

    private readonly StsOperations _sts;

    /// <summary>Roles the fake STS knows beyond the default (any role of a served account may be assumed): the role ARN and the external id its trust policy asks for.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>The options the emulator was started with.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The default registry's state (policy, scope, rules): the account and Region the emulator was started with.</summary>
    public RegistryState State => Registries.Default.State;

    /// <summary>Every registry served: accounts x Regions, each made on first use.</summary>
    public RegistryDirectory Registries { get; }

    /// <summary>The state of another account's or Region's registry.</summary>
    public RegistryState StateOf(string accountId, string region) => Registries.Get(accountId, region).State;

    /// <summary>Serves another account with its derived keys (<see cref="TestCredential.ForAccount"/>, <see cref="TestCredential.SessionForAccount"/>).</summary>
    public void ServeAccount(string accountId)
    {
        Registries.AddAccount(accountId);
        foreach (var credential in new[] { TestCredential.ForAccount(accountId), TestCredential.SessionForAccount(accountId) })
        {
            _keys.TryAdd(credential.AccessKeyId, credential);
        }
    }

    /// <summary>Accepts another key for an account (served from then on), as a fake STS would hand one out.</summary>
    public void AddCredential(TestCredential credential)
    {
        ServeAccount(credential.AccountId ?? Options.AccountId);
        _keys[credential.AccessKeyId] = credential;
    }

    /// <summary>Faults to inject into the next calls.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Every ECR call received, for counting retries.</summary>
    public RequestLog Requests { get; }

    /// <summary>Starts an emulator on 127.0.0.1 and returns once it accepts connections.</summary>
    public static EcrEmulatorServer Start(EmulatorOptions? options = null)
    {
        options ??= new EmulatorOptions();
        foreach (var account in options.Accounts.Prepend(options.AccountId))
        {
            if (account.Length != 12 || !account.All(char.IsAsciiDigit))
            {
                throw new ArgumentException($"The account id must be 12 digits, not '{account}'.", nameof(options));
            }
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EcrEmulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        var server = new EcrEmulatorServer(options, app);
        try
        {
            server.ApplySeed(options.SeedJson);
            app.Run(server.HandleAsync);
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Back to the start: the seed's state, no faults, an empty request log.</summary>
    public void Reset()
    {
        Faults.Clear();
        Requests.Clear();
        Registries.ClearAll();
        ApplySeed(Options.SeedJson);
    }

    /// <summary>
    /// Replaces the state with a seed, checked as ECR would check it: policyText, registryPolicyScope,
    /// pullThroughCacheRules and repositoryCreationTemplates for the default registry, and <c>registries</c>, a list
    /// of the same for other accounts and Regions (each with accountId and region; either left out means the
    /// default's), which are served from then on.
    /// </summary>
    public void ApplySeed(string? seedJson)
    {
        if (string.IsNullOrWhiteSpace(seedJson))
        {
            return;
        }
        using var document = ParseControlJson(seedJson, "seed");
        var seed = document.RootElement;
        RejectUnknown(seed, "seed", "policyText", "registryPolicyScope", "pullThroughCacheRules", "repositoryCreationTemplates", "accountId", "region",
            "endpoint", "callCount", "callCounts", "faults", "accounts", "regions", "registries");
        foreach (var (name, expected) in new[] { ("accountId", State.AccountId), ("region", State.Region) })
        {
            if (seed.TryGetProperty(name, out var given) && given.ValueKind != JsonValueKind.Null && given.GetString() != expected)
            {
                throw new ArgumentException($"The seed is for {name} '{given}', but this emulator runs as '{expected}'; name other registries under 'registries'.");
            }
        }

        // Read every registry's place first, so a refused seed serves nothing new.
        var others = new List<(string Account, string Region, JsonElement Seed)>();
        if (seed.TryGetProperty("registries", out var registries) && registries.ValueKind != JsonValueKind.Null)
        {
            if (registries.ValueKind != JsonValueKind.Array)
            {
                throw new ArgumentException("The seed's registries must be a list of registry seeds (accountId, region, policyText, registryPolicyScope, pullThroughCacheRules).");
            }
            var index = 0;
            foreach (var other in registries.EnumerateArray())
            {
                if (other.ValueKind != JsonValueKind.Object)
                {
                    throw new ArgumentException($"The seed's registries[{index}] must be a JSON object.");
                }
                RejectUnknown(other, $"seed's registries[{index}]", "accountId", "region", "policyText", "registryPolicyScope", "pullThroughCacheRules", "repositoryCreationTemplates");
                var account = OptionalText(other, "accountId") ?? Options.AccountId;
                var region = OptionalText(other, "region") ?? Options.Region;
                if (account.Length != 12 || !account.All(char.IsAsciiDigit))
                {
                    throw new ArgumentException($"The seed's registries[{index}].accountId must be 12 digits, not '{account}'.");
                }
                others.Add((account, region, other));
                index++;
            }
        }

        Registries.ClearAll();
        SeedRegistry(Registries.Default, seed, "seed");
        foreach (var (account, region, other) in others)
        {
            ServeAccount(account);
            Registries.AddRegion(region);
            var registry = Registries.Get(account, region);
            registry.State.Clear();
            SeedRegistry(registry, other, $"seed of {account} in {region}");
        }
    }

    // Seeds one registry: the same members and checks for the default registry and for each of 'registries'.
    private void SeedRegistry(Registry registry, JsonElement seed, string what)
    {
        if (seed.TryGetProperty("registryPolicyScope", out var scope) && scope.ValueKind != JsonValueKind.Null)
        {
            registry.State.RegistryPolicyScope = Run(registry, "PutAccountSetting", $"{{\"name\":\"REGISTRY_POLICY_SCOPE\",\"value\":{scope.GetRawText()}}}")["value"]!.GetValue<string>();
        }
        if (seed.TryGetProperty("policyText", out var policy) && policy.ValueKind != JsonValueKind.Null)
        {
            Run(registry, "PutRegistryPolicy", new JsonObject { ["policyText"] = JsonNode.Parse(policy.GetRawText()) }.ToJsonString());
        }
        if (seed.TryGetProperty("pullThroughCacheRules", out var rules) && rules.ValueKind != JsonValueKind.Null)
        {
            if (rules.ValueKind != JsonValueKind.Array)
            {
                throw new ArgumentException($"The {what}'s pullThroughCacheRules must be a list of CreatePullThroughCacheRule requests.");
            }
            var index = 0;
            foreach (var rule in rules.EnumerateArray())
            {
                var node = JsonNode.Parse(rule.GetRawText())!.AsObject();
                // A state dump lists the rules with their read-only fields; those are not create inputs.
                foreach (var readOnly in new[] { "createdAt", "updatedAt" })
                {
                    node.Remove(readOnly);
                }
                try
                {
                    Run(registry, "CreatePullThroughCacheRule", node.ToJsonString());
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"The {what}'s pullThroughCacheRules[{index}] is not accepted: {ex.Message}", ex);
                }
                index++;
            }
        }
        SeedTemplates(registry, seed, what);
    }

    private void SeedTemplates(Registry registry, JsonElement seed, string what)
    {
        if (!seed.TryGetProperty("repositoryCreationTemplates", out var templates) || templates.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (templates.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException($"The {what}'s repositoryCreationTemplates must be a list of CreateRepositoryCreationTemplate requests.");
        }
        var index = 0;
        foreach (var template in templates.EnumerateArray())
        {
            var node = JsonNode.Parse(template.GetRawText())!.AsObject();
            foreach (var readOnly in new[] { "createdAt", "updatedAt" })
            {
                node.Remove(readOnly);
            }
            try
            {
                Run(registry, "CreateRepositoryCreationTemplate", node.ToJsonString());
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"The {what}'s repositoryCreationTemplates[{index}] is not accepted: {ex.Message}", ex);
            }
            index++;
        }
    }

    private static string? OptionalText(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Stops listening and releases the port.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            _app.StopAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // in-flight requests (a long injected delay) are cut off rather than waited for
        }
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private JsonObject Run(Registry registry, string operation, string inputJson)
    {
        using var input = JsonDocument.Parse(inputJson);
        try
        {
            _model.ValidateInput(operation, input.RootElement);
            return registry.Operations.Invoke(operation, input.RootElement);
        }
        catch (EcrError ex)
        {
            throw new ArgumentException($"{ex.Code}: {ex.Message}", ex);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        // Tolerate "http://host:port/" + "/__emulator/..." from launchers that join URLs naively.
        if (("/" + (context.Request.Path.Value ?? string.Empty).TrimStart('/')).StartsWith("/__emulator/", StringComparison.Ordinal))
        {
            await HandleControlAsync(context);
            return;
        }
        // STS speaks the Query protocol (a form body) and signs for "sts"; ECR speaks JSON 1.1 with X-Amz-Target.
        if ((context.Request.ContentType ?? string.Empty).StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            && context.Request.Headers["X-Amz-Target"].Count == 0)
        {
            await _sts.HandleAsync(context, ReadBodyAsync, ToSignedRequest, PeekSigner);
            return;
        }
        await HandleEcrAsync(context);
    }

    // The account and Region a request's Authorization names, before the signature is checked: what per-registry faults match on.
    private (string? Account, string? Region) PeekSigner(HttpContext context)
    {
        var authorization = context.Request.Headers["Authorization"].ToString();
        var at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        if (at < 0)
        {
            return (null, null);
        }
        var scope = authorization.Substring(at + "Credential=".Length).Split(',')[0].Trim().Split('/');
        if (scope.Length < 3)
        {
            return (null, null);
        }
        var account = _keys.TryGetValue(scope[0], out var credential) ? credential.AccountId ?? Options.AccountId : null;
        return (account, scope[2]);
    }

    private async Task HandleEcrAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        var body = await ReadBodyAsync(context.Request);
        var bodyText = Encoding.UTF8.GetString(body);
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var prefix = _model.TargetPrefix + ".";
        var operation = target.StartsWith(prefix, StringComparison.Ordinal) ? target.Substring(prefix.Length) : (target.Length == 0 ? "(none)" : target);
        string? accessKey = null;
        string? account = null;
        string? region = null;
        var (peekAccount, peekRegion) = PeekSigner(context);
        var fault = Faults.Next(operation, peekAccount, peekRegion);
        string? faultName = fault.Kind?.ToString();
        if (fault.DelayMs > 0)
        {
            faultName = faultName is null ? "Delay" : "Delay+" + faultName;
            try
            {
                await Task.Delay(fault.DelayMs, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Log(operation, accessKey, account, region, 0, null, faultName, bodyText);
                return;
            }
        }

        if (fault.Kind == FaultKind.DropConnection)
        {
            Log(operation, accessKey, account, region, 0, null, faultName, bodyText);
            context.Abort();
            return;
        }

        if (fault is { Kind: FaultKind.Respond, Canned: { } canned })
        {
            Log(operation, accessKey, account, region, canned.Status, null, faultName, bodyText);
            context.Response.StatusCode = canned.Status;
            context.Response.Headers["x-amzn-RequestId"] = requestId;
            context.Response.ContentType = JsonContentType;
            var cannedBytes = Encoding.UTF8.GetBytes(canned.Body);
            context.Response.ContentLength = cannedBytes.Length;
            await context.Response.Body.WriteAsync(cannedBytes, context.RequestAborted);
            return;
        }

        JsonObject response;
        try
        {
            if (fault.Kind == FaultKind.Throttle)
            {
                throw EcrError.Throttling();
            }
            if (fault.Kind == FaultKind.ServerError)
            {
                throw EcrError.Server();
            }
            if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != "/")
            {
                throw EcrError.UnknownOperation($"ECR operations are POST /, not {context.Request.Method} {context.Request.Path}.");
            }
            var (credential, signedRegion) = _verifier.Authenticate(ToSignedRequest(context, body));
            accessKey = credential.AccessKeyId;
            account = credential.AccountId ?? Options.AccountId;
            region = signedRegion;
            var contentType = context.Request.ContentType ?? string.Empty;
            if (!contentType.Split(';')[0].Trim().Equals(JsonContentType, StringComparison.OrdinalIgnoreCase))
            {
                throw EcrError.UnknownOperation($"The Content-Type must be {JsonContentType}, not '{contentType}'.");
            }
            if (!target.StartsWith(prefix, StringComparison.Ordinal) || !_model.HasOperation(operation) || !EcrOperations.Implemented.Contains(operation))
            {
                throw EcrError.UnknownOperation(target.Length == 0 ? "Missing X-Amz-Target header." : $"Unknown operation '{target}'.");
            }
            using var input = ParseBody(body);
            _model.ValidateInput(operation, input.RootElement);
            // The registry is the signer's account in the Region the request was signed for, as in AWS.
            response = Registries.Get(account, region).Operations.Invoke(operation, input.RootElement);
        }
        catch (EcrError error)
        {
            if (fault.Kind == FaultKind.DropResponse)
            {
                Log(operation, accessKey, account, region, 0, error.Code, faultName, bodyText);
                context.Abort();
                return;
            }
            Log(operation, accessKey, account, region, error.Status, error.Code, faultName, bodyText);
            await WriteErrorAsync(context, requestId, error);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug in the emulator must look like a server fault, not a hang.
            Console.Error.WriteLine($"EcrEmulator: {operation} failed: {ex}");
            var error = EcrError.Server("The emulator failed: " + ex.Message);
            Log(operation, accessKey, account, region, error.Status, error.Code, faultName, bodyText);
            await WriteErrorAsync(context, requestId, error);
            return;
        }
        if (fault.Kind == FaultKind.DropResponse)
        {
            // The call took effect; only its answer is lost.
            Log(operation, accessKey, account, region, 0, null, faultName, bodyText);
            context.Abort();
            return;
        }
        Log(operation, accessKey, account, region, 200, null, faultName, bodyText);
        await WriteJsonAsync(context, requestId, 200, response);
    }

    private static JsonDocument ParseBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return JsonDocument.Parse("{}"); // some clients omit the "{}" of an empty input
        }
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw EcrError.Serialization($"The request body is not valid JSON: {ex.Message}");
        }
    }

    private void Log(string operation, string? accessKey, string? account, string? region, int status, string? errorCode, string? fault, string body) =>
        Requests.Add(sequence => new RequestLogEntry(sequence, Options.Clock(), operation, accessKey, status, errorCode, fault, body, account, region));

    private static SignedRequest ToSignedRequest(HttpContext context, byte[] body)
    {
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var question = rawTarget.IndexOf('?');
        var rawPath = question < 0 ? rawTarget : rawTarget.Substring(0, question);
        var rawQuery = question < 0 ? string.Empty : rawTarget.Substring(question + 1);
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var header in context.Request.Headers)
        {
            headers[header.Key.ToLowerInvariant()] = header.Value.Select(v => v ?? string.Empty).ToList();
        }
        return new SignedRequest(context.Request.Method, rawPath, rawQuery, headers, body);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    private static Task WriteErrorAsync(HttpContext context, string requestId, EcrError error)
    {
        context.Response.Headers["x-amzn-ErrorType"] = error.Code;
        return WriteJsonAsync(context, requestId, error.Status, new JsonObject { ["__type"] = error.Type, ["message"] = error.Message });
    }

    private static async Task WriteJsonAsync(HttpContext context, string requestId, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        context.Response.ContentType = JsonContentType;
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(s_json));
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    // ---- control API: no signature, JSON in and out ----

    private async Task HandleControlAsync(HttpContext context)
    {
        var path = "/" + context.Request.Path.Value!.Trim('/');
        var method = context.Request.Method;
        try
        {
            JsonNode result;
            switch (method, path)
            {
                case ("GET", "/__emulator/state"):
                    result = StateJson(context.Request.Query["accountId"].FirstOrDefault(), context.Request.Query["region"].FirstOrDefault());
                    break;
                case ("POST", "/__emulator/credentials"):
                    result = RegisterCredential(Encoding.UTF8.GetString(await ReadBodyAsync(context.Request)));
                    break;
                case ("PUT", "/__emulator/state"):
                    ApplySeed(Encoding.UTF8.GetString(await ReadBodyAsync(context.Request)));
                    result = StateJson();
                    break;
                case ("POST", "/__emulator/faults"):
                    ArmFaults(Encoding.UTF8.GetString(await ReadBodyAsync(context.Request)));
                    result = Faults.ToJson();
                    break;
                case ("GET", "/__emulator/faults"):
                    result = Faults.ToJson();
                    break;
                case ("DELETE", "/__emulator/faults"):
                    Faults.Clear();
                    result = Faults.ToJson();
                    break;
                case ("POST", "/__emulator/reset"):
                    Reset();
                    result = StateJson();
                    break;
                case ("GET", "/__emulator/requests"):
                    result = Requests.ToJson();
                    break;
                default:
                    await WriteControlAsync(context, 404, new JsonObject
                    {
                        ["error"] = $"No control endpoint {method} {path}. Use GET|PUT /__emulator/state, GET|POST|DELETE /__emulator/faults, POST /__emulator/reset, GET /__emulator/requests, POST /__emulator/credentials.",
                    });
                    return;
            }
            await WriteControlAsync(context, 200, result);
        }
        catch (ArgumentException ex)
        {
            await WriteControlAsync(context, 400, new JsonObject { ["error"] = ex.Message });
        }
    }

    // One registry's state (the default one unless accountId or region name another), with what the emulator serves.
    private JsonObject StateJson(string? accountId = null, string? region = null)
    {
        var state = Registries.Get(string.IsNullOrEmpty(accountId) ? Options.AccountId : accountId!, string.IsNullOrEmpty(region) ? Options.Region : region!).State.ToJson();
        state["endpoint"] = Endpoint?.ToString();
        state["callCount"] = Requests.Count;
        state["callCounts"] = Requests.CountsByOperation();
        state["faults"] = Faults.ToJson();
        state["accounts"] = new JsonArray(Registries.Accounts.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
        state["regions"] = new JsonArray(Registries.Regions.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray());
        return state;
    }

    // POST /__emulator/credentials: {"accessKeyId", "secretAccessKey", "sessionToken"?, "accountId"}.
    private JsonObject RegisterCredential(string json)
    {
        using var document = ParseControlJson(json, "credentials request");
        var request = document.RootElement;
        RejectUnknown(request, "credentials request", "accessKeyId", "secretAccessKey", "sessionToken", "accountId");
        var key = OptionalText(request, "accessKeyId") ?? throw new ArgumentException("'accessKeyId' is required.");
        var secret = OptionalText(request, "secretAccessKey") ?? throw new ArgumentException("'secretAccessKey' is required.");
        var account = OptionalText(request, "accountId") ?? Options.AccountId;
        if (account.Length != 12 || !account.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"'accountId' must be 12 digits, not '{account}'.");
        }
        AddCredential(new TestCredential(key, secret, OptionalText(request, "sessionToken"), account));
        return new JsonObject { ["accessKeyId"] = key, ["accountId"] = account };
    }

    /// <summary>Arms faults from the control API's JSON (see README.md); unknown members are an error, so nothing is silently ignored.</summary>
    public void ArmFaults(string json)
    {
        using var document = ParseControlJson(json, "faults request");
        var request = document.RootElement;
        RejectUnknown(request, "faults request", "throttle", "serverError", "dropConnection", "dropResponse", "delayMs", "delayCount", "operation", "accountId", "region",
            "changePolicyBeforeNextPut", "changePolicyAfterNextGet", "changePolicyAfterPut", "changePolicyAfterPutCount", "staleReadsAfterPut", "respond");
        var operation = request.TryGetProperty("operation", out var op) && op.ValueKind != JsonValueKind.Null ? op.GetString() : null;
        if (operation is not null && !EcrOperations.Implemented.Contains(operation) && !StsOperations.Implemented.Contains(operation))
        {
            throw new ArgumentException($"'operation' must be one of {string.Join(", ", EcrOperations.Implemented.Concat(StsOperations.Implemented))}, not '{operation}'.");
        }
        // The throttles, errors, drops and delays of this request only hit one registry's calls (an account, a Region, or both).
        var faultAccount = request.TryGetProperty("accountId", out var fa) && fa.ValueKind != JsonValueKind.Null ? fa.GetString() : null;
        var faultRegion = request.TryGetProperty("region", out var fr) && fr.ValueKind != JsonValueKind.Null ? fr.GetString() : null;
        if (faultAccount is not null && (faultAccount.Length != 12 || !faultAccount.All(char.IsAsciiDigit)))
        {
            throw new ArgumentException($"'accountId' must be a 12-digit account id, not '{faultAccount}'.");
        }
        // Read and check everything first, so a refused request arms nothing.
        var throttle = Count(request, "throttle");
        var serverError = Count(request, "serverError");
        var drop = Count(request, "dropConnection");
        var dropResponse = Count(request, "dropResponse");
        var delayMs = Count(request, "delayMs");
        var staleReads = request.TryGetProperty("staleReadsAfterPut", out _) ? Count(request, "staleReadsAfterPut") : (int?)null;
        int? delayCount = request.TryGetProperty("delayCount", out _) ? Count(request, "delayCount") : null;
        if (delayCount is not null && delayMs == 0)
        {
            throw new ArgumentException("'delayCount' needs 'delayMs', the delay to apply.");
        }
        CannedResponse? canned = null;
        var cannedCount = 0;
        if (request.TryGetProperty("respond", out var respond) && respond.ValueKind != JsonValueKind.Null)
        {
            if (respond.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("'respond' must be an object: {\"status\": 200, \"body\": \"...\", \"count\": 1}.");
            }
            RejectUnknown(respond, "respond", "status", "body", "count");
            var status = respond.TryGetProperty("status", out _) ? Count(respond, "status") : 200;
            if (status is < 100 or > 599)
            {
                throw new ArgumentException($"'respond.status' must be an HTTP status from 100 to 599, not {status}.");
            }
            if (!respond.TryGetProperty("body", out var cannedBody) || cannedBody.ValueKind != JsonValueKind.String)
            {
                throw new ArgumentException("'respond.body' must be the answer's body as a JSON string (any text, valid JSON or not).");
            }
            canned = new CannedResponse(status, cannedBody.GetString()!);
            cannedCount = respond.TryGetProperty("count", out _) ? Count(respond, "count") : 1;
        }
        string? afterPut = null;
        var afterPutArmed = request.TryGetProperty("changePolicyAfterPut", out var afterPutText);
        if (afterPutArmed)
        {
            if (afterPutText.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                throw new ArgumentException("'changePolicyAfterPut' must be the policy text as a JSON string (or null to delete the policy).");
            }
            afterPut = afterPutText.ValueKind == JsonValueKind.Null ? null : afterPutText.GetString();
        }
        int? afterPutCount = request.TryGetProperty("changePolicyAfterPutCount", out _) ? Count(request, "changePolicyAfterPutCount") : null;
        if (afterPutCount is not null && !afterPutArmed)
        {
            throw new ArgumentException("'changePolicyAfterPutCount' needs 'changePolicyAfterPut', the text the other writer stores.");
        }
        var policyChanges = new List<string?>();
        foreach (var name in new[] { "changePolicyBeforeNextPut", "changePolicyAfterNextGet" })
        {
            if (request.TryGetProperty(name, out var text))
            {
                if (text.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    throw new ArgumentException($"'{name}' must be the policy text as a JSON string (or null to delete the policy).");
                }
                policyChanges.Add(text.ValueKind == JsonValueKind.Null ? null : text.GetString());
            }
        }
        if (delayMs > 0)
        {
            Faults.Arm(FaultKind.Delay, delayCount ?? int.MaxValue, operation, delayMs, faultAccount, faultRegion);
        }
        Faults.Arm(FaultKind.Throttle, throttle, operation, 0, faultAccount, faultRegion);
        Faults.Arm(FaultKind.ServerError, serverError, operation, 0, faultAccount, faultRegion);
        Faults.Arm(FaultKind.DropConnection, drop, operation, 0, faultAccount, faultRegion);
        Faults.Arm(FaultKind.DropResponse, dropResponse, operation, 0, faultAccount, faultRegion);
        foreach (var change in policyChanges)
        {
            Faults.ChangePolicyAfterNextGet(change);
        }
        if (canned is not null)
        {
            Faults.Respond(canned, cannedCount, operation);
        }
        if (afterPutArmed)
        {
            Faults.ChangePolicyAfterPut(afterPut, afterPutCount ?? 1);
        }
        if (staleReads is { } reads)
        {
            Faults.StaleReadsAfterPut(reads);
        }
    }

    private static int Count(JsonElement request, string name)
    {
        if (!request.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var count) || count < 0)
        {
            throw new ArgumentException($"'{name}' must be a whole number of at least 0, not {value.GetRawText()}.");
        }
        return count;
    }

    private static JsonDocument ParseControlJson(string json, string what)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The {what} is not valid JSON: {ex.Message}", ex);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ArgumentException($"The {what} must be a JSON object.");
        }
        return document;
    }

    private static void RejectUnknown(JsonElement element, string what, params string[] known)
    {
        var unknown = element.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"The {what} has unknown member(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))}; known: {string.Join(", ", known)}.");
        }
    }

    private static async Task WriteControlAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(s_json));
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
