using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Testing;

namespace PtcTools.Benchmarks;

/// <summary>
/// The evaluation engine beside the reference oracle, on the same generated workload, in one run:
/// prints both rates, their ratio, and whether the answers agree. Usage:
/// PtcTools.Benchmarks simulate [--requests 10000] [--work DIR] [--shared DIR] [--seconds 3]
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var options = Options(args);
        var shared = options.TryGetValue("shared", out var s) ? s : FindShared();
        if (shared is null || !File.Exists(Path.Combine(shared, "bench", "gen.mjs")))
        {
            Console.Error.WriteLine("The shared folder (../shared with bench/gen.mjs and oracle/run-oracle.sh) was not found next to the repository; nothing to compare with.");
            return 2;
        }

        var count = int.Parse(options.TryGetValue("requests", out var n) ? n : "10000", CultureInfo.InvariantCulture);
        var seconds = double.Parse(options.TryGetValue("seconds", out var sec) ? sec : "3", CultureInfo.InvariantCulture);
        var work = options.TryGetValue("work", out var w) ? w : Path.Combine(Path.GetTempPath(), "ptc-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);

        Run("node", $"\"{Path.Combine(shared, "bench", "gen.mjs")}\" {count} \"{work}\"", null, out _, out _, TimeSpan.FromMinutes(2));
        var requestsPath = Path.Combine(work, "requests.jsonl");
        var lines = File.ReadAllLines(requestsPath).Where(l => l.Length > 0).ToArray();

        // Engine: parse and compile (each distinct policy once), then evaluate the whole workload repeatedly on one thread.
        var setup = Stopwatch.StartNew();
        var format = new OracleFormat();
        var cases = lines.Select(format.Read).ToArray();
        setup.Stop();
        var failed = cases.Where(c => c.Error is not null).ToList();
        if (failed.Count > 0)
        {
            Console.Error.WriteLine($"{failed.Count} requests could not be evaluated; first: {failed[0].Id}: {failed[0].Error!.Message}");
            return 1;
        }

        var sets = cases.Select(c => c.Policies!).ToArray();

        // Compiling the registry policy alone (what a pipeline pays once per distinct policy).
        var document = sets[0].ResourcePolicy!.Document;
        CompiledPolicy.Compile(document, PolicyKind.Resource, "registry policy");
        var compileWatch = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            CompiledPolicy.Compile(document, PolicyKind.Resource, "registry policy");
        }

        compileWatch.Stop();
        var requests = cases.Select(c => c.Request!).ToArray();
        var decisions = new PermissionDecision[requests.Length];
        Evaluate(sets, requests, decisions); // warm up: JIT, tiering, per-action indexes
        Evaluate(sets, requests, decisions);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var passes = 0;
        var watch = Stopwatch.StartNew();
        do
        {
            Evaluate(sets, requests, decisions);
            passes++;
        }
        while (watch.Elapsed.TotalSeconds < seconds);
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var engineRate = passes * (double)requests.Length / watch.Elapsed.TotalSeconds;

        // Explained evaluation (what the cmdlet uses: statements and a reason), for scale.
        var explainWatch = Stopwatch.StartNew();
        for (var i = 0; i < requests.Length; i++)
        {
            PermissionEvaluator.Evaluate(sets[i], requests[i]);
        }

        explainWatch.Stop();
        var explainRate = requests.Length / explainWatch.Elapsed.TotalSeconds;

        // The oracle on the same file, with its own timer (process start and npm load excluded, which favours it).
        var oracleOut = Path.Combine(work, "oracle.jsonl");
        var oracleScript = Path.Combine(shared, "oracle", "run-oracle.sh");
        var oracleWatch = Stopwatch.StartNew();
        Run("bash", $"\"{oracleScript}\" --fast-collator --bench", requestsPath, out var oracleStdout, out var oracleStderr, TimeSpan.FromMinutes(10));
        oracleWatch.Stop();
        File.WriteAllText(oracleOut, oracleStdout);
        var bench = Regex.Match(oracleStderr, "\"perSecond\":([0-9.]+)");
        var oracleRate = bench.Success ? double.Parse(bench.Groups[1].Value, CultureInfo.InvariantCulture) : lines.Length / oracleWatch.Elapsed.TotalSeconds;

        // Agreement, request by request.
        var oracle = oracleStdout.Split('\n').Where(l => l.Length > 0).Select(JObject.Parse).ToDictionary(o => o["id"]!.ToString(), o => (string)o["decision"]!);
        var differ = cases.Select((c, i) => (c.Id, Ours: OracleCase.OracleName(decisions[i]), Theirs: oracle.TryGetValue(c.Id, out var d) ? d : "missing"))
            .Where(x => x.Ours != x.Theirs).ToList();
        var tally = decisions.GroupBy(d => d).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");

        Console.WriteLine($"workload:   {requests.Length} requests, {sets.Select(x => x.ResourcePolicy).Distinct().Count()} distinct registry policies ({sets[0].ResourcePolicy!.Statements.Count} statements), decisions: {string.Join(", ", tally)}");
        Console.WriteLine($"setup:      parse + compile {setup.Elapsed.TotalMilliseconds:F0} ms (each distinct policy compiled once); compiling the {sets[0].ResourcePolicy!.Statements.Count}-statement policy takes {compileWatch.Elapsed.TotalMilliseconds / 100:F2} ms");
        Console.WriteLine($"engine:     {engineRate:N0} decisions/s on one thread ({passes} passes, {allocated / (double)(passes * requests.Length):F2} bytes allocated per decision)");
        Console.WriteLine($"explained:  {explainRate:N0} decisions/s with matched statements and reason");
        Console.WriteLine($"oracle:     {oracleRate:N0} decisions/s (--fast-collator, its own timer; {oracleWatch.Elapsed.TotalSeconds:F1} s wall clock with start-up)");
        Console.WriteLine($"ratio:      {engineRate / oracleRate:N0}x the oracle");
        Console.WriteLine($"agreement:  {requests.Length - differ.Count} of {requests.Length} decisions agree with the oracle" + (differ.Count == 0 ? string.Empty : $"; first differences: {string.Join("; ", differ.Take(5).Select(d => $"{d.Id}: ours {d.Ours}, oracle {d.Theirs}"))}"));
        Console.WriteLine("RESULT " + new JObject
        {
            ["requests"] = requests.Length,
            ["engineRate"] = Math.Round(engineRate),
            ["explainedRate"] = Math.Round(explainRate),
            ["oracleRate"] = Math.Round(oracleRate),
            ["ratio"] = Math.Round(engineRate / oracleRate, 1),
            ["compileMs"] = Math.Round(compileWatch.Elapsed.TotalMilliseconds / 100, 3),
            ["bytesPerDecision"] = Math.Round(allocated / (double)(passes * requests.Length), 2),
            ["agree"] = requests.Length - differ.Count,
            ["work"] = work,
        }.ToString(Newtonsoft.Json.Formatting.None));
        return differ.Count == 0 ? 0 : 1;
    }

    private static void Evaluate(PolicySet[] sets, AccessRequest[] requests, PermissionDecision[] decisions)
    {
        for (var i = 0; i < requests.Length; i++)
        {
            decisions[i] = PermissionEvaluator.Decide(sets[i], requests[i]);
        }
    }

    private static string? FindShared() => SharedFolder.Find();

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                options[args[i].Substring(2)] = args[++i];
            }
        }

        return options;
    }

    private static void Run(string file, string arguments, string? stdinPath, out string stdout, out string stderr, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = stdinPath is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var outTask = process.StandardOutput.ReadToEndAsync();
        var errTask = process.StandardError.ReadToEndAsync();
        if (stdinPath is not null)
        {
            using (var input = File.OpenRead(stdinPath))
            {
                input.CopyTo(process.StandardInput.BaseStream);
            }

            process.StandardInput.Close();
        }

        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish within {timeout}.");
        }

        stdout = outTask.Result;
        stderr = errTask.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed with exit code {process.ExitCode}: {stderr}");
        }
    }
}
