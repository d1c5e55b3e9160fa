using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Consenting;

/// <summary>The person changed how much may be shared with their GP, or withdrew consent to share (scope None).</summary>
public sealed record ConsentScopeChanged(
    Guid JourneyId,
    Guid PersonId,
    ConsentScope Scope,
    bool Withdrawn,
    [property: PersonalData] string? Reason,
    string RecordedBy,
    DateTimeOffset ChangedAt) : IJourneyEvent;
