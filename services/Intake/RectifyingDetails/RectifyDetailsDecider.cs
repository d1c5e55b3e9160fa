using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.RectifyingDetails;

/// <summary>The corrections per referral, and the message that tells every other service.</summary>
public sealed record RectificationDecision(IReadOnlyList<PersonDetailsCorrected> Events, PersonDetailsRectified? Message);

public static class RectifyDetailsDecider
{
    /// <summary>
    /// Every referral of the person takes the corrected details; the other services are told once. The NHS number keys the
    /// person index, so it cannot be changed here (a wrong NHS number is a different person: withdraw and refer again); left
    /// out, it is kept. Details already as corrected decide nothing.
    /// </summary>
    public static RectificationDecision Decide(IReadOnlyList<Referral> referrals, bool erased, RectifyDetails command, DateTimeOffset now)
    {
        if (referrals.Count == 0)
        {
            throw new DomainRuleException("No person with this id is known.");
        }

        if (erased)
        {
            throw new DomainRuleException("The person's personal data has been erased; there is nothing to correct.");
        }

        var nhsNumber = referrals.Select(r => r.Person?.NhsNumber).FirstOrDefault(n => n is not null);
        if (command.Person.NhsNumber is { } corrected && nhsNumber is not null && corrected != nhsNumber)
        {
            throw RequestValidationException.For("person.nhsNumber",
                "The NHS number cannot be changed by rectification: it identifies the person. Withdraw and refer again.");
        }

        var details = command.Person with { NhsNumber = command.Person.NhsNumber ?? nhsNumber };
        var events = referrals
            .Where(r => r.Person != details)
            .OrderBy(r => r.SubmittedAt)
            .Select(r => new PersonDetailsCorrected(r.Id, command.PersonId, details, command.RectifiedBy, now))
            .ToList();
        return events.Count == 0
            ? new RectificationDecision([], null)
            : new RectificationDecision(events, new PersonDetailsRectified(command.PersonId, details, command.RectifiedBy, now));
    }
}
