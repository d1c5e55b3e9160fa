using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;

namespace Referrals.Triage.ServiceLevels;

/// <summary>
/// The first-contact service level: due a number of working days (by priority) after submission, on a durable timer that
/// the first recorded contact cancels. Restarting it (after an override) cancels the old timer and sets a new one.
/// </summary>
public static class ServiceLevelClock
{
    public const string FirstContact = "first-contact";

    public static void Start(IDocumentSession session, ReferralChanges referrals, Referral referral, Programme programme, DateTimeOffset now)
    {
        if (referral.ServiceLevelTimerKey is { } previous)
        {
            session.Timers.Cancel(previous);
        }

        var days = programme.ServiceLevels.FirstContactWorkingDays(referral.Priority);
        var due = RotaCalendar.AddWorkingDays(programme.DutyRota, referral.SubmittedAt, days);
        var key = $"sla:{FirstContact}:{referral.Id:N}:{Guid.CreateVersion7():N}";
        session.Timers.Schedule(key, due < now ? now : due, new ServiceLevelDue(referral.Id, FirstContact, due), referral.Id);
        referrals.Append(referral.Id, new ServiceLevelSet(referral.Id, FirstContact, days, due, key, now));
    }

    public static void Stop(IDocumentSession session, Referral referral)
    {
        if (referral.ServiceLevelTimerKey is { } key)
        {
            session.Timers.Cancel(key);
        }
    }
}
