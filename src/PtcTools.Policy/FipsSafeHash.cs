using System;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace PtcTools.Policy;

/// <summary>The one place PtcTools chooses its hash implementations: FIPS-validated on .NET Framework, the platform's on .NET.</summary>
/// <remarks>
/// On .NET Framework with the Windows policy "System cryptography: Use FIPS compliant algorithms" on,
/// the managed classes (<c>SHA256Managed</c>, <c>SHA1Managed</c>) throw InvalidOperationException from
/// their constructors, and <c>SHA256.Create()</c> returns <c>SHA256Managed</c>. The CryptoAPI classes
/// (<c>*CryptoServiceProvider</c>) are the validated ones, and <c>HMACSHA256</c> itself switches its
/// inner hash to <c>SHA256CryptoServiceProvider</c> under the policy. .NET (Core) never reads the policy
/// and its <c>Create()</c> uses the operating system's library (CNG, OpenSSL). Sources and decision:
/// docs/decisions.md, "Issue 15".
/// </remarks>
public static class FipsSafeHash
{
    // mscorlib is the core library of the .NET Framework (and of Mono, which runs the net472 test leg);
    // .NET's is System.Private.CoreLib.
    private static readonly bool s_desktop = string.Equals(typeof(object).Assembly.GetName().Name, "mscorlib", StringComparison.Ordinal);

    /// <summary>True where the CryptoAPI implementations are used (the .NET Framework and Mono).</summary>
    public static bool UsesCryptoServiceProviders => s_desktop;

    /// <summary>SHA-256 of bytes.</summary>
    public static byte[] Sha256(byte[] data)
    {
        using var sha = CreateSha256();
        return sha.ComputeHash(data);
    }

    /// <summary>SHA-1 of bytes (a file-name key of the AWS SSO token cache, not a security use).</summary>
    public static byte[] Sha1(byte[] data)
    {
        using var sha = CreateSha1();
        return sha.ComputeHash(data);
    }

    /// <summary>HMAC-SHA256 of bytes under a key.</summary>
    public static byte[] HmacSha256(byte[] key, byte[] data)
    {
        using var hmac = CreateHmacSha256(key);
        return hmac.ComputeHash(data);
    }

    /// <summary>The SHA-256 implementation for this runtime.</summary>
    internal static HashAlgorithm CreateSha256() => s_desktop ? new SHA256CryptoServiceProvider() : SHA256.Create();

    /// <summary>The SHA-1 implementation for this runtime.</summary>
    [SuppressMessage("Security", "CA5350", Justification = "SHA-1 names the SSO token cache file as the AWS CLI and SDKs do; it protects nothing.")]
    internal static HashAlgorithm CreateSha1() => s_desktop ? new SHA1CryptoServiceProvider() : SHA1.Create();

    /// <summary>The HMAC-SHA256 implementation: HMACSHA256 on both, which picks a validated inner hash under the FIPS policy.</summary>
    internal static KeyedHashAlgorithm CreateHmacSha256(byte[] key) => new HMACSHA256(key);
}
