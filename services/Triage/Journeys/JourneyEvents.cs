using Referrals.Triage.Common;

namespace Referrals.Triage.Journeys;

/// <summary>Support-plan registered the referral against a journey (possibly an earlier one it reopened).</summary>
public sealed record JourneyLinked(Guid ReferralId, Guid JourneyId, string ProgrammeId, string? LinkWorkerId, DateTimeOffset LinkedAt)
    : ITriageEvent
{
    /// <summary>
    /// The version of support-plan's journey stream that registered the referral (its JourneyRegistered), so later journey
    /// facts can be told apart by episode. Null when the message carried no source of that stream.
    /// </summary>
    public long? SourceVersion { get; init; }
}

/// <summary>The referrer withdrew the referral.</summary>
public sealed record ReferralWithdrawalRecorded(Guid ReferralId, bool AfterFirstContact, DateTimeOffset WithdrawnAt) : ITriageEvent;

/// <summary>Support-plan closed the journey this referral is on.</summary>
public sealed record JourneyClosureRecorded(Guid ReferralId, Guid JourneyId, DateTimeOffset ClosedAt) : ITriageEvent;
