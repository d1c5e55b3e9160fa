using Referrals.Contracts.Triage;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Recording;

namespace Referrals.GpRecords.Tests.Support;

/// <summary>Where a practice escalation notice lands, and waiting for it there.</summary>
public static class EscalationNotices
{
    /// <summary>The notice's resource key at the practice, on the journey it was recorded on.</summary>
    public static string Key(Guid journeyId, ReferralEscalated notice) =>
        "Observation/" + ResourceIds.EscalationNotice(journeyId, notice.EscalationId, notice.Step);

    public static Task FiledAsync(this GpRecordsHarness harness, PracticeFhirReceiver receiver, string practice, Guid journeyId, Guid personId,
        string key) =>
        Eventually.TrueAsync(() => Task.FromResult(receiver.StoreBySenderIdOf(practice).ContainsKey(key)), key + " at " + practice, TimeSpan.FromSeconds(30),
            () => harness.DiagnoseAsync(journeyId, personId));
}
