namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>Queues read by the gp-records service.</summary>
public static class GpRecordsTopology
{
    public const string Service = "gp-records";

    public static IReadOnlyList<PlatformEndpoint> All => [];
}
