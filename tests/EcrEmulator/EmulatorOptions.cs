using System;
using System.Collections.Generic;

namespace EcrEmulator;

/// <summary>A key pair (and optional session token) the emulator accepts as a signer.</summary>
public sealed record TestCredential(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>The long-term test key: <c>AKIDPTCTOOLSEXAMPLE</c>.</summary>
    public static TestCredential Default { get; } = new("AKIDPTCTOOLSEXAMPLE", "ptctools/emulator/secret/EXAMPLEKEY");

    /// <summary>The temporary test key, valid only with its session token.</summary>
    public static TestCredential Session { get; } = new("ASIAPTCTOOLSEXAMPLE", "ptctools/emulator/session/EXAMPLEKEY",
        "PtcToolsEmulatorSessionToken//EXAMPLE+TOKEN/ForTestsOnly=");

    /// <summary>Hides the secret so a log or test failure never prints it.</summary>
    public override string ToString() => $"{AccessKeyId} (secret hidden{(SessionToken is null ? string.Empty : ", with session token")})";
}

/// <summary>How to start an emulator.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The 12-digit account id the registry belongs to.</summary>
    public string AccountId { get; set; } = "111122223333";

    /// <summary>The Region requests must be signed for.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The credentials accepted; by default <see cref="TestCredential.Default"/> and <see cref="TestCredential.Session"/>.</summary>
    public IList<TestCredential> Credentials { get; set; } = new List<TestCredential> { TestCredential.Default, TestCredential.Session };

    /// <summary>How far X-Amz-Date may be from the emulator's clock (AWS allows 15 minutes).</summary>
    public TimeSpan AllowedClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The emulator's clock; tests replace it to check the skew rule.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Optional seed: a JSON document in the format of <c>GET /__emulator/state</c> (policyText, registryPolicyScope, pullThroughCacheRules).</summary>
    public string? SeedJson { get; set; }
}
