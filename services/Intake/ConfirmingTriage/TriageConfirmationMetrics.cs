using System.Diagnostics.Metrics;
using Referrals.ServiceDefaults.Telemetry;

namespace Referrals.Intake.ConfirmingTriage;

/// <summary>
/// Counters of the triage confirmation check (C10, tag <c>kind</c> = <c>submission</c>) and the linked referral receipt
/// check (C18, <c>linked-referral</c>): one alert on each counter covers both.
/// </summary>
public static class TriageConfirmationMetrics
{
    public const string Submission = "submission";

    public const string LinkedReferral = "linked-referral";

    public static readonly Counter<long> Overdue = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.triage_confirmation_overdue", "{check}", "Submitted referrals triage had not triaged, or linked referrals it had not sent a receipt for, when checked (each was sent again)");

    public static readonly Counter<long> ChecksStopped = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.triage_confirmation_checks_stopped", "{referral}", "Referrals still not triaged (or linked ones not received) at the last check the settings allow");

    /// <summary>Counts one flagged check of <paramref name="kind"/> in <paramref name="programme"/>, and the last one as stopped.</summary>
    public static void Flagged(string programme, string kind, bool finalCheck)
    {
        var tags = new[] { new KeyValuePair<string, object?>("programme", programme), new KeyValuePair<string, object?>("kind", kind) };
        Overdue.Add(1, tags);
        if (finalCheck)
        {
            ChecksStopped.Add(1, tags);
        }
    }
}
