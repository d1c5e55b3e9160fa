using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Referrals.Testing.Hosting.Platform;

/// <summary>One service running as its own process, as in production: the built assembly on a free loopback port.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(string name, Process process, Uri address)
    {
        Name = name;
        _process = process;
        Address = address;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Uri Address { get; }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    /// <summary>Raised for every line the process writes (benchmarks count the consumers' retries with it).</summary>
    public event Action<string>? LineWritten;

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length > 6000 ? text[^6000..] : text;
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        LineWritten?.Invoke(line);
    }

    /// <summary>Starts <c>services/&lt;folder&gt;/bin/&lt;configuration&gt;/net10.0/Referrals.&lt;folder&gt;.dll</c>.</summary>
    public static ServiceProcess Start(string name, string folder, IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        var root = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var assembly = Path.Combine(root, "services", folder, "bin", configuration, "net10.0", $"Referrals.{folder}.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is not built; build Referrals.sln in {configuration} first.");
        }

        port ??= FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly, "--contentRoot", Path.Combine(root, "services", folder) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(root, "services", folder),
        };
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["OTEL_SERVICE_NAME"] = name;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(name, Process.Start(start)!, address);
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{RecentOutput}");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout}:\n{RecentOutput}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Referrals.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Referrals.sln not found above the test binaries.");
    }
}
