using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Xunit;

namespace PtcTools.Tests;

public sealed class AwsCmdletStopTests
{
    [Fact]
    public void Stopping_the_pipeline_cancels_a_call_that_is_waiting_for_ECR()
    {
        // A loopback port that accepts connections and never answers: the call would wait its full timeout and retries.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = new System.Collections.Concurrent.ConcurrentBag<TcpClient>();
        var acceptLoop = new Thread(() =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(listener.AcceptTcpClient());
                }
            }
            catch (SocketException)
            {
            }
        }) { IsBackground = true };
        acceptLoop.Start();

        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { typeof(PtcRegistryPolicy).Assembly.Location });
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddCommand("Get-PtcRegistryPolicy")
            .AddParameter("Region", new[] { "us-east-1" })
            .AddParameter("EndpointUrl", $"http://127.0.0.1:{port}")
            .AddParameter("AccessKey", "AKIDEXAMPLE")
            .AddParameter("SecretKey", "secret");

        var running = ps.BeginInvoke();

        // Stop only once the call is really waiting on the socket (bounded, for a slow machine).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (accepted.IsEmpty && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.NotEmpty(accepted);
        var watch = Stopwatch.StartNew();
        ps.Stop();
        Assert.ThrowsAny<PipelineStoppedException>(() => ps.EndInvoke(running));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {watch.Elapsed}");
        listener.Stop();
        foreach (var client in accepted)
        {
            client.Dispose();
        }
    }
}
