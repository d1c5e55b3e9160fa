using System.Diagnostics.Metrics;
using Referrals.ServiceDefaults.Telemetry;

namespace Referrals.SupportPlan.Telemetry;

/// <summary>Support-plan's safeguarding counters, on the platform's meter ("Referrals").</summary>
public static class SafeguardingMetrics
{
    /// <summary>Checks that found a safeguarding concern not confirmed by triage (each one flagged and re-sent it).</summary>
    public static readonly Counter<long> ConcernsUnconfirmed = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.safeguarding_concerns_unconfirmed", "{check}", "Safeguarding concerns triage had not confirmed when checked");
}
