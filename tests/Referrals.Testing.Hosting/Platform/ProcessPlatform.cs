using Referrals.Deploy.Journeys;
using Referrals.Deploy.Practice;
using Referrals.ServiceDefaults.Messaging.Topology;

namespace Referrals.Testing.Hosting.Platform;

/// <summary>
/// The four services as separate processes, as in production, on the real broker and database: each service in its own
/// schema, all on one isolated virtual host, with a stand-in practice system receiving the coded records. Optionally
/// several instances of every service (competing consumers, one daemon leader, cooperating relays and timers).
/// </summary>
public sealed class ProcessPlatform : IAsyncDisposable
{
    public static readonly IReadOnlyList<(string Name, string Folder)> AllServices =
        [("intake", "Intake"), ("triage", "Triage"), ("support-plan", "SupportPlan"), ("gp-records", "GpRecords")];

    public static readonly string[] Practices = ["B86001", "B86002", "B86003", "B86004", "B83001"];

    private readonly Dictionary<string, List<ServiceProcess>> _running = [];
    private readonly Dictionary<string, int[]> _ports = [];
    private readonly List<IsolatedPostgresSchema> _schemas = [];
    private readonly Dictionary<string, string> _schemaOf = [];
    private readonly int _instances;
    private readonly IReadOnlyDictionary<string, string> _settings;

    private ProcessPlatform(InfrastructureEndpoints infrastructure, IsolatedRabbitVirtualHost vhost, PracticeFhirReceiver practice, int instances,
        IReadOnlyDictionary<string, string>? settings)
    {
        Infrastructure = infrastructure;
        VirtualHost = vhost;
        Practice = practice;
        _instances = instances;
        _settings = settings ?? new Dictionary<string, string>();
        foreach (var (name, _) in AllServices)
        {
            _ports[name] = Enumerable.Range(0, instances).Select(_ => ServiceProcess.FreePort()).ToArray();
        }

        Addresses = new PlatformAddresses(Address("intake"), Address("triage"), Address("support-plan"), Address("gp-records"), practice.BaseAddress);
        Client = new PlatformClient(Addresses) { WaitLimit = TimeSpan.FromSeconds(90), Diagnostics = Diagnostics };
    }

    public InfrastructureEndpoints Infrastructure { get; }
    public IsolatedRabbitVirtualHost VirtualHost { get; }
    public PracticeFhirReceiver Practice { get; }
    public PlatformAddresses Addresses { get; }
    public PlatformClient Client { get; }

    public IReadOnlyDictionary<string, string> Schemas => _schemaOf;

    public IEnumerable<ServiceProcess> Processes => _running.Values.SelectMany(p => p);

    private Uri Address(string service, int instance = 0) => new($"http://127.0.0.1:{_ports[service][instance]}");

    /// <summary>
    /// Starts the platform: topology first, then the given services (all by default). <paramref name="settings"/> are
    /// extra environment variables for every service process (log levels, telemetry export).
    /// </summary>
    public static async Task<ProcessPlatform> StartAsync(int instances = 1, IEnumerable<string>? services = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        var vhost = await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "e2e");
        var practice = await PracticeFhirReceiver.StartAsync();
        var platform = new ProcessPlatform(infrastructure, vhost, practice, instances, settings);
        try
        {
            foreach (var (name, _) in AllServices)
            {
                var schema = await IsolatedPostgresSchema.CreateAsync(infrastructure, "e2e_" + name.Replace("-", "", StringComparison.Ordinal));
                platform._schemas.Add(schema);
                platform._schemaOf[name] = schema.SchemaName;
            }

            await TopologyDeployer.DeployAsync(vhost.AmqpUri.ToString(), PlatformTopology.All, CancellationToken.None);
            await Task.WhenAll((services ?? AllServices.Select(s => s.Name)).Select(platform.StartServiceAsync));
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts every instance of a service and waits until each is ready.</summary>
    public async Task StartServiceAsync(string service)
    {
        var folder = AllServices.Single(s => s.Name == service).Folder;
        var processes = Enumerable.Range(0, _instances)
            .Select(i => ServiceProcess.Start($"{service}-{i}", folder, Environment(service), _ports[service][i]))
            .ToList();
        _running[service] = processes;
        await Task.WhenAll(processes.Select(p => p.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
    }

    public async Task StopServiceAsync(string service)
    {
        if (_running.Remove(service, out var processes))
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    private Dictionary<string, string> Environment(string service)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = Infrastructure.PostgresConnectionString,
            ["ConnectionStrings__RabbitMq"] = VirtualHost.AmqpUri.ToString(),
            ["EventStore__Schema"] = _schemaOf[service],
            ["Services__Intake"] = Address("intake").ToString(),
            ["Services__Triage"] = Address("triage").ToString(),
            ["Services__SupportPlan"] = Address("support-plan").ToString(),
            ["Services__GpRecords"] = Address("gp-records").ToString(),
        };
        foreach (var ods in Practices)
        {
            environment[$"GpRecords__Practices__{ods}__FhirBaseUrl"] = Practice.FhirBaseFor(ods);
        }

        foreach (var (key, value) in _settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Recent output of every process, for failure messages.</summary>
    public string Diagnostics() => string.Join("\n", Processes.Select(p => $"--- {p.Name} ---\n{p.RecentOutput}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _running.Keys.ToList())
        {
            await StopServiceAsync(service);
        }

        Client.Dispose();
        await Practice.DisposeAsync();
        foreach (var schema in _schemas)
        {
            await schema.DisposeAsync();
        }

        await VirtualHost.DisposeAsync();
    }
}
