using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Connecting;

/// <summary>
/// The person was connected to a community group or service. Signposting gives information only; an onward referral sends
/// the service what the person consented to share (<see cref="SharedInformation"/>).
/// </summary>
public sealed record CommunityConnectionMade(
    Guid JourneyId,
    Guid PersonId,
    Guid ConnectionId,
    Guid? DirectoryEntryId,
    string ServiceName,
    ConnectionKind Kind,
    bool ConsentToShare,
    [property: PersonalData] string? SharedInformation,
    string RecordedBy,
    DateTimeOffset MadeAt) : IJourneyEvent;

/// <summary>The receiving service acknowledged an onward referral (accepted it, or not).</summary>
public sealed record OnwardReferralAcknowledged(
    Guid JourneyId,
    Guid PersonId,
    Guid ConnectionId,
    bool Accepted,
    [property: PersonalData] string? Note,
    DateTimeOffset AcknowledgedAt,
    string RecordedBy,
    DateTimeOffset RecordedAt) : IJourneyEvent;

/// <summary>How the connection turned out: attended, did not attend, declined, or service full.</summary>
public sealed record ConnectionOutcomeRecorded(
    Guid JourneyId,
    Guid PersonId,
    Guid ConnectionId,
    ConnectionOutcome Outcome,
    [property: PersonalData] string? Note,
    string RecordedBy,
    DateTimeOffset RecordedAt) : IJourneyEvent;
