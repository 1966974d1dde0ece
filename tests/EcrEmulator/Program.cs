using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;

namespace EcrEmulator;

/// <summary>
/// The standalone emulator: <c>dotnet EcrEmulator.dll --port 0 --account 111122223333 --region us-east-1
/// [--seed seed.json] [--exit-after SECONDS] [--ignore-stdin]</c>. --account and --region may be repeated (or take
/// comma-separated lists): the first is the default registry, and every account is served in every Region.
/// Prints <c>Listening on URL</c> first, then runs until stdin closes, Ctrl+C, SIGTERM or the --exit-after bound.
/// </summary>
public static class Program
{
    private const string Usage =
        "Usage: EcrEmulator [--port N] [--account 111122223333[,444455556666...]]... [--region us-east-1[,eu-west-1...]]... [--seed FILE] [--exit-after SECONDS] [--ignore-stdin]";

    /// <summary>The entry point; returns 0 on a clean stop, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        var options = new EmulatorOptions();
        double? exitAfter = null;
        var watchStdin = true;
        var accounts = new List<string>();
        var regions = new List<string>();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--port":
                        var port = Value();
                        options.Port = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535
                            ? number
                            : throw new ArgumentException($"--port needs a port number from 0 to 65535, not '{port}'.");
                        break;
                    case "--account":
                        accounts.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                        break;
                    case "--region":
                        regions.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                        break;
                    case "--seed":
                        var path = Value();
                        options.SeedJson = File.Exists(path) ? File.ReadAllText(path) : throw new ArgumentException($"The seed file '{path}' does not exist.");
                        break;
                    case "--exit-after":
                        var seconds = Value();
                        if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) || !(bound > 0))
                        {
                            throw new ArgumentException($"--exit-after needs a positive number of seconds, not '{seconds}'.");
                        }
                        exitAfter = bound;
                        break;
                    case "--ignore-stdin":
                        watchStdin = false;
                        break;
                    case "--help" or "-h":
                        Console.WriteLine(Usage);
                        return 0;
                    default:
                        throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"EcrEmulator: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        // The first account and Region are the default registry's; the others are served beside it.
        if (accounts.Count > 0)
        {
            options.AccountId = accounts[0];
            options.Accounts = accounts.Skip(1).Distinct().Where(a => a != accounts[0]).ToList();
        }
        if (regions.Count > 0)
        {
            options.Region = regions[0];
            options.Regions = regions.Skip(1).Distinct().Where(r => r != regions[0]).ToList();
        }

        EcrEmulatorServer server;
        try
        {
            server = EcrEmulatorServer.Start(options);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"EcrEmulator: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (IOException ex)
        {
            // Kestrel reports a taken port this way.
            Console.Error.WriteLine($"EcrEmulator: could not listen on 127.0.0.1:{options.Port}: {ex.Message}");
            return 1;
        }

        using (server)
        using (var stop = new ManualResetEventSlim())
        {
            // The handlers come before the first line: a launcher may send SIGTERM as soon as it reads it, and
            // one that arrived before them went to the web host's own handler, which stopped the server but
            // not this wait (the process then lived until --exit-after).
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Set();
            };
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Set();
            });

            // The first stdout line is the contract with Start-EcrEmulator and other launchers.
            Console.Out.WriteLine($"Listening on {server.Endpoint}");
            Console.Out.WriteLine($"Accounts {string.Join(", ", server.Registries.Accounts)} in Regions {string.Join(", ", server.Registries.Regions)}; access key {TestCredential.Default.AccessKeyId} for {options.AccountId} (see README.md for the secret and the keys of the other accounts)");
            Console.Out.Flush();

            if (watchStdin)
            {
                // When the launcher goes away its end of the pipe closes, and so does the emulator.
                var reader = new Thread(() =>
                {
                    try
                    {
                        while (Console.In.ReadLine() is not null)
                        {
                        }
                    }
                    catch (IOException)
                    {
                    }
                    stop.Set();
                }) { IsBackground = true, Name = "stdin watch" };
                reader.Start();
            }
            if (exitAfter is { } seconds)
            {
                if (!stop.Wait(TimeSpan.FromSeconds(seconds)))
                {
                    Console.Error.WriteLine($"EcrEmulator: stopping after --exit-after {seconds.ToString(CultureInfo.InvariantCulture)} s.");
                }
            }
            else
            {
                stop.Wait();
            }
        }
        return 0;
    }
}
