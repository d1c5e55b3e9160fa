using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Safeguarding;

/// <summary>
/// A worker raised a safeguarding concern, or a crisis, during the journey. Triage escalates it; the GP record marks it restricted.
/// <see cref="Indicators"/> are the worker's free text (they may describe the person), so personal data like the details.
/// </summary>
public sealed record SafeguardingConcernRaised(
    Guid JourneyId,
    Guid PersonId,
    Guid ConcernId,
    bool Crisis,
    IReadOnlyList<string>? Indicators,
    [property: PersonalData] string? Details,
    string RaisedBy,
    DateTimeOffset RaisedAt) : IJourneyEvent
{
    /// <summary>Encrypted under the person's key (concerns raised before it was marked keep it plain); empty once the person is erased.</summary>
    [PersonalData]
    public IReadOnlyList<string> Indicators { get; init; } = Indicators ?? [];
}

/// <summary>
/// Triage confirmed it received the concern (and opened or joined its escalation): nothing more to check. In the concern's
/// own stream (<see cref="ConcernConfirmation"/>), not the journey's.
/// </summary>
public sealed record SafeguardingConcernConfirmed(
    Guid JourneyId,
    Guid PersonId,
    Guid ConcernId,
    Guid? EscalationId,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ConfirmedAt) : ISupportPlanEvent;

/// <summary>
/// Triage had not confirmed the concern when check <see cref="Round"/> came due: the team is told, the concern is sent to
/// triage again and checked again later. In the concern's own stream (<see cref="ConcernConfirmation"/>), not the journey's.
/// </summary>
public sealed record SafeguardingConcernUnconfirmed(
    Guid JourneyId,
    Guid PersonId,
    Guid ConcernId,
    int Round,
    DateTimeOffset RaisedAt,
    DateTimeOffset FlaggedAt) : ISupportPlanEvent;
