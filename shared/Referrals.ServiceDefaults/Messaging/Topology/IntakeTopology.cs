namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>Queues read by the intake service.</summary>
public static class IntakeTopology
{
    public const string Service = "intake";

    public static IReadOnlyList<PlatformEndpoint> All => [];
}
