using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using PtcTools.Policy.Model;

namespace PtcTools.Formatting;

/// <summary>
/// Text for the format views: prose wrapped at word boundaries, JSON broken between its elements, lists one item
/// a line, and ARNs shortened to what differs, so that an 80-column console never splits an identifier.
/// </summary>
/// <remarks>
/// PowerShell wraps table cells and list values itself, but only at word boundaries in a few cultures (en, fr, de,
/// it, pt, es; elsewhere, the invariant culture included, mid-word) and a word longer than its column always
/// mid-word. The views therefore hand PowerShell lines that already fit: a list value is at most
/// <see cref="ListWidth"/> characters wide (an 80-column console less the widest label), a custom view's line
/// at most <see cref="LineWidth"/>.
/// </remarks>
public static class Layout
{
    private static readonly char[] s_space = { ' ' };

    // Punctuation of the prose after an ARN in a word: "'arn:...'." or "(assuming arn:...)".
    private static readonly char[] s_proseMarks = { '.', ',', ';', ':', ')', '\'', '"' };

    /// <summary>The widest value of a list view in an 80-column console: 80 less a 12-character label and " : ", less one.</summary>
    public const int ListWidth = 64;

    /// <summary>The widest line of a custom view: one less than 80, as PowerShell keeps the last column free.</summary>
    public const int LineWidth = 79;

    /// <summary>Text wrapped at spaces so that no line is wider than <paramref name="width"/>; a word that is wider stays whole on its own line.</summary>
    public static string Wrap(string? text, int width = ListWidth) => string.Join("\n", WrapLines(text, width));

    /// <summary>The lines of <see cref="Wrap"/>; line breaks in the text are kept.</summary>
    public static IReadOnlyList<string> WrapLines(string? text, int width)
    {
        var lines = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return lines;
        }

        foreach (var paragraph in text!.Replace("\r\n", "\n").Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in paragraph.Split(s_space, StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                line.Append(word);
            }

            lines.Add(line.ToString());
        }

        return lines;
    }

    /// <summary>Prose wrapped to <paramref name="width"/> with every line after the first indented by <paramref name="indent"/> spaces (the first line's indent is the caller's).</summary>
    public static string Indented(string? text, int indent, int width = LineWidth) =>
        string.Join("\n" + new string(' ', indent), WrapLines(text, width - indent));

    /// <summary>JSON broken after commas between elements (never inside a string), so that lines stay within <paramref name="width"/> where the elements allow.</summary>
    public static string WrapJson(string? json, int width = ListWidth)
    {
        if (string.IsNullOrEmpty(json))
        {
            return string.Empty;
        }

        // Pieces end after a comma that is outside a string; lines are filled with whole pieces.
        var pieces = SplitAfter(json!, ',');
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var piece in pieces.SelectMany(p => p.Length > width ? SplitAfter(p, ':') : new List<string> { p }))
        {
            if (line.Length > 0 && line.Length + piece.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(piece);
        }

        lines.Add(line.ToString());
        return string.Join("\n", lines);
    }

    // JSON text cut after each separator that stands outside a string: commas between elements, or, for a piece too
    // long for a line ("Resource":"arn:..."), the colon of a member.
    private static List<string> SplitAfter(string text, char separator)
    {
        var pieces = new List<string>();
        var start = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == separator)
            {
                pieces.Add(text.Substring(start, i + 1 - start));
                start = i + 1;
            }
        }

        pieces.Add(text.Substring(start));
        return pieces;
    }

    /// <summary>One value a line (an empty list gives an empty text), each after <paramref name="prefix"/> (such as "NOT ").</summary>
    /// <remarks>Takes any list (a PowerShell array of objects too); each value prints with its ToString.</remarks>
    public static string Lines(IEnumerable? values, string prefix = "")
    {
        if (values is null || values is string)
        {
            return values as string ?? string.Empty;
        }

        var lines = new List<string>();
        foreach (var value in values)
        {
            if (value?.ToString() is { Length: > 0 } text)
            {
                lines.Add(prefix + text);
            }
        }

        return string.Join("\n", lines);
    }

    /// <summary>
    /// A principal without what every IAM principal shares: <c>arn:aws:iam::111122223333:role/ci</c> becomes
    /// <c>111122223333:role/ci</c>; <c>arn:aws:sts::...:assumed-role/r/s</c> becomes <c>111122223333:assumed-role/r/s</c>.
    /// Account ids, service principals and anything else stay as they are.
    /// </summary>
    public static string ShortPrincipal(string? principal)
    {
        if (string.IsNullOrEmpty(principal))
        {
            return string.Empty;
        }

        var text = principal!.StartsWith("AWS:", StringComparison.Ordinal) ? principal.Substring(4) : principal;
        return Arn.TryParse(text, out var arn) && arn is not null && arn.Service is "iam" or "sts" && arn.Region.Length == 0 && arn.Account.Length > 0
            ? arn.Account + ":" + arn.Resource
            : text;
    }

    /// <summary>
    /// The principals of a statement for a table: <see cref="ShortPrincipal"/>, and a principal of the registry's own
    /// account (the account of the statement's repository ARNs) without the account: <c>role/ci</c>.
    /// </summary>
    public static string Principals(PtcPolicyStatement statement)
    {
        if (statement is null)
        {
            throw new ArgumentNullException(nameof(statement));
        }

        var registry = statement.Resource.Concat(statement.NotResource)
            .Select(r => Arn.TryParse(r, out var arn) ? arn : null)
            .FirstOrDefault(a => a is not null && a.Service == "ecr" && a.Account.Length > 0)?.Account;
        var negated = statement.NotPrincipal.Count > 0;
        var shown = (negated ? statement.NotPrincipal : statement.Principal).Select(p =>
        {
            var text = ShortPrincipal(p);
            return registry is not null && text.StartsWith(registry + ":", StringComparison.Ordinal) ? text.Substring(registry.Length + 1) : text;
        });
        return Lines(shown, negated ? "NOT " : string.Empty);
    }

    /// <summary>
    /// A repository without what every repository of one registry shares: an ECR repository ARN becomes its
    /// name (<c>ecr-public/*</c>); other resources (<c>*</c>, another service's ARN) stay as they are.
    /// </summary>
    public static string ShortResource(string? resource) =>
        string.IsNullOrEmpty(resource) ? string.Empty
        : Arn.TryParse(resource, out var arn) && arn is not null && arn.Service == "ecr" && arn.Resource.StartsWith("repository/", StringComparison.Ordinal)
            ? arn.Resource.Substring("repository/".Length)
            : resource!;

    /// <summary>
    /// Where a repository is, for a view that shows its short name: <c>111122223333 us-east-1</c>
    /// (empty for a resource that is not an ECR repository ARN).
    /// </summary>
    public static string Registry(string? resource) =>
        Arn.TryParse(resource, out var arn) && arn is not null && arn.Service == "ecr" && arn.Resource.StartsWith("repository/", StringComparison.Ordinal)
            ? (arn.Account + " " + arn.Region).Trim()
            : string.Empty;

    /// <summary>A path with the user's home folder written as <c>~</c>, as PowerShell reads it back.</summary>
    public static string ShortPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return string.Empty;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 1 && path!.StartsWith(home, StringComparison.Ordinal) && path.Length > home.Length && (path[home.Length] == '/' || path[home.Length] == '\\'))
        {
            return "~" + path.Substring(home.Length);
        }

        return path!;
    }

    /// <summary>A lint finding as a compiler prints one: severity, rule, where, then the message indented (the default view).</summary>
    public static string Finding(PtcPolicyFinding finding)
    {
        if (finding is null)
        {
            throw new ArgumentNullException(nameof(finding));
        }

        var where = finding.Sid ?? (finding.StatementIndex >= 0 ? "statement " + Number(finding.StatementIndex) : "(policy)");
        var head = $"{finding.Severity,-11} {finding.RuleId}  {where}{(finding.Line > 0 ? "  line " + Number(finding.Line) : string.Empty)}";
        var text = new StringBuilder(head);
        if (finding.Source is { } source)
        {
            var file = ShortPath(source);
            text.Append(head.Length + 2 + file.Length <= LineWidth ? "  " + file : "\n    in " + file);
        }

        text.Append("\n    ").Append(Indented(finding.Message, 4)).Append('\n');
        return text.ToString();
    }

    /// <summary>A statement-level change as a diff shows it: the change, the Sid and positions, then what differs indented (the default view).</summary>
    public static string Change(PtcPolicyChange change)
    {
        if (change is null)
        {
            throw new ArgumentNullException(nameof(change));
        }

        var text = new StringBuilder();
        if (change.Witness is { } witness)
        {
            // Access a change adds or removes (-Access): who it reaches, then what the class can or could do.
            var what = witness.Description.Substring(witness.Description.IndexOf(": ", StringComparison.Ordinal) + 2);
            return text.Append($"{change.Change,-10}(access)  {witness.Access}\n    ").Append(Indented(what, 4)).Append('\n').ToString();
        }

        if (change.Element != "Statement")
        {
            text.Append($"{change.Change,-10}({change.Element})\n    ");
            text.Append(Indented($"{change.ReferenceJson ?? "(none)"} -> {change.DifferenceJson ?? "(none)"}", 4));
            return text.Append('\n').ToString();
        }

        var position = change.Change switch
        {
            Policy.Merge.PolicyChangeKind.Added => "at " + Number(change.DifferenceIndex),
            Policy.Merge.PolicyChangeKind.Removed => "was at " + Number(change.ReferenceIndex),
            _ when change.ReferenceIndex == change.DifferenceIndex => "at " + Number(change.DifferenceIndex),
            _ => $"{Number(change.ReferenceIndex)} -> {Number(change.DifferenceIndex)}",
        };
        text.Append($"{change.Change,-10}{change.Sid ?? "(no Sid)"}  {position}\n    ");
        var statement = change.Change == Policy.Merge.PolicyChangeKind.Removed ? change.ReferenceStatement : change.DifferenceStatement;
        var detail = change.Change == Policy.Merge.PolicyChangeKind.Modified
            ? "changed: " + string.Join(", ", change.ChangedElements)
            : statement is null ? string.Empty
            : $"{statement.Effect} {string.Join(", ", statement.Action.Concat(statement.NotAction.Select(a => "NOT " + a)))} on {string.Join(", ", statement.Resource.Concat(statement.NotResource.Select(r => "NOT " + r)))}";
        return text.Append(Indented(detail, 4)).Append('\n').ToString();
    }

    /// <summary>The reason of a permission result with the repository ARN it names shortened to the repository, which the view shows beside it.</summary>
    public static string Reason(PtcPermissionResult result, int width = ListWidth)
    {
        if (result is null)
        {
            throw new ArgumentNullException(nameof(result));
        }

        var reason = result.Reason;
        var shortName = ShortResource(result.Resource);
        if (!string.Equals(shortName, result.Resource, StringComparison.Ordinal))
        {
            reason = reason.Replace(result.Resource, shortName);
        }

        return Wrap(reason, width);
    }

    /// <summary>
    /// Text of a readiness check (Reason, a FixAction, Actor, ...) wrapped between words, with an ARN too long for a
    /// line shortened to what differs from the check's rule, which the view shows above it: in the rule's account (and
    /// Region) <c>arn:aws:iam::111122223333:role/service-role/x</c> becomes <c>role/service-role/x</c> and a secret
    /// <c>secret:ecr-pullthroughcache/x</c>; an IAM ARN of another account becomes <see cref="ShortPrincipal"/>.
    /// </summary>
    /// <remarks>
    /// A full secret ARN is longer than an 80-column line can hold after a list label, and a role with a path often
    /// is, so PowerShell would split it mid-ARN. An identifier still wider than <paramref name="width"/> stands on a
    /// line of its own. The check's own properties keep the full text (scripts, JSON, CSV).
    /// </remarks>
    public static string Readiness(PtcReadinessCheck check, string? text, int width = ListWidth)
    {
        if (check is null)
        {
            throw new ArgumentNullException(nameof(check));
        }

        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var paragraphs = text!.Replace("\r\n", "\n").Split('\n').Select(paragraph => string.Join(" ",
            paragraph.Split(s_space, StringSplitOptions.RemoveEmptyEntries).Select(word => word.Length > width ? ShortArnIn(word, check.RegistryId, check.Region) : word)));
        return Wrap(string.Join("\n", paragraphs), width);
    }

    /// <summary>The Check cell of the readiness table: the check, with the puller (an IAM ARN without its account) where both fit <paramref name="width"/>.</summary>
    public static string ReadinessCheckCell(PtcReadinessCheck check, int width = 26)
    {
        if (check is null)
        {
            throw new ArgumentNullException(nameof(check));
        }

        return Puller(check) is { } puller && FitsCheckCell(check, puller, width) ? check.Check + " " + puller : check.Check.ToString();
    }

    /// <summary>The Summary cell of the readiness table: the summary and its fix count, after the puller on a line of its own when the Check cell has no room for it.</summary>
    public static string ReadinessSummaryCell(PtcReadinessCheck check, int checkWidth = 26, int width = 44)
    {
        if (check is null)
        {
            throw new ArgumentNullException(nameof(check));
        }

        var summary = check.Fix.Count > 0 ? $"{check.Summary} [fix: {Number(check.Fix.Count)}]" : check.Summary;
        var puller = Puller(check);
        var moved = puller is not null && !FitsCheckCell(check, puller, checkWidth);
        return Readiness(check, moved ? puller + "\n" + summary : summary, width);
    }

    // Whether the puller fits the Check cell beside the check's name; else the Summary cell shows it on a line of its own.
    private static bool FitsCheckCell(PtcReadinessCheck check, string puller, int width) => check.Check.ToString().Length + 1 + puller.Length <= width;

    // The puller of a FirstPull or LaterPulls check as the table shows it: an IAM or STS ARN without arn:...:account:.
    private static string? Puller(PtcReadinessCheck check) =>
        string.IsNullOrEmpty(check.Principal) ? null
        : Arn.TryParse(check.Principal, out var arn) && arn is not null && arn.Service is "iam" or "sts" && Arn.IsAccountId(arn.Account) ? arn.Resource
        : check.Principal;

    // A word with the ARN it holds shortened to what differs from the rule's account and Region.
    private static string ShortArnIn(string word, string account, string region)
    {
        var start = word.IndexOf("arn:", StringComparison.Ordinal);
        if (start < 0)
        {
            return word;
        }

        var end = word.Length;
        while (end > start && Array.IndexOf(s_proseMarks, word[end - 1]) >= 0)
        {
            end--;
        }

        var text = word.Substring(start, end - start);
        if (!Arn.TryParse(text, out var arn) || arn is null)
        {
            return word;
        }

        var shown = arn.Account == account && (arn.Region.Length == 0 || arn.Region == region) ? arn.Resource : ShortPrincipal(text);
        return word.Substring(0, start) + shown + word.Substring(end);
    }

    /// <summary>The repository a permission result is about, with its registry when that is known: <c>ecr-public/nginx (111122223333 us-east-1)</c>.</summary>
    public static string Repository(string? resource)
    {
        var name = ShortResource(resource);
        var registry = Registry(resource);
        return registry.Length == 0 ? name : $"{name} ({registry})";
    }

    /// <summary>Where a policy came from, in one cell: <c>us-east-1 111122223333</c> for ECR, the file name for a file.</summary>
    public static string Source(PtcRegistryPolicy policy)
    {
        if (policy is null)
        {
            throw new ArgumentNullException(nameof(policy));
        }

        if (!string.IsNullOrEmpty(policy.Region))
        {
            return (policy.Region + " " + policy.RegistryId).TrimEnd();
        }

        return string.IsNullOrEmpty(policy.Path) ? string.Empty : System.IO.Path.GetFileName(policy.Path);
    }

    /// <summary>What Set or Remove did to one target, with the backup path on a line of its own (the default view).</summary>
    public static string WriteResult(PtcRegistryPolicyWriteResult result)
    {
        if (result is null)
        {
            throw new ArgumentNullException(nameof(result));
        }

        var target = result.Path is { } path ? ShortPath(path) : result.Target;
        var text = new StringBuilder($"{target}: {result.Status}");
        if (result.Status != "Failed")
        {
            text.Append($", {Number(result.Statements)} statement{(result.Statements == 1 ? string.Empty : "s")}, {Number(result.Length)} characters");
        }
        else if (result.ErrorId is { } id)
        {
            text.Append($" ({id})");
        }

        if (result.BackupPath is { } backup)
        {
            // On a line of its own, from the first column: an 80-column console shows a backup under ~ whole.
            text.Append("; backup:\n").Append(ShortPath(backup));
        }

        if (result.Error is { } error)
        {
            text.Append("\n  ").Append(Indented(error, 2));
        }

        return text.ToString();
    }

    /// <summary>A whole number as every view and message prints it: digits only, no group separator in any culture.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
