using System;
using System.Collections.Generic;

namespace EcrEmulator;

/// <summary>A key pair (and optional session token) the emulator accepts as a signer, and the account it signs for.</summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret.</param>
/// <param name="SessionToken">The session token temporary keys need, or null.</param>
/// <param name="AccountId">The account whose registries the key reaches; null for the emulator's default account.</param>
public sealed record TestCredential(string AccessKeyId, string SecretAccessKey, string? SessionToken = null, string? AccountId = null)
{
    /// <summary>The long-term test key of the default account: <c>AKIDPTCTOOLSEXAMPLE</c>.</summary>
    public static TestCredential Default { get; } = new("AKIDPTCTOOLSEXAMPLE", "ptctools/emulator/secret/EXAMPLEKEY");

    /// <summary>The temporary test key of the default account, valid only with its session token.</summary>
    public static TestCredential Session { get; } = new("ASIAPTCTOOLSEXAMPLE", "ptctools/emulator/session/EXAMPLEKEY",
        "PtcToolsEmulatorSessionToken//EXAMPLE+TOKEN/ForTestsOnly=");

    /// <summary>
    /// The long-term key of any account the emulator serves: <c>AKIDPTC</c> + the account id, secret
    /// <c>ptctools/emulator/secret/</c> + the account id. Derived, so a fake STS can hand it out without asking.
    /// </summary>
    public static TestCredential ForAccount(string accountId) =>
        new("AKIDPTC" + accountId, "ptctools/emulator/secret/" + accountId, null, accountId);

    /// <summary>The temporary key of any account served: <c>ASIAPTC</c> + the account id, with its session token.</summary>
    public static TestCredential SessionForAccount(string accountId) =>
        new("ASIAPTC" + accountId, "ptctools/emulator/session/" + accountId, "PtcToolsEmulatorSessionToken//" + accountId + "/ForTestsOnly=", accountId);

    /// <summary>Hides the secret so a log or test failure never prints it.</summary>
    public override string ToString() => $"{AccessKeyId} (secret hidden{(SessionToken is null ? string.Empty : ", with session token")})";
}

/// <summary>How to start an emulator.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The 12-digit account id of the default registry (the one the default test keys reach).</summary>
    public string AccountId { get; set; } = "111122223333";

    /// <summary>The default Region: requests may be signed for it or any of <see cref="Regions"/>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>More accounts to serve beside <see cref="AccountId"/>; each has a registry per Region, reached with its own keys (<see cref="TestCredential.ForAccount"/>).</summary>
    public IList<string> Accounts { get; set; } = new List<string>();

    /// <summary>More Regions to serve beside <see cref="Region"/>; each account has one registry per Region, made on first use.</summary>
    public IList<string> Regions { get; set; } = new List<string>();

    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The credentials accepted; by default <see cref="TestCredential.Default"/> and <see cref="TestCredential.Session"/>.</summary>
    public IList<TestCredential> Credentials { get; set; } = new List<TestCredential> { TestCredential.Default, TestCredential.Session };

    /// <summary>How far X-Amz-Date may be from the emulator's clock (AWS allows 15 minutes).</summary>
    public TimeSpan AllowedClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The emulator's clock; tests replace it to check the skew rule.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Optional seed: a JSON document in the format of <c>GET /__emulator/state</c> (policyText, registryPolicyScope, pullThroughCacheRules for the default registry; registries for others).</summary>
    public string? SeedJson { get; set; }
}
