using System.Diagnostics.Metrics;
using Referrals.ServiceDefaults.Telemetry;

namespace Referrals.Triage.Escalating;

/// <summary>Triage's escalation counters, on the platform's meter ("Referrals"): each one worth an alert.</summary>
public static class EscalationMetrics
{
    /// <summary>Escalations opened with nobody to ask or tell (no duty slot now or ahead, no practice or referrer known).</summary>
    public static readonly Counter<long> NobodyToAsk = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.escalations_nobody_to_ask", "{escalation}", "Escalations opened with nobody to ask or tell");

    /// <summary>
    /// Escalations opened in a programme triage is not set up for (intake's programme list and triage's differ): no duty team
    /// exists to ask, only the practice and referrer are told, and no team lead's list shows it.
    /// </summary>
    public static readonly Counter<long> ProgrammeUnknown = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.escalations_programme_unknown", "{escalation}", "Escalations opened in a programme triage is not set up for");

    /// <summary>Repeat rounds: the whole chain passed unacknowledged and the duty team was asked again.</summary>
    public static readonly Counter<long> RepeatRounds = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.escalation_repeat_rounds", "{round}", "Escalations nobody acknowledged by the end of the chain, asked again");
}
