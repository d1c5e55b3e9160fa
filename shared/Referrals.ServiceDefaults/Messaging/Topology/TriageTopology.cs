namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>Queues read by the triage service.</summary>
public static class TriageTopology
{
    public const string Service = "triage";

    public static IReadOnlyList<PlatformEndpoint> All => [];
}
