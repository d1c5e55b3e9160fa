using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Messaging.Topology;

namespace Referrals.Deploy;

public static class Cli
{
    private const string Usage = """
        Referrals operator tool

          topology [--rabbitmq amqp://user:pass@host:port/vhost]
              Declare every consumer queue and binding of every service (idempotent). Run before any service publishes.

          token --role <role> [--sub <id>] [--ods <code>]... [--agency <id>] [--programme <id>]... [--link-worker <id>] [--tier 1|2|3]
              Print a development token (signed with the development key; Development only).
              Roles: referrer, link-worker, team-lead, programme-admin, clinical-system, data-protection-officer.

          practice [--port 5199]
              Run a stand-in clinical system for the development practices: a FHIR endpoint per practice at
              /<ods>/fhir that accepts transaction Bundles (conditional create and update) and shows what it holds.

          demo
              Walk one realistic referral through the running platform and print the coded record the practice got.

          replay-errors --queue <queue> [--rabbitmq <uri>] [--max <n>] [--max-age-days <n>]
              Move messages from <queue>_error back to <queue>, keeping their MessageIds (consumers' inboxes dedupe).
              A message that failed more than --max-age-days ago (default 29) stays: inboxes forget a message after
              30 days, so it could be applied twice. Check such a message by hand before raising the limit.

        The RabbitMQ address defaults to $ConnectionStrings__RabbitMq, then the local development broker.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 1 : 0;
        }

        var options = Options.Parse(args[1..]);
        try
        {
            switch (args[0])
            {
                case "topology":
                    using (var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
                    {
                        await TopologyDeployer.DeployAsync(options.RabbitMq, PlatformTopology.All, cts.Token);
                    }

                    Console.WriteLine($"Topology deployed: {PlatformTopology.All.Count} endpoints.");
                    return 0;
                case "token":
                    Console.WriteLine(CreateToken(options));
                    return 0;
                case "practice":
                    await using (var receiver = await Practice.PracticeFhirReceiver.StartAsync(
                                     int.Parse(options.SingleOrDefault("port") ?? "5199", System.Globalization.CultureInfo.InvariantCulture)))
                    {
                        Console.WriteLine($"Stand-in practice systems listening on {receiver.BaseAddress} (/<ods>/fhir). Ctrl+C stops.");
                        var stopped = new TaskCompletionSource();
                        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                            System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stopped.TrySetResult(); });
                        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                            System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });
                        await stopped.Task;
                    }

                    return 0;
                case "demo":
                    return await Journeys.Demo.RunAsync(Journeys.PlatformAddresses.Local, Console.Out);
                case "replay-errors":
                    var queue = options.Single("queue");
                    var replay = await ErrorQueueReplay.ReplayAsync(options.RabbitMq, queue,
                        int.Parse(options.SingleOrDefault("max") ?? "1000", System.Globalization.CultureInfo.InvariantCulture),
                        options.SingleOrDefault("max-age-days") is { } days
                            ? TimeSpan.FromDays(double.Parse(days, System.Globalization.CultureInfo.InvariantCulture))
                            : null);
                    Console.WriteLine($"Moved {replay.Moved} message(s) from {queue}_error back to {queue}.");
                    if (replay.HeldBack > 0)
                    {
                        Console.WriteLine($"Held back {replay.HeldBack} message(s) that failed longer ago than the inboxes remember; they stay in {queue}_error.");
                    }

                    return 0;
                default:
                    Console.Error.WriteLine($"Unknown verb '{args[0]}'.");
                    Console.Error.WriteLine(Usage);
                    return 1;
            }
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }

    public static string CreateToken(Options options)
    {
        var role = options.Single("role");
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.");
        }

        var claims = new List<KeyValuePair<string, string>>();
        claims.AddRange(options.Many("ods").Select(v => KeyValuePair.Create(ReferralsClaims.OdsCode, v)));
        claims.AddRange(options.Many("agency").Select(v => KeyValuePair.Create(ReferralsClaims.AgencyId, v)));
        claims.AddRange(options.Many("programme").Select(v => KeyValuePair.Create(ReferralsClaims.Programme, v)));
        claims.AddRange(options.Many("link-worker").Select(v => KeyValuePair.Create(ReferralsClaims.LinkWorkerId, v)));
        claims.AddRange(options.Many("tier").Select(v => KeyValuePair.Create(ReferralsClaims.Tier, v)));
        var key = Environment.GetEnvironmentVariable("Auth__DevelopmentSigningKey") ?? DevelopmentTokens.DefaultKey;
        return DevelopmentTokens.Create(key, options.SingleOrDefault("sub") ?? $"dev-{role}", [role], claims,
            name: options.SingleOrDefault("name"));
    }
}

public sealed class Options
{
    private readonly Dictionary<string, List<string>> _values = [];

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' but found '{args[i]}'.");
            }

            var name = args[i][2..];
            if (!options._values.TryGetValue(name, out var list))
            {
                options._values[name] = list = [];
            }

            list.Add(args[++i]);
        }

        return options;
    }

    public IReadOnlyList<string> Many(string name) => _values.GetValueOrDefault(name) ?? [];

    public string? SingleOrDefault(string name) => Many(name).LastOrDefault();

    public string Single(string name) => SingleOrDefault(name) ?? throw new ArgumentException($"--{name} is required.");

    public string RabbitMq => SingleOrDefault("rabbitmq")
                              ?? Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq")
                              ?? "amqp://referrals:referrals@127.0.0.1:55672/";
}
