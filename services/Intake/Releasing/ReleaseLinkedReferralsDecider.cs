using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;

namespace Referrals.Intake.Releasing;

/// <summary>What releasing a journey's linked referrals does: the person-index events and one event per referral released.</summary>
public sealed record ReleaseDecision(IReadOnlyList<object> PersonIndexEvents, IReadOnlyList<LinkedReferralReleased> Released);

/// <summary>
/// Pure decision over the referrals linked to a journey that has just ended (HAZ-007, HAZ-014). A linked referral is never
/// triaged on its own and finishes with its journey; a journey that ends before anyone took it on (not eligible, withdrawn
/// before support-plan opened it, or closed by support-plan as withdrawn because the person had not agreed, C9) sends no
/// journey event that finishes them, so its linked referrals would wait for ever. Each is
/// admitted again through the person index, oldest first, as a submission is: the first opens a new journey naming the
/// ended one, the others join it.
/// </summary>
public static class ReleaseLinkedReferralsDecider
{
    public static readonly ReleaseDecision Nothing = new([], []);

    /// <summary>The journey ended without being taken on: its linked referrals have nothing left to finish with.</summary>
    public static bool EndedUntaken(JourneyEndReason reason) => reason is JourneyEndReason.NotEligible or JourneyEndReason.Withdrawn;

    /// <param name="entry">The person's index entry with <paramref name="ended"/> applied.</param>
    /// <param name="candidates">The referrals the ended journey's index holds; those no longer linked to it are left alone.</param>
    /// <param name="newJourneyId">Fresh journey ids (made by the caller, so the decision stays pure).</param>
    public static ReleaseDecision Decide(PersonIndexEntry? entry, JourneyEnded ended, IReadOnlyList<Referral> candidates,
        Func<Guid> newJourneyId, DateTimeOffset now)
    {
        // An erased person has nothing to release; nor has a journey that ended after being taken on (it finishes them).
        if (!EndedUntaken(ended.Reason) || entry is not { PersonId: { } personId } || personId != ended.PersonId ||
            entry.OpenJourneyIn(ended.ProgrammeId)?.JourneyId == ended.JourneyId)
        {
            return Nothing;
        }

        var indexEvents = new List<object>();
        var released = new List<LinkedReferralReleased>();
        foreach (var referral in candidates.Where(r => StillLinkedTo(r, ended)).OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id))
        {
            var admission = PersonIndexDecider.Admit(entry, ended.IndexId, ended.ProgrammeId, referral.Id, personId, newJourneyId(), now);
            indexEvents.AddRange(admission.Events);
            entry = admission.Events.Aggregate(entry, (e, @event) => e.Then(@event));
            released.Add(new LinkedReferralReleased(referral.Id, admission.PersonId, ended.ProgrammeId, ended.JourneyId, ended.Reason,
                admission.JourneyId, admission.PreviousJourneyId, admission.LinkedToOpenJourney, now));
        }

        return new ReleaseDecision(indexEvents, released);
    }

    /// <summary>
    /// Waiting on the ended journey: linked to it (a withdrawn one shows Withdrawn), its person's details still held (not
    /// erased). A self-referral is never linked (HAZ-003 C6); one linked before that rule is left to people rather than
    /// admitted to someone's journey again.
    /// </summary>
    private static bool StillLinkedTo(Referral referral, JourneyEnded ended) =>
        referral is { Status: ReferralStatus.LinkedToOpenJourney, LinkedToOpenJourney: true, Person: not null } &&
        referral.JourneyId == ended.JourneyId && referral.ProgrammeId == ended.ProgrammeId &&
        referral.PersonIndexId == ended.IndexId && referral.Channel != ReferralChannel.SelfReferral;
}
