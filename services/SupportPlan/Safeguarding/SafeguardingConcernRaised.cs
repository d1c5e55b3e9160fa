using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Safeguarding;

/// <summary>A worker raised a safeguarding concern, or a crisis, during the journey. Triage escalates it; the GP record marks it restricted.</summary>
public sealed record SafeguardingConcernRaised(
    Guid JourneyId,
    Guid PersonId,
    Guid ConcernId,
    bool Crisis,
    IReadOnlyList<string> Indicators,
    [property: PersonalData] string? Details,
    string RaisedBy,
    DateTimeOffset RaisedAt) : IJourneyEvent;
