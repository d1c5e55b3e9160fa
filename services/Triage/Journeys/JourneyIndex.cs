using Referrals.EventStore;
using Referrals.Triage.Triaging;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Journeys;

/// <summary>
/// Journey to referral and worker: which referral a journey id (intake's proposed one, or the one support-plan registered,
/// possibly reopened) belongs to now, and the worker who last took the person on. Used to route support-plan's journey
/// events to referrals, and for continuity when a person is referred again.
/// </summary>
public sealed record JourneyIndex(Guid Id, Guid ReferralId, string ProgrammeId, string? LinkWorkerId)
{
    public static JourneyIndex Create(ReferralReceived e) => new(e.JourneyId, e.ReferralId, e.ProgrammeId, null);

    public static JourneyIndex Create(JourneyLinked e) => new(e.JourneyId, e.ReferralId, e.ProgrammeId, e.LinkWorkerId);

    public JourneyIndex Apply(ReferralReceived e) => this with { ReferralId = e.ReferralId };

    public JourneyIndex Apply(JourneyLinked e) => this with { ReferralId = e.ReferralId, LinkWorkerId = e.LinkWorkerId ?? LinkWorkerId };

    public JourneyIndex Apply(AssignmentAcceptedByWorker e) => this with { LinkWorkerId = e.LinkWorkerId };
}

public sealed class JourneyIndexProjection : MultiStreamProjection<JourneyIndex, Guid>
{
    public JourneyIndexProjection()
    {
        Identity<ReferralReceived>(e => e.JourneyId);
        Identity<JourneyLinked>(e => e.JourneyId);
        Identities<AssignmentAcceptedByWorker>(e => e.RegisteredJourneyId is { } registered && registered != e.JourneyId
            ? [e.JourneyId, registered]
            : [e.JourneyId]);
    }
}
