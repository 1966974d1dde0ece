using System;

namespace PtcTools.Aws.Ecr;

/// <summary>Bounded retries with exponential backoff and full jitter (the AWS "standard" retry mode's shape).</summary>
public sealed class RetryPolicy
{
    private readonly Random _random;

    /// <summary>Creates a policy.</summary>
    public RetryPolicy(int maxAttempts = 5, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, int? seed = null)
    {
        if (maxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), "At least one attempt is needed.");
        }

        MaxAttempts = maxAttempts;
        BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(200);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(20);
        _random = seed is null ? new Random() : new Random(seed.Value);
    }

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; }

    /// <summary>The backoff before the first retry, before jitter.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>The cap on one backoff.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>The ceiling of the wait after attempt <paramref name="attempt"/> (1-based): min(cap, base * 2^(attempt-1)).</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(30, attempt - 1));
        var ms = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * factor);
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>The wait after attempt <paramref name="attempt"/>: uniformly random between zero and the ceiling (full jitter).</summary>
    public TimeSpan Delay(int attempt)
    {
        double sample;
        lock (_random)
        {
            sample = _random.NextDouble();
        }

        return TimeSpan.FromMilliseconds(Ceiling(attempt).TotalMilliseconds * sample);
    }
}
