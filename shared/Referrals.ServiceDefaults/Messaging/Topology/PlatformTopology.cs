namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>One consumer endpoint: the queue a service reads and the message types bound to it.</summary>
public sealed record PlatformEndpoint(string Service, string Queue, IReadOnlyList<Type> MessageTypes);

/// <summary>
/// Every consumer endpoint of every service. RabbitMQ drops a message published to an exchange with no bound queue, so this
/// whole topology is declared before anything is published: by the deploy-topology step, and by each service at start-up
/// before its outbox relay runs. Each service's file lists its own endpoints; a service refuses to start if its registered
/// consumers and this list disagree.
/// </summary>
public static class PlatformTopology
{
    public static IReadOnlyList<PlatformEndpoint> All =>
    [
        .. IntakeTopology.All,
        .. TriageTopology.All,
        .. SupportPlanTopology.All,
        .. GpRecordsTopology.All,
    ];

    public static IReadOnlyList<PlatformEndpoint> For(string service) => All.Where(e => e.Service == service).ToList();
}
