using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Policy;
using PtcTools.Testing;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>A temporary home folder with .aws files, and the variables a test sets.</summary>
public sealed class FakeHome : IDisposable
{
    public FakeHome()
    {
        Root = Path.Combine(Path.GetTempPath(), "ptctools-home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, ".aws"));
        Variables["AWS_EC2_METADATA_DISABLED"] = "true";
    }

    public string Root { get; }

    public Dictionary<string, string> Variables { get; } = new();

    public List<string> Log { get; } = new();

    public void Config(string text) => File.WriteAllText(Path.Combine(Root, ".aws", "config"), text);

    public void Credentials(string text) => File.WriteAllText(Path.Combine(Root, ".aws", "credentials"), text);

    public CredentialContext Context(string? region = "us-east-1") =>
        new(AwsEnvironment.FromDictionary(Variables, Root), AwsTransport.Shared, region, m => { lock (Log) { Log.Add(m); } })
        {
            EndpointTimeout = TimeSpan.FromSeconds(5),
            MetadataTimeout = TimeSpan.FromSeconds(2),
            ProcessTimeout = TimeSpan.FromSeconds(10),
        };

    public Task<AwsCredentials> Resolve(params ICredentialSource[] first) =>
        new CredentialChain(first.Concat(CredentialChain.Defaults())).ResolveAsync(Context(), CancellationToken.None);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class CredentialChainTests
{
    private const string StsAnswer = """
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleResult>
            <Credentials>
              <AccessKeyId>ASIAROLEKEY</AccessKeyId>
              <SecretAccessKey>role-secret-value</SecretAccessKey>
              <SessionToken>role-session-token</SessionToken>
              <Expiration>2030-01-01T00:00:00Z</Expiration>
            </Credentials>
          </AssumeRoleResult>
        </AssumeRoleResponse>
        """;

    [Fact]
    public async Task Explicit_credentials_come_first()
    {
        using var home = new FakeHome();
        home.Variables["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT";
        home.Variables["AWS_SECRET_ACCESS_KEY"] = "env-secret";

        var found = await home.Resolve(new StaticCredentialSource("-AccessKey/-SecretKey", new AwsCredentials("AKIAEXPLICIT", "explicit-secret", null, null, "-AccessKey/-SecretKey")));

        Assert.Equal("AKIAEXPLICIT", found.AccessKeyId);
    }

    [Fact]
    public async Task Environment_variables_come_before_the_shared_files()
    {
        using var home = new FakeHome();
        home.Variables["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT";
        home.Variables["AWS_SECRET_ACCESS_KEY"] = "env-secret";
        home.Variables["AWS_SESSION_TOKEN"] = "env-token";
        home.Credentials("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret\n");

        var found = await home.Resolve();

        Assert.Equal(("AKIAENVIRONMENT", "env-secret", "env-token"), (found.AccessKeyId, found.SecretAccessKey, found.SessionToken));
        Assert.Equal("environment variables", found.Source);
    }

    [Fact]
    public async Task Only_half_of_the_environment_pair_is_an_error_not_a_silent_skip()
    {
        using var home = new FakeHome();
        home.Variables["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT";
        var ex = await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve());
        Assert.Equal("AwsEnvironmentCredentialsIncomplete", ex.ErrorId);
    }

    [Fact]
    public async Task A_named_profile_reads_static_keys_with_the_credentials_file_winning_over_config()
    {
        using var home = new FakeHome();
        home.Config("[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIACONFIG\naws_secret_access_key = config-secret\n");
        home.Credentials("# comment\n[dev]\naws_access_key_id = AKIAFILE ; inline comment\naws_secret_access_key = file-secret\naws_session_token = file-token\n");

        var found = await home.Resolve(new ProfileCredentialSource("dev"));

        Assert.Equal(("AKIAFILE", "file-secret", "file-token"), (found.AccessKeyId, found.SecretAccessKey, found.SessionToken));
        Assert.Equal("eu-west-1", ProfileCredentialSource.RegionOf(home.Context().Environment, "dev"));
    }

    [Fact]
    public async Task AWS_PROFILE_selects_the_default_chain_profile()
    {
        using var home = new FakeHome();
        home.Variables["AWS_PROFILE"] = "ci";
        home.Credentials("[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s\n[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = s\n");
        Assert.Equal("AKIACI", (await home.Resolve()).AccessKeyId);
    }

    [Fact]
    public async Task A_named_profile_that_does_not_exist_is_AwsProfileNotFound()
    {
        using var home = new FakeHome();
        var ex = await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve(new ProfileCredentialSource("missing")));
        Assert.Equal("AwsProfileNotFound", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.ObjectNotFound, ex.Kind);
    }

    [Fact]
    public async Task A_role_arn_profile_assumes_the_role_with_its_source_profile_through_STS()
    {
        using var home = new FakeHome();
        using var sts = new LoopbackServer(_ => new FakeResponse(200, StsAnswer));
        home.Variables["AWS_ENDPOINT_URL_STS"] = sts.Url;
        home.Config("[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\nrole_session_name = ptc-test\nexternal_id = ext-1\nregion = eu-west-1\n");
        home.Credentials("[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret\n");

        var found = await home.Resolve(new ProfileCredentialSource("deploy"));

        Assert.Equal(("ASIAROLEKEY", "role-secret-value", "role-session-token"), (found.AccessKeyId, found.SecretAccessKey, found.SessionToken));
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), found.Expiration);
        var request = Assert.Single(sts.Requests);
        Assert.Contains("Action=AssumeRole", request.Body);
        Assert.Contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdeployer", request.Body);
        Assert.Contains("RoleSessionName=ptc-test", request.Body);
        Assert.Contains("ExternalId=ext-1", request.Body);
        Assert.Contains("Credential=AKIABASE/", request.Headers["Authorization"]);
        Assert.Contains("/eu-west-1/sts/aws4_request", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task A_refused_AssumeRole_stops_the_chain_with_AssumeRoleFailed()
    {
        using var home = new FakeHome();
        using var sts = new LoopbackServer(_ => new FakeResponse(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole</Message></Error></ErrorResponse>"));
        home.Variables["AWS_ENDPOINT_URL_STS"] = sts.Url;
        home.Config("[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\n");
        home.Credentials("[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret\n");

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve(new ProfileCredentialSource("deploy")));

        Assert.Equal("AssumeRoleFailed", ex.ErrorId);
        Assert.Contains("AccessDenied", ex.Message);
        Assert.DoesNotContain("base-secret", ex.Message);
    }

    [Fact]
    public async Task Profiles_that_source_each_other_in_a_loop_are_refused()
    {
        using var home = new FakeHome();
        home.Config("[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n");
        var ex = await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve(new ProfileCredentialSource("a")));
        Assert.Equal("AwsProfileInvalid", ex.ErrorId);
        Assert.Contains("a -> b -> a", ex.Message);
    }

    [PosixFact("the credential_process is a POSIX shell script")]
    public async Task Credential_process_output_becomes_the_credentials()
    {
        using var home = new FakeHome();
        var script = Path.Combine(home.Root, "creds.sh");
        File.WriteAllText(script, "#!/bin/sh\necho \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"AKIAPROCESS\\\", \\\"SecretAccessKey\\\": \\\"process-secret\\\", \\\"SessionToken\\\": \\\"$1\\\", \\\"Expiration\\\": \\\"2031-02-03T04:05:06Z\\\"}\"\n");
        TargetPlatform.MakeExecutable(script);

        home.Config($"[profile tool]\ncredential_process = \"{script}\" \"token with space\"\n");

        var found = await home.Resolve(new ProfileCredentialSource("tool"));

        Assert.Equal(("AKIAPROCESS", "process-secret", "token with space"), (found.AccessKeyId, found.SecretAccessKey, found.SessionToken));
        Assert.Equal(new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero), found.Expiration);
    }

    [PosixFact("the credential_process is a POSIX shell script")]
    public async Task A_failing_credential_process_is_CredentialProcessFailed_with_its_message()
    {
        using var home = new FakeHome();
        var script = Path.Combine(home.Root, "fail.sh");
        File.WriteAllText(script, "#!/bin/sh\necho 'token expired, log in again' >&2\nexit 3\n");
        TargetPlatform.MakeExecutable(script);

        home.Config($"[profile tool]\ncredential_process = {script}\n");

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve(new ProfileCredentialSource("tool")));

        Assert.Equal("CredentialProcessFailed", ex.ErrorId);
        Assert.Contains("code 3", ex.Message);
        Assert.Contains("log in again", ex.Message);
    }

    [PosixFact("the credential_process is a POSIX shell script")]
    public async Task A_credential_process_that_hangs_is_stopped_at_the_timeout()
    {
        using var home = new FakeHome();
        home.Config("[profile slow]\ncredential_process = sleep 30\n");
        var context = home.Context();
        context.ProcessTimeout = TimeSpan.FromMilliseconds(500);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => new CredentialChain(new[] { new ProfileCredentialSource("slow") }).ResolveAsync(context, CancellationToken.None));

        Assert.Equal("CredentialProcessFailed", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.OperationTimeout, ex.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_SSO_profile_trades_the_cached_token_for_role_credentials(bool ssoSession)
    {
        using var home = new FakeHome();
        using var portal = new LoopbackServer(r => r.Path == "/federation/credentials" && r.Headers.TryGetValue("x-amz-sso_bearer_token", out var t) && t == "cached-access-token"
            ? new FakeResponse(200, "{\"roleCredentials\":{\"accessKeyId\":\"ASIASSO\",\"secretAccessKey\":\"sso-secret\",\"sessionToken\":\"sso-token\",\"expiration\":1924992000000}}")
            : new FakeResponse(401, "{\"message\":\"bad token\"}"));
        home.Variables["AWS_ENDPOINT_URL_SSO"] = portal.Url;
        var cacheKey = ssoSession ? "my-sso" : "https://example.awsapps.com/start";
        home.Config(ssoSession
            ? "[profile sso]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = Admin\n[sso-session my-sso]\nsso_region = us-east-1\nsso_start_url = https://example.awsapps.com/start\n"
            : "[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Admin\n");
        var cache = Path.Combine(home.Root, ".aws", "sso", "cache");
        Directory.CreateDirectory(cache);
        var name = Sha1Hex(cacheKey);
        File.WriteAllText(Path.Combine(cache, name + ".json"), "{\"accessToken\":\"cached-access-token\",\"expiresAt\":\"2099-01-01T00:00:00Z\",\"region\":\"us-east-1\"}");

        var found = await home.Resolve(new ProfileCredentialSource("sso"));

        Assert.Equal(("ASIASSO", "sso-secret", "sso-token"), (found.AccessKeyId, found.SecretAccessKey, found.SessionToken));
        var request = Assert.Single(portal.Requests);
        Assert.Equal("account_id=123456789012&role_name=Admin", request.Query);
    }

    [Fact]
    public async Task An_expired_SSO_token_asks_the_user_to_log_in_again()
    {
        using var home = new FakeHome();
        home.Config("[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Admin\n");
        var cache = Path.Combine(home.Root, ".aws", "sso", "cache");
        Directory.CreateDirectory(cache);
        File.WriteAllText(Path.Combine(cache, Sha1Hex("https://example.awsapps.com/start") + ".json"),
            "{\"accessToken\":\"old\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}");

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve(new ProfileCredentialSource("sso")));

        Assert.Equal("SsoTokenExpired", ex.ErrorId);
        Assert.Contains("aws sso login --profile sso", ex.Message);
    }

    [Fact]
    public async Task The_ECS_container_endpoint_is_asked_with_its_authorization_token()
    {
        using var home = new FakeHome();
        using var ecs = new LoopbackServer(r => r.Headers.TryGetValue("Authorization", out var a) && a == "container-auth"
            ? new FakeResponse(200, "{\"AccessKeyId\":\"ASIAECS\",\"SecretAccessKey\":\"ecs-secret\",\"Token\":\"ecs-token\",\"Expiration\":\"2030-05-06T07:08:09Z\"}")
            : new FakeResponse(401, "{}"));
        home.Variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = ecs.Url + "/v2/credentials/abc";
        var tokenFile = Path.Combine(home.Root, "token");
        File.WriteAllText(tokenFile, "container-auth\n");
        home.Variables["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile;

        var found = await home.Resolve();

        Assert.Equal(("ASIAECS", "ecs-secret", "ecs-token"), (found.AccessKeyId, found.SecretAccessKey, found.SessionToken));
        Assert.Equal("/v2/credentials/abc", Assert.Single(ecs.Requests).Path);
    }

    [Fact]
    public async Task A_container_endpoint_on_a_non_loopback_http_host_is_refused()
    {
        using var home = new FakeHome();
        home.Variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://192.0.2.10/creds";
        var ex = await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve());
        Assert.Equal("ContainerCredentialsFailed", ex.ErrorId);
    }

    [Fact]
    public async Task IMDSv2_is_asked_for_a_token_first_and_then_for_the_role_credentials()
    {
        using var home = new FakeHome();
        using var imds = new LoopbackServer(r => (r.Method, r.Path) switch
        {
            ("PUT", "/latest/api/token") when r.Headers.ContainsKey("X-aws-ec2-metadata-token-ttl-seconds") => new FakeResponse(200, "imds-session"),
            ("GET", "/latest/meta-data/iam/security-credentials/") when Token(r) => new FakeResponse(200, "ec2-role\n"),
            ("GET", "/latest/meta-data/iam/security-credentials/ec2-role") when Token(r) =>
                new FakeResponse(200, "{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAIMDS\",\"SecretAccessKey\":\"imds-secret\",\"Token\":\"imds-token\",\"Expiration\":\"2030-01-01T00:00:00Z\"}"),
            _ => new FakeResponse(401, string.Empty),
        });
        home.Variables.Remove("AWS_EC2_METADATA_DISABLED");
        home.Variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.Url;

        var found = await home.Resolve();

        Assert.Equal(("ASIAIMDS", "imds-secret", "imds-token"), (found.AccessKeyId, found.SecretAccessKey, found.SessionToken));
        Assert.Equal("PUT", imds.Requests.First().Method);
        Assert.Equal(3, imds.Requests.Count);

        static bool Token(SeenRequest r) => r.Headers.TryGetValue("X-aws-ec2-metadata-token", out var t) && t == "imds-session";
    }

    [Fact]
    public async Task With_nothing_configured_NoCredentials_lists_every_source_tried()
    {
        using var home = new FakeHome();
        using var closed = new LoopbackServer(_ => FakeResponse.Dropped());
        home.Variables.Remove("AWS_EC2_METADATA_DISABLED");
        home.Variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = closed.Url;

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve(new StaticCredentialSource("-AccessKey/-SecretKey", null)));

        Assert.Equal("NoCredentials", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.PermissionDenied, ex.Kind);
        foreach (var expected in new[] { "-AccessKey/-SecretKey: not given", "environment variables", "shared config and credentials files", "ECS container credentials", "EC2 instance metadata (IMDSv2)" })
        {
            Assert.Contains(expected, ex.Message);
        }

        Assert.Equal(Remedy.GiveCredentials, ex.Remedy);
    }

    [Fact]
    public async Task No_secret_or_token_reaches_the_log()
    {
        using var home = new FakeHome();
        using var sts = new LoopbackServer(_ => new FakeResponse(200, StsAnswer));
        home.Variables["AWS_ENDPOINT_URL_STS"] = sts.Url;
        home.Config("[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\n");
        home.Credentials("[base]\naws_access_key_id = AKIABASEKEY1\naws_secret_access_key = base-secret-value\naws_session_token = base-token-value\n");

        var found = await home.Resolve(new ProfileCredentialSource("deploy"));

        var everything = string.Join("\n", home.Log) + found;
        Assert.NotEmpty(home.Log);
        foreach (var secret in new[] { "base-secret-value", "base-token-value", "role-secret-value", "role-session-token", "AKIABASEKEY1", "ASIAROLEKEY" })
        {
            Assert.DoesNotContain(secret, everything);
        }
    }

    [Theory]
    [InlineData("tool --flag", new[] { "tool", "--flag" })]
    [InlineData("\"C:\\Program Files\\x.exe\" a 'b c'", new[] { "C:\\Program Files\\x.exe", "a", "b c" })]
    [InlineData("  spaced   out  ", new[] { "spaced", "out" })]
    public void A_credential_process_command_line_is_split_like_a_shell_without_one(string line, string[] parts)
    {
        Assert.Equal(parts, CredentialProcess.Split(line));
    }

    // The SSO cache file name: the lower-case hex SHA-1 of the start URL or session name (as the AWS CLI names it).
    private static string Sha1Hex(string value)
    {
        using var sha1 = SHA1.Create();
        return string.Concat(sha1.ComputeHash(Encoding.UTF8.GetBytes(value)).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
