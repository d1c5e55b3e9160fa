namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>Queues read by the support-plan service.</summary>
public static class SupportPlanTopology
{
    public const string Service = "support-plan";

    public static IReadOnlyList<PlatformEndpoint> All => [];
}
