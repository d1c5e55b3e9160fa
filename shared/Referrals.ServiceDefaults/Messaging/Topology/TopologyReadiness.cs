using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Referrals.EventStore.Outbox;

namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>
/// Deploys the platform topology at start-up (retrying until RabbitMQ answers) and then opens the gate: the outbox relay
/// publishes nothing, and /health/ready stays unhealthy, until every consumer queue of every service exists.
/// </summary>
public sealed class TopologyReadiness : BackgroundService, IOutboxReadiness
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);
    private readonly TaskCompletionSource _deployed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IConfiguration _configuration;
    private readonly ILogger<TopologyReadiness> _logger;
    private readonly IReadOnlyList<PlatformEndpoint> _endpoints;

    public TopologyReadiness(IConfiguration configuration, ILogger<TopologyReadiness> logger, DeployedTopology topology)
    {
        _configuration = configuration;
        _logger = logger;
        _endpoints = topology.Endpoints;
    }

    public bool IsDeployed => _deployed.Task.IsCompletedSuccessfully;

    public Task WaitUntilReadyAsync(CancellationToken ct) => _deployed.Task.WaitAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = _configuration.GetConnectionString("RabbitMq")
                               ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is not set.");
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                // An attempt that hangs (a broker slow to answer under load) is abandoned and retried rather than waited on forever.
                using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                attemptTimeout.CancelAfter(AttemptTimeout);
                await TopologyDeployer.DeployAsync(connectionString, _endpoints, attemptTimeout.Token).WaitAsync(AttemptTimeout, stoppingToken);
                _deployed.TrySetResult();
                _logger.LogInformation("Platform topology deployed ({Endpoints} endpoints)", _endpoints.Count);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Topology deployment attempt {Attempt} failed ({Error}); retrying", attempt, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
