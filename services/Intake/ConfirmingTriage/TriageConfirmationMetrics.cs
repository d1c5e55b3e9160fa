using System.Diagnostics.Metrics;
using Referrals.ServiceDefaults.Telemetry;

namespace Referrals.Intake.ConfirmingTriage;

public static class TriageConfirmationMetrics
{
    public static readonly Counter<long> Overdue = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.triage_confirmation_overdue", "{check}", "Submitted referrals triage had not triaged when checked (each was sent again)");

    public static readonly Counter<long> ChecksStopped = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.triage_confirmation_checks_stopped", "{referral}", "Referrals still not triaged at the last check the settings allow");
}
