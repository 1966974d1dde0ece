using System;
using System.Collections.Generic;
using System.IO;
using PtcTools.Policy;

namespace PtcTools.Aws.Auth;

/// <summary>The shared AWS config and credentials files (INI), read together the way the AWS CLI and SDKs read them.</summary>
public sealed class SharedConfigFile
{
    private readonly Dictionary<string, Dictionary<string, string>> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _ssoSessions = new(StringComparer.Ordinal);

    private SharedConfigFile(string configPath, string credentialsPath)
    {
        ConfigPath = configPath;
        CredentialsPath = credentialsPath;
    }

    /// <summary>The config file that was read (it may not exist).</summary>
    public string ConfigPath { get; }

    /// <summary>The credentials file that was read (it may not exist).</summary>
    public string CredentialsPath { get; }

    /// <summary>Reads both files; a missing file counts as empty.</summary>
    /// <exception cref="AwsClientException"><c>AwsConfigFileInvalid</c> when a line cannot be read.</exception>
    public static SharedConfigFile Load(string configPath, string credentialsPath)
    {
        var file = new SharedConfigFile(configPath, credentialsPath);
        foreach (var section in Parse(configPath))
        {
            var name = section.Key;
            if (name == "default")
            {
                Merge(file._profiles, "default", section.Value);
            }
            else if (name.StartsWith("profile ", StringComparison.Ordinal))
            {
                Merge(file._profiles, name.Substring(8).Trim(), section.Value);
            }
            else if (name.StartsWith("sso-session ", StringComparison.Ordinal))
            {
                Merge(file._ssoSessions, name.Substring(12).Trim(), section.Value);
            }
        }

        // The credentials file names profiles without the "profile " prefix, and its keys win.
        foreach (var section in Parse(credentialsPath))
        {
            Merge(file._profiles, section.Key, section.Value);
        }

        return file;
    }

    /// <summary>The names of the profiles in either file, in ordinal order (for completion).</summary>
    public IReadOnlyList<string> ProfileNames
    {
        get
        {
            var names = new List<string>(_profiles.Keys);
            names.Sort(StringComparer.Ordinal);
            return names;
        }
    }

    /// <summary>The settings of a profile, or null when neither file has it.</summary>
    public IReadOnlyDictionary<string, string>? Profile(string name) => _profiles.TryGetValue(name, out var p) ? p : null;

    /// <summary>The settings of an <c>[sso-session name]</c> section, or null.</summary>
    public IReadOnlyDictionary<string, string>? SsoSession(string name) => _ssoSessions.TryGetValue(name, out var s) ? s : null;

    private static void Merge(Dictionary<string, Dictionary<string, string>> target, string name, Dictionary<string, string> values)
    {
        if (!target.TryGetValue(name, out var existing))
        {
            target[name] = existing = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }

        foreach (var pair in values)
        {
            existing[pair.Key] = pair.Value;
        }
    }

    private static List<KeyValuePair<string, Dictionary<string, string>>> Parse(string path)
    {
        var sections = new List<KeyValuePair<string, Dictionary<string, string>>>();
        if (!File.Exists(path))
        {
            return sections;
        }

        Dictionary<string, string>? current = null;
        string? lastKey = null;
        var lineNumber = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            lineNumber++;
            var line = raw.TrimEnd();
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#' || trimmed[0] == ';')
            {
                continue;
            }

            if (trimmed[0] == '[')
            {
                var end = trimmed.IndexOf(']');
                if (end < 0)
                {
                    throw new AwsClientException(ErrorIds.AwsConfigFileInvalid, PolicyErrorKind.InvalidData, $"{path}, line {lineNumber}: a section header lacks its closing ']'.", path);
                }

                current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                sections.Add(new KeyValuePair<string, Dictionary<string, string>>(trimmed.Substring(1, end - 1).Trim(), current));
                lastKey = null;
                continue;
            }

            if (current is null)
            {
                throw new AwsClientException(ErrorIds.AwsConfigFileInvalid, PolicyErrorKind.InvalidData, $"{path}, line {lineNumber}: a setting appears before any [section].", path);
            }

            // An indented line continues the previous value (nested settings such as s3 = ...).
            if (char.IsWhiteSpace(line[0]) && lastKey is not null)
            {
                current[lastKey] = current[lastKey] + "\n" + trimmed;
                continue;
            }

            var equals = trimmed.IndexOf('=');
            if (equals <= 0)
            {
                throw new AwsClientException(ErrorIds.AwsConfigFileInvalid, PolicyErrorKind.InvalidData, $"{path}, line {lineNumber}: expected 'name = value'.", path);
            }

            lastKey = trimmed.Substring(0, equals).Trim();
            current[lastKey] = StripComment(trimmed.Substring(equals + 1).Trim());
        }

        return sections;
    }

    // Inline comments need a space before the '#' or ';', as in the AWS CLI.
    private static string StripComment(string value)
    {
        for (var i = 1; i < value.Length; i++)
        {
            if ((value[i] == '#' || value[i] == ';') && char.IsWhiteSpace(value[i - 1]))
            {
                return value.Substring(0, i).TrimEnd();
            }
        }

        return value;
    }
}
