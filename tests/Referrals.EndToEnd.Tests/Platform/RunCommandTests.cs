using System.Diagnostics;
using Referrals.Testing.Hosting.Platform;

namespace Referrals.EndToEnd.Tests.Platform;

/// <summary>The README's first command, as a newcomer runs it, on ports of its own so it never meets a running platform.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task The_run_command_brings_every_service_up_within_a_minute_and_its_demo_walks_a_referral_to_the_practice()
    {
        var root = ServiceProcess.RepositoryRoot();
        var release = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "deploy/local/run.sh", "--demo", "--exit" },
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (release)
        {
            // The suite runs in Release, so the binaries exist; rebuilding them under running tests would gain nothing.
            start.ArgumentList.Add("--no-build");
        }

        start.Environment["REFERRALS_PORT_OFFSET"] = "1000";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await errors;

        Assert.True(process.ExitCode == 0, text);
        foreach (var service in new[] { "intake", "triage", "support-plan", "gp-records", "web-app" })
        {
            Assert.Contains($"{service} ready on http://127.0.0.1:", text, StringComparison.Ordinal);
        }

        Assert.Contains("Get a development token", text, StringComparison.Ordinal);
        Assert.Contains("Journey closed: goals met", text, StringComparison.Ordinal);
        Assert.Contains("\"resourceType\": \"Bundle\"", text, StringComparison.Ordinal);
        var finished = System.Text.RegularExpressions.Regex.Match(text, @"\[\s*(\d+(?:\.\d+)?)s\] Demo finished");
        Assert.True(finished.Success, text);
        Assert.True(double.Parse(finished.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < 60, "the demo took a minute or more");
    }
}
