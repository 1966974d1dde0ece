using System;
using System.IO;

/// <summary>The checkout the tests run from: the folder holding PtcTools.sln above the running assembly.</summary>
internal static class RepositoryRoot
{
    /// <summary>The repository root; throws when the tests do not run from a checkout (an installed copy has no sources to check).</summary>
    public static string Path => Find()?.FullName ?? throw new InvalidOperationException("The repository root (PtcTools.sln) is not above " + AppContext.BaseDirectory + ".");

    /// <summary>The repository root, or null outside a checkout.</summary>
    public static DirectoryInfo? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "PtcTools.sln")))
            {
                return dir;
            }
        }

        return null;
    }
}
