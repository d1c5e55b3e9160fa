using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Closing;

/// <summary>
/// The journey closed: a planned discharge with its reason, or a decline or withdrawal. The closing summary for the GP is built
/// from the journey as it stands when this is published.
/// </summary>
public sealed record JourneyClosed(
    Guid JourneyId,
    Guid PersonId,
    ClosureReason Reason,
    [property: PersonalData] string? Note,
    IReadOnlyList<Instrument> ClosingMeasuresSkipped,
    [property: PersonalData] string? ClosingMeasuresSkippedReason,
    string ClosedBy,
    DateTimeOffset ClosedAt) : IJourneyEvent
{
    /// <summary>
    /// The safeguarding concerns triage had not confirmed when <see cref="ClosedBy"/> closed the journey anyway: by a planned
    /// closure or a decline (with <see cref="ClosedWithUnconfirmedConcernReason"/>), or by a withdrawal, which cannot be
    /// refused and carries the ids only. Empty for a closure with none, and for closures recorded before the rule (before
    /// it reached declines and withdrawals, those recorded none).
    /// </summary>
    public IReadOnlyList<Guid> ClosedWithUnconfirmedConcerns { get; init; } = [];

    /// <summary>
    /// Why the journey was closed over those concerns: the worker's free text, so personal data. Null for a withdrawal (the
    /// referrer withdrew; nobody was asked).
    /// </summary>
    [PersonalData]
    public string? ClosedWithUnconfirmedConcernReason { get; init; }

    /// <summary>
    /// The further referrals nobody had acknowledged reading when the journey closed (HAZ-001 C11): only a withdrawal, which
    /// cannot be refused, closes over them (a worker's closure or decline is refused until they are read). Empty otherwise,
    /// and for closures recorded before the rule.
    /// </summary>
    public IReadOnlyList<Guid> ClosedWithUnacknowledgedFurtherReferrals { get; init; } = [];
}
