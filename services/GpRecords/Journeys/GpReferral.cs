using System.Collections.Immutable;
using Referrals.Contracts.Triage;

namespace Referrals.GpRecords.Journeys;

/// <summary>
/// A practice notice of triage's (<see cref="ReferralEscalated"/>) for a referral whose journey is not known yet, held
/// until support-plan registers the referral.
/// </summary>
public sealed record EscalationNoticeHeld(Guid ReferralId, Guid PersonId, ReferralEscalated Notice);

/// <summary>
/// Support-plan registered the referral on <see cref="JourneyId"/> (which may differ from the id intake proposed and triage
/// stamped on its notices: a re-referral that reopens the person's previous journey, or a proposed id already taken). The
/// notices held for the referral (<see cref="NoticesMoved"/>) were moved onto that journey in the same transaction.
/// </summary>
public sealed record ReferralJourneyLinked(Guid ReferralId, Guid JourneyId, Guid PersonId, int NoticesMoved);

/// <summary>
/// A referral as gp-records knows it (stream id = <see cref="Recording.ResourceIds.ReferralJourney"/> of the ReferralId):
/// the journey support-plan registered it on, and the practice notices held until then. Triage escalates before
/// support-plan registers, so a notice's own JourneyId is only the id intake proposed; its journey is resolved here.
/// </summary>
public sealed record GpReferral
{
    public Guid ReferralId { get; init; }

    /// <summary>The journey the referral is registered on; null until its <c>JourneyRegistered</c> is recorded.</summary>
    public Guid? JourneyId { get; init; }

    public Guid PersonId { get; init; }

    /// <summary>Held notices by fact key (<see cref="JourneyFacts.KeyOf"/>): once per escalation id and step.</summary>
    public ImmutableSortedDictionary<string, ReferralEscalated> Held { get; init; } =
        ImmutableSortedDictionary<string, ReferralEscalated>.Empty.WithComparers(StringComparer.Ordinal);

    public GpReferral Apply(EscalationNoticeHeld e) => this with
    {
        ReferralId = e.ReferralId,
        PersonId = JourneyId is null ? e.PersonId : PersonId,
        Held = Held.SetItem(JourneyFacts.KeyOf(e.Notice), e.Notice),
    };

    /// <summary>The held notices were moved onto the journey in the same transaction: none is held any more.</summary>
    public GpReferral Apply(ReferralJourneyLinked e) => this with
    {
        ReferralId = e.ReferralId,
        JourneyId = e.JourneyId,
        PersonId = e.PersonId,
        Held = Held.Clear(),
    };

    /// <summary>The notice as recorded on the referral's journey: stamped with the journey and person it is recorded on.</summary>
    public static ReferralEscalated OnJourney(ReferralEscalated notice, Guid journeyId, Guid personId) =>
        notice with { JourneyId = journeyId, PersonId = personId };
}
