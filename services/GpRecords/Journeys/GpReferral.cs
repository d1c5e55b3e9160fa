using System.Collections.Immutable;
using Referrals.Contracts;
using Referrals.Contracts.Triage;

namespace Referrals.GpRecords.Journeys;

/// <summary>
/// A practice notice of triage's (<see cref="ReferralEscalated"/>) for a referral whose journey is not known yet, held
/// until support-plan registers the referral. The notice is personal data as a whole (its indicators and statement may
/// quote a worker's words; only a field's whole value is encrypted), so it reads null once the person is erased.
/// </summary>
public sealed record EscalationNoticeHeld(Guid ReferralId, Guid PersonId, [property: PersonalData] ReferralEscalated? Notice);

/// <summary>
/// Support-plan registered the referral on <see cref="JourneyId"/> (which may differ from the id intake proposed and triage
/// stamped on its notices: a re-referral that reopens the person's previous journey, or a proposed id already taken). The
/// notices held for the referral (<see cref="NoticesMoved"/>) were moved onto that journey in the same transaction.
/// </summary>
public sealed record ReferralJourneyLinked(Guid ReferralId, Guid JourneyId, Guid PersonId, int NoticesMoved);

/// <summary>
/// Intake submitted the referral with the sharing scope the person gave for it: the scope a practice notice released without
/// a journey is sent under (the scope support-plan would register the journey with).
/// </summary>
public sealed record ReferralSubmissionNoted(Guid ReferralId, Guid PersonId, ConsentScope SharingScope, DateTimeOffset SubmittedAt);

/// <summary>The referrer withdrew the referral (intake's <c>ReferralWithdrawn</c>, without its free-text reason).</summary>
public sealed record ReferralWithdrawalNoted(Guid ReferralId, Guid PersonId, DateTimeOffset WithdrawnAt);

/// <summary>Why a referral's held practice notices went without its journey.</summary>
public enum NoticeReleaseReason
{
    /// <summary>Withdrawn before registration: support-plan registers a referral only while no withdrawal has reached it.</summary>
    Withdrawn,

    /// <summary>Still not registered when the held notice's check came due.</summary>
    Overdue,
}

/// <summary>
/// The held notices <see cref="NoticeKeys"/> were queued for the practice without a journey, as delivery
/// <see cref="DeliveryId"/> on the referral's notice journey (<see cref="Recording.ResourceIds.ReferralNotices"/>), in the same
/// transaction. They are held no more and are never moved onto a journey: the practice has them once.
/// </summary>
public sealed record HeldNoticesReleased(
    Guid ReferralId,
    Guid PersonId,
    Guid NoticeJourneyId,
    Guid DeliveryId,
    int Sequence,
    IReadOnlyList<string> NoticeKeys,
    NoticeReleaseReason Reason,
    DateTimeOffset ReleasedAt);

/// <summary>
/// A referral as gp-records knows it (stream id = <see cref="Recording.ResourceIds.ReferralJourney"/> of the ReferralId):
/// the journey support-plan registered it on, and the practice notices held until then. Triage escalates before
/// support-plan registers, so a notice's own JourneyId is only the id intake proposed; its journey is resolved here. A
/// referral that may never be registered (withdrawn first) or is not registered in time has its held notices released to
/// the practice without a journey, under the sharing scope it was submitted with (<see cref="HeldNotices"/>).
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

    /// <summary>The sharing scope the referral was submitted with; null until intake's submission is recorded here.</summary>
    public ConsentScope? SharingScope { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    public DateTimeOffset? WithdrawnAt { get; init; }

    /// <summary>Notices released to the practice without a journey (by fact key): never held, moved or released again.</summary>
    public ImmutableSortedSet<string> Released { get; init; } = ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal);

    /// <summary>Deliveries queued on the referral's notice journey so far (the next one's sequence follows).</summary>
    public int Releases { get; init; }

    public GpReferral Apply(ReferralSubmissionNoted e) => this with
    {
        ReferralId = e.ReferralId,
        PersonId = JourneyId is null ? e.PersonId : PersonId,
        SharingScope = e.SharingScope,
        SubmittedAt = e.SubmittedAt,
    };

    public GpReferral Apply(ReferralWithdrawalNoted e) => this with
    {
        ReferralId = e.ReferralId,
        PersonId = JourneyId is null ? e.PersonId : PersonId,
        WithdrawnAt = WithdrawnAt ?? e.WithdrawnAt,
    };

    public GpReferral Apply(HeldNoticesReleased e) => this with
    {
        ReferralId = e.ReferralId,
        Held = Held.RemoveRange(e.NoticeKeys),
        Released = Released.Union(e.NoticeKeys),
        Releases = Math.Max(Releases, e.Sequence),
    };

    public GpReferral Apply(EscalationNoticeHeld e) => this with
    {
        ReferralId = e.ReferralId,
        PersonId = JourneyId is null ? e.PersonId : PersonId,
        Held = e.Notice is { } notice ? Held.SetItem(JourneyFacts.KeyOf(notice), notice) : Held,
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
