using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Deciding;

/// <summary>
/// At the first interaction the person agreed to social prescribing: the coded moment for 871731000000106. Recorded at most
/// once per journey (one episode of care), so never again when the journey is reopened.
/// </summary>
public sealed record PersonAgreedToSocialPrescribing(
    Guid JourneyId,
    int Episode,
    string RecordedBy,
    DateTimeOffset AgreedAt) : IJourneyEvent;

/// <summary>At the first interaction the person declined (coded 871711000000103). The journey closes.</summary>
public sealed record SocialPrescribingDeclined(
    Guid JourneyId,
    Guid PersonId,
    [property: PersonalData] string? Reason,
    string RecordedBy,
    DateTimeOffset DeclinedAt) : IJourneyEvent;
