using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Referrals.Testing;

/// <summary>Output of one run of deploy/local/infra.sh.</summary>
public sealed record InfraScriptResult(string Verb, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() =>
        $"infra.sh {Verb} exited {ExitCode} after {Elapsed.TotalMilliseconds:F0} ms{Environment.NewLine}" +
        $"--- stdout{Environment.NewLine}{StandardOutput}{Environment.NewLine}--- stderr{Environment.NewLine}{StandardError}";
}

/// <summary>
/// Runs deploy/local/infra.sh (install | start | stop | status | env). The script serialises concurrent callers
/// with flock, so several test processes may call it at once.
/// </summary>
/// <param name="scriptPath">Path of infra.sh.</param>
/// <param name="environment">
/// Extra environment variables, e.g. REFERRALS_STATE_DIR and REFERRALS_*_PORT for a private pair of servers.
/// </param>
public sealed partial class InfraScript(string scriptPath, IReadOnlyDictionary<string, string>? environment = null)
{
    public static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan QuickTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The repository's infra.sh with the default state folder and ports.</summary>
    public static InfraScript ForRepository(IReadOnlyDictionary<string, string>? environment = null) =>
        new(RepositoryPaths.InfraScript, environment);

    public string ScriptPath { get; } = scriptPath;

    public IReadOnlyDictionary<string, string> Environment { get; } =
        environment ?? new Dictionary<string, string>();

    /// <summary>Runs one verb and returns its result whatever the exit code.</summary>
    public async Task<InfraScriptResult> RunAsync(string verb, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ScriptPath) ?? "/",
        };
        startInfo.ArgumentList.Add(ScriptPath);
        startInfo.ArgumentList.Add(verb);
        foreach (var (name, value) in Environment)
        {
            startInfo.Environment[name] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        if (!process.Start())
        {
            throw new InfrastructureUnavailableException($"Could not run bash {ScriptPath} {verb}.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new InfrastructureUnavailableException(
                $"infra.sh {verb} did not finish within {timeout}.{System.Environment.NewLine}" +
                new InfraScriptResult(verb, -1, Read(stdout), Read(stderr), stopwatch.Elapsed));
        }

        // WaitForExitAsync also waits for the redirected streams to reach end of file.
        return new InfraScriptResult(verb, process.ExitCode, Read(stdout), Read(stderr), stopwatch.Elapsed);
    }

    /// <summary>Runs one verb and throws <see cref="InfrastructureUnavailableException"/> with its output if it fails.</summary>
    public async Task<InfraScriptResult> RunCheckedAsync(string verb, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(verb, timeout, cancellationToken);
        return result.Succeeded
            ? result
            : throw new InfrastructureUnavailableException(
                $"deploy/local/infra.sh {verb} failed; the test servers are not available.{System.Environment.NewLine}{result}");
    }

    /// <summary>install + start + env: makes sure both servers run and returns where they are.</summary>
    public async Task<InfrastructureEndpoints> StartAsync(CancellationToken cancellationToken = default)
    {
        await RunCheckedAsync("install", InstallTimeout, cancellationToken);
        await RunCheckedAsync("start", StartTimeout, cancellationToken);
        return await ReadEndpointsAsync(cancellationToken);
    }

    /// <summary>Runs <c>env</c> and parses its export lines.</summary>
    public async Task<InfrastructureEndpoints> ReadEndpointsAsync(CancellationToken cancellationToken = default)
    {
        var env = await RunCheckedAsync("env", QuickTimeout, cancellationToken);
        var variables = ParseExports(env.StandardOutput);
        return TestInfrastructure.FromVariables(name => variables.GetValueOrDefault(name))
            ?? throw new InfrastructureUnavailableException($"infra.sh env did not print the expected variables.{System.Environment.NewLine}{env}");
    }

    /// <summary>Parses lines of the form <c>export NAME='value'</c> (as printed by infra.sh env).</summary>
    public static IReadOnlyDictionary<string, string> ParseExports(string output)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = ExportLine().Match(line);
            if (match.Success)
            {
                variables[match.Groups["name"].Value] = match.Groups["quoted"].Success
                    ? match.Groups["quoted"].Value
                    : match.Groups["bare"].Value;
            }
        }

        return variables;
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString().TrimEnd();
        }
    }

    [GeneratedRegex(@"^export\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?:'(?<quoted>[^']*)'|(?<bare>\S*))$")]
    private static partial Regex ExportLine();
}
