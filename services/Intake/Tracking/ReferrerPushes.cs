using Referrals.Intake.Referrals;

namespace Referrals.Intake.Tracking;

/// <summary>
/// One push to the referrer's webhook that newly recorded events call for: a status change (<see cref="Notice"/> null) or an
/// escalation notice. <see cref="Referral"/> is the referral as it stood at the event the push reports, its
/// <see cref="Referrals.Referral.Version"/> the push's sequence.
/// </summary>
public sealed record ReferrerPush(Referral Referral, EscalationNoticeReceived? Notice)
{
    public long Sequence => Referral.Version;
}

/// <summary>
/// Which pushes a batch of events appended to a referral calls for, and the sequence of each. Every push takes the
/// referral version of the event it reports, so no two pushes of a referral share a sequence (a receiver that
/// de-duplicates by sequence keeps them all, HAZ-002) and the sequences rise in the order the events were recorded. A
/// status change is pushed when the batch changed the status or the escalated flag, at the last event that changed
/// either; each escalation notice at its own event. Pure: the same events give the same sequences.
/// </summary>
public static class ReferrerPushes
{
    /// <param name="before">The referral before the batch.</param>
    /// <param name="events">The events appended, in order.</param>
    /// <param name="startingVersion">The stream version before the batch (the first event is <c>startingVersion + 1</c>).</param>
    public static IReadOnlyList<ReferrerPush> Plan(Referral before, IReadOnlyList<object> events, long startingVersion)
    {
        var pushes = new List<ReferrerPush>();
        var state = before;
        Referral? lastChange = null;
        for (var i = 0; i < events.Count; i++)
        {
            var next = state.Then(events[i]) with { Version = startingVersion + i + 1 };
            if (next.Status != state.Status || next.Escalated != state.Escalated)
            {
                lastChange = next;
            }

            if (events[i] is EscalationNoticeReceived notice)
            {
                pushes.Add(new ReferrerPush(next, notice));
            }

            state = next;
        }

        // A change undone within the batch shows nothing new to the referrer.
        if (lastChange is not null && (state.Status != before.Status || state.Escalated != before.Escalated))
        {
            pushes.Add(new ReferrerPush(lastChange, null));
        }

        return [.. pushes.OrderBy(p => p.Sequence)];
    }
}
