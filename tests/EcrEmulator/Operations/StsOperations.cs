using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using EcrEmulator.Control;
using EcrEmulator.Protocol;
using EcrEmulator.State;
using Microsoft.AspNetCore.Http;

namespace EcrEmulator.Operations;

/// <summary>
/// A fake AWS STS beside the registries: AssumeRole and GetCallerIdentity over the Query protocol (form body, XML
/// answers), signed for <c>sts</c>. Assuming a role in a served account hands out that account's derived session keys
/// (<see cref="TestCredential.SessionForAccount"/>), which its registries accept, so accounts x Regions work behind one
/// STS as in AWS. Constraints come from the sts-2011-06-15 model subset (lengths and patterns of the parameters).
/// </summary>
public sealed class StsOperations
{
    /// <summary>The operations served.</summary>
    public static readonly IReadOnlyCollection<string> Implemented = new[] { "AssumeRole", "GetCallerIdentity" };

    private const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static readonly Regex s_sessionName = new(@"^[\w+=,.@-]*$", RegexOptions.CultureInvariant);
    private static readonly Regex s_externalId = new(@"^[\w+=,.@:/-]*$", RegexOptions.CultureInvariant);
    private static readonly Regex s_roleArn = new(@"^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role/(.+)$", RegexOptions.CultureInvariant);

    private readonly SigV4Verifier _verifier;
    private readonly RegistryDirectory _registries;
    private readonly FaultInjector _faults;
    private readonly RequestLog _requests;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Func<string> _defaultAccount;
    private readonly Func<string, string?> _externalIdOf;

    /// <summary>Creates the fake over the emulator's keys, registries, faults and request log.</summary>
    public StsOperations(SigV4Verifier verifier, RegistryDirectory registries, FaultInjector faults, RequestLog requests, Func<DateTimeOffset> clock, Func<string> defaultAccount, Func<string, string?> externalIdOf)
    {
        _verifier = verifier;
        _registries = registries;
        _faults = faults;
        _requests = requests;
        _clock = clock;
        _defaultAccount = defaultAccount;
        _externalIdOf = externalIdOf;
    }

    /// <summary>Serves one STS request.</summary>
    public async Task HandleAsync(HttpContext context, Func<HttpRequest, Task<byte[]>> readBody, Func<HttpContext, byte[], SignedRequest> toSigned, Func<HttpContext, (string? Account, string? Region)> peek)
    {
        var requestId = Guid.NewGuid().ToString();
        var body = await readBody(context.Request);
        var form = ParseForm(Encoding.UTF8.GetString(body));
        var operation = form.TryGetValue("Action", out var action) ? action : "(none)";
        var (peekAccount, peekRegion) = peek(context);
        var fault = _faults.Next(operation, peekAccount, peekRegion);
        if (fault.DelayMs > 0)
        {
            try
            {
                await Task.Delay(fault.DelayMs, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        string? accessKey = null;
        string? account = null;
        string? region = null;
        if (fault.Kind == FaultKind.DropConnection)
        {
            Log(operation, null, peekAccount, peekRegion, 0, null, "DropConnection", form);
            context.Abort();
            return;
        }

        if (fault is { Kind: FaultKind.Respond, Canned: { } canned })
        {
            // A canned answer, as for ECR: an error STS documents that the fake has no state for (RegionDisabledException).
            Log(operation, null, peekAccount, peekRegion, canned.Status, null, "Respond", form);
            context.Response.StatusCode = canned.Status;
            context.Response.ContentType = "text/xml";
            var cannedBytes = Encoding.UTF8.GetBytes(canned.Body);
            context.Response.ContentLength = cannedBytes.Length;
            await context.Response.Body.WriteAsync(cannedBytes, context.RequestAborted);
            return;
        }

        try
        {
            if (fault.Kind == FaultKind.Throttle)
            {
                throw new StsError("Throttling", 400, "Rate exceeded", "Sender");
            }

            if (fault.Kind == FaultKind.ServerError)
            {
                throw new StsError("InternalFailure", 500, "An internal error occurred in the emulator (injected fault).", "Receiver");
            }

            TestCredential credential;
            try
            {
                (credential, region) = _verifier.Authenticate(toSigned(context, body));
            }
            catch (EcrError error)
            {
                throw new StsError(error.Code.Substring(error.Code.LastIndexOf('#') + 1).Replace("Exception", string.Empty), 403, error.Message, "Sender");
            }

            accessKey = credential.AccessKeyId;
            account = credential.AccountId ?? _defaultAccount();
            if (form.GetValueOrDefault("Version") != "2011-06-15")
            {
                throw new StsError("InvalidParameterValue", 400, "Version must be 2011-06-15.", "Sender");
            }

            var result = operation switch
            {
                "AssumeRole" => AssumeRole(form, account),
                "GetCallerIdentity" => $"<GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/emulator</Arn><UserId>AIDAPTCTOOLSEXAMPLE</UserId><Account>{account}</Account></GetCallerIdentityResult>",
                _ => throw new StsError("InvalidAction", 400, $"Could not find operation {operation} for version 2011-06-15.", "Sender"),
            };
            if (fault.Kind == FaultKind.DropResponse)
            {
                Log(operation, accessKey, account, region, 0, null, "DropResponse", form);
                context.Abort();
                return;
            }

            Log(operation, accessKey, account, region, 200, null, fault.Kind?.ToString(), form);
            await WriteAsync(context, 200, $"<{operation}Response xmlns=\"{Namespace}\">{result}<ResponseMetadata><RequestId>{requestId}</RequestId></ResponseMetadata></{operation}Response>", requestId);
        }
        catch (StsError error)
        {
            Log(operation, accessKey, account ?? peekAccount, region ?? peekRegion, error.Status, error.Code, fault.Kind?.ToString(), form);
            await WriteAsync(context, error.Status,
                $"<ErrorResponse xmlns=\"{Namespace}\"><Error><Type>{error.Type}</Type><Code>{error.Code}</Code><Message>{SecurityElement.Escape(error.Message)}</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>", requestId);
        }
    }

    private string AssumeRole(IReadOnlyDictionary<string, string> form, string callerAccount)
    {
        var errors = new List<string>();
        var roleArn = form.GetValueOrDefault("RoleArn");
        var sessionName = form.GetValueOrDefault("RoleSessionName");
        var externalId = form.GetValueOrDefault("ExternalId");
        if (roleArn is null || roleArn.Length is < 20 or > 2048)
        {
            errors.Add($"Value '{roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048");
        }

        if (sessionName is null || sessionName.Length is < 2 or > 64 || !s_sessionName.IsMatch(sessionName))
        {
            errors.Add($"Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64");
        }

        if (externalId is not null && (externalId.Length is < 2 or > 1224 || !s_externalId.IsMatch(externalId)))
        {
            errors.Add($"Value '{externalId}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]* and have length between 2 and 1224");
        }

        if (form.TryGetValue("DurationSeconds", out var duration) && (!int.TryParse(duration, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 900 or > 43200))
        {
            errors.Add($"Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
        }

        if (errors.Count > 0)
        {
            throw new StsError("ValidationError", 400, $"{errors.Count} validation error{(errors.Count == 1 ? string.Empty : "s")} detected: {string.Join("; ", errors)}", "Sender");
        }

        var match = s_roleArn.Match(roleArn!);
        var denied = $"User: arn:aws:iam::{callerAccount}:user/emulator is not authorized to perform: sts:AssumeRole on resource: {roleArn}";
        if (!match.Success || !_registries.ServesAccount(match.Groups[2].Value))
        {
            throw new StsError("AccessDenied", 403, denied, "Sender");
        }

        // A role registered with an external id trusts only callers that pass it (the confused-deputy condition sts:ExternalId).
        if (_externalIdOf(roleArn!) is { } required && !string.Equals(required, externalId, StringComparison.Ordinal))
        {
            throw new StsError("AccessDenied", 403, denied, "Sender");
        }

        var account = match.Groups[2].Value;
        var role = match.Groups[3].Value;
        var issued = TestCredential.SessionForAccount(account);
        var expiration = _clock().AddSeconds(form.TryGetValue("DurationSeconds", out var d) ? int.Parse(d, CultureInfo.InvariantCulture) : 3600).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return "<AssumeRoleResult><Credentials>" +
            $"<AccessKeyId>{issued.AccessKeyId}</AccessKeyId><SecretAccessKey>{SecurityElement.Escape(issued.SecretAccessKey)}</SecretAccessKey><SessionToken>{SecurityElement.Escape(issued.SessionToken)}</SessionToken><Expiration>{expiration}</Expiration>" +
            $"</Credentials><AssumedRoleUser><AssumedRoleId>AROAPTCTOOLSEXAMPLE:{sessionName}</AssumedRoleId><Arn>arn:{match.Groups[1].Value}:sts::{account}:assumed-role/{role.Split('/').Last()}/{sessionName}</Arn></AssumedRoleUser></AssumeRoleResult>";
    }

    private void Log(string operation, string? accessKey, string? account, string? region, int status, string? code, string? fault, IReadOnlyDictionary<string, string> form) =>
        _requests.Add(sequence => new RequestLogEntry(sequence, _clock(), operation, accessKey, status, code, fault, string.Join("&", form.Select(p => p.Key + "=" + p.Value)), account, region));

    private static async Task WriteAsync(HttpContext context, int status, string xml, string requestId)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var bytes = Encoding.UTF8.GetBytes(xml);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static Dictionary<string, string> ParseForm(string text)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair.Substring(0, equals)).Replace('+', ' '));
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair.Substring(equals + 1).Replace('+', ' '));
            form[key] = value;
        }

        return form;
    }

    private sealed class StsError : Exception
    {
        public StsError(string code, int status, string message, string type)
            : base(message)
        {
            Code = code;
            Status = status;
            Type = type;
        }

        public string Code { get; }

        public int Status { get; }

        public string Type { get; }
    }
}
