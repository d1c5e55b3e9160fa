using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Consenting;

/// <summary>The person changed what may be shared with their GP (full, coded only, none), or withdrew consent to share.</summary>
public sealed record ChangeConsent(ConsentScope Scope, bool Withdrawn, string? Reason);

/// <summary>
/// Consent over time. Each change is an event GP-records applies before its next send. Withdrawal means nothing more is
/// shared (scope None). A change is accepted in any state, closed journeys included: the person's choice always counts.
/// </summary>
public static class ConsentDecider
{
    public static IReadOnlyList<object> Change(Journey journey, ChangeConsent command, string by, DateTimeOffset now)
    {
        new Validation()
            .Defined(command.Scope, "scope")
            .Check(!command.Withdrawn || command.Scope == ConsentScope.None, "scope", "Withdrawing consent means nothing is shared: the scope is None.")
            .Optional(command.Reason, "reason", Validation.Text)
            .ThrowIfAny();
        return journey.SharingScope == command.Scope && journey.ConsentWithdrawn == command.Withdrawn
            ? []
            : [new ConsentScopeChanged(journey.Id, journey.PersonId, command.Scope, command.Withdrawn, command.Reason, by, now)];
    }
}
