using System;
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
    private readonly EcrOperations _operations;
    private readonly ServiceModel _model = ServiceModel.Ecr;
    private int _disposed;

    private EcrEmulatorServer(EmulatorOptions options, WebApplication app)
    {
        Options = options;
        _app = app;
        State = new RegistryState(options.AccountId, options.Region);
        Faults = new FaultInjector();
        Requests = new RequestLog();
        _verifier = new SigV4Verifier(options.Credentials, options.Region, _model.SigningName, options.AllowedClockSkew, options.Clock);
        _operations = new EcrOperations(State, Faults, options.Clock);
    }

    /// <summary>The options the emulator was started with.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The registry's state (policy, scope, rules).</summary>
    public RegistryState State { get; }

    /// <summary>Faults to inject into the next calls.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Every ECR call received, for counting retries.</summary>
    public RequestLog Requests { get; }

    /// <summary>Starts an emulator on 127.0.0.1 and returns once it accepts connections.</summary>
    public static EcrEmulatorServer Start(EmulatorOptions? options = null)
    {
        options ??= new EmulatorOptions();
        if (options.AccountId.Length != 12 || !options.AccountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"The account id must be 12 digits, not '{options.AccountId}'.", nameof(options));
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
        State.Clear();
        ApplySeed(Options.SeedJson);
    }

    /// <summary>Replaces the state with a seed (JSON: policyText, registryPolicyScope, pullThroughCacheRules, repositoryCreationTemplates), checked as ECR would check it.</summary>
    public void ApplySeed(string? seedJson)
    {
        if (string.IsNullOrWhiteSpace(seedJson))
        {
            return;
        }
        using var document = ParseControlJson(seedJson, "seed");
        var seed = document.RootElement;
        RejectUnknown(seed, "seed", "policyText", "registryPolicyScope", "pullThroughCacheRules", "repositoryCreationTemplates", "accountId", "region",
            "endpoint", "callCount", "faults");
        foreach (var (name, expected) in new[] { ("accountId", State.AccountId), ("region", State.Region) })
        {
            if (seed.TryGetProperty(name, out var given) && given.ValueKind != JsonValueKind.Null && given.GetString() != expected)
            {
                throw new ArgumentException($"The seed is for {name} '{given}', but this emulator runs as '{expected}'.");
            }
        }
        State.Clear();
        if (seed.TryGetProperty("registryPolicyScope", out var scope) && scope.ValueKind != JsonValueKind.Null)
        {
            State.RegistryPolicyScope = Run("PutAccountSetting", $"{{\"name\":\"REGISTRY_POLICY_SCOPE\",\"value\":{scope.GetRawText()}}}")["value"]!.GetValue<string>();
        }
        if (seed.TryGetProperty("policyText", out var policy) && policy.ValueKind != JsonValueKind.Null)
        {
            Run("PutRegistryPolicy", new JsonObject { ["policyText"] = JsonNode.Parse(policy.GetRawText()) }.ToJsonString());
        }
        if (seed.TryGetProperty("pullThroughCacheRules", out var rules) && rules.ValueKind != JsonValueKind.Null)
        {
            if (rules.ValueKind != JsonValueKind.Array)
            {
                throw new ArgumentException("The seed's pullThroughCacheRules must be a list of CreatePullThroughCacheRule requests.");
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
                    Run("CreatePullThroughCacheRule", node.ToJsonString());
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"The seed's pullThroughCacheRules[{index}] is not accepted: {ex.Message}", ex);
                }
                index++;
            }
        }
        SeedTemplates(seed);
    }

    private void SeedTemplates(JsonElement seed)
    {
        if (!seed.TryGetProperty("repositoryCreationTemplates", out var templates) || templates.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (templates.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException("The seed's repositoryCreationTemplates must be a list of CreateRepositoryCreationTemplate requests.");
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
                Run("CreateRepositoryCreationTemplate", node.ToJsonString());
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"The seed's repositoryCreationTemplates[{index}] is not accepted: {ex.Message}", ex);
            }
            index++;
        }
    }

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

    private JsonObject Run(string operation, string inputJson)
    {
        using var input = JsonDocument.Parse(inputJson);
        try
        {
            _model.ValidateInput(operation, input.RootElement);
            return _operations.Invoke(operation, input.RootElement);
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
        await HandleEcrAsync(context);
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
        var fault = Faults.Next(operation);
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
                Log(operation, accessKey, 0, null, faultName, bodyText);
                return;
            }
        }

        if (fault.Kind == FaultKind.DropConnection)
        {
            Log(operation, accessKey, 0, null, faultName, bodyText);
            context.Abort();
            return;
        }

        if (fault is { Kind: FaultKind.Respond, Canned: { } canned })
        {
            Log(operation, accessKey, canned.Status, null, faultName, bodyText);
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
            accessKey = _verifier.Verify(ToSignedRequest(context, body)).AccessKeyId;
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
            response = _operations.Invoke(operation, input.RootElement);
        }
        catch (EcrError error)
        {
            if (fault.Kind == FaultKind.DropResponse)
            {
                Log(operation, accessKey, 0, error.Code, faultName, bodyText);
                context.Abort();
                return;
            }
            Log(operation, accessKey, error.Status, error.Code, faultName, bodyText);
            await WriteErrorAsync(context, requestId, error);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug in the emulator must look like a server fault, not a hang.
            Console.Error.WriteLine($"EcrEmulator: {operation} failed: {ex}");
            var error = EcrError.Server("The emulator failed: " + ex.Message);
            Log(operation, accessKey, error.Status, error.Code, faultName, bodyText);
            await WriteErrorAsync(context, requestId, error);
            return;
        }
        if (fault.Kind == FaultKind.DropResponse)
        {
            // The call took effect; only its answer is lost.
            Log(operation, accessKey, 0, null, faultName, bodyText);
            context.Abort();
            return;
        }
        Log(operation, accessKey, 200, null, faultName, bodyText);
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

    private void Log(string operation, string? accessKey, int status, string? errorCode, string? fault, string body) =>
        Requests.Add(sequence => new RequestLogEntry(sequence, Options.Clock(), operation, accessKey, status, errorCode, fault, body));

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
                    result = StateJson();
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
                        ["error"] = $"No control endpoint {method} {path}. Use GET|PUT /__emulator/state, GET|POST|DELETE /__emulator/faults, POST /__emulator/reset, GET /__emulator/requests.",
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

    private JsonObject StateJson()
    {
        var state = State.ToJson();
        state["endpoint"] = Endpoint?.ToString();
        state["callCount"] = Requests.Count;
        state["faults"] = Faults.ToJson();
        return state;
    }

    /// <summary>Arms faults from the control API's JSON (see README.md); unknown members are an error, so nothing is silently ignored.</summary>
    public void ArmFaults(string json)
    {
        using var document = ParseControlJson(json, "faults request");
        var request = document.RootElement;
        RejectUnknown(request, "faults request", "throttle", "serverError", "dropConnection", "dropResponse", "delayMs", "delayCount", "operation",
            "changePolicyBeforeNextPut", "changePolicyAfterNextGet", "changePolicyAfterPut", "changePolicyAfterPutCount", "respond");
        var operation = request.TryGetProperty("operation", out var op) && op.ValueKind != JsonValueKind.Null ? op.GetString() : null;
        if (operation is not null && !EcrOperations.Implemented.Contains(operation))
        {
            throw new ArgumentException($"'operation' must be one of {string.Join(", ", EcrOperations.Implemented)}, not '{operation}'.");
        }
        // Read and check everything first, so a refused request arms nothing.
        var throttle = Count(request, "throttle");
        var serverError = Count(request, "serverError");
        var drop = Count(request, "dropConnection");
        var dropResponse = Count(request, "dropResponse");
        var delayMs = Count(request, "delayMs");
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
            Faults.Delay(delayMs, delayCount, operation);
        }
        Faults.Throttle(throttle, operation);
        Faults.ServerError(serverError, operation);
        Faults.DropConnection(drop, operation);
        Faults.DropResponse(dropResponse, operation);
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
