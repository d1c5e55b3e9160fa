using Referrals.Contracts.Intake;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.ChangingRegisteredPractice;

/// <summary>The new practice per referral, and the message that tells gp-records.</summary>
public sealed record RegisteredPracticeDecision(IReadOnlyList<RegisteredPracticeRecorded> Events, RegisteredPracticeChanged? Message);

public static class ChangeRegisteredPracticeDecider
{
    /// <summary>
    /// Every referral of the person takes the new practice, finished ones too: where the person is registered is a fact
    /// about the person, and gp-records decides what still goes there. GP-records is told once (the only service that routes
    /// by the practice after the referral). Referrals already at the practice decide nothing, so a repeat changes and
    /// publishes nothing.
    /// </summary>
    public static RegisteredPracticeDecision Decide(IReadOnlyList<Referral> referrals, bool erased, ChangeRegisteredPractice command,
        DateTimeOffset now)
    {
        if (referrals.Count == 0)
        {
            throw new DomainRuleException("No person with this id is known.");
        }

        if (erased)
        {
            throw new DomainRuleException("The person's personal data has been erased; there is no registration to change.");
        }

        var practice = command.RegisteredPractice.Value;
        var events = referrals
            .Where(r => !string.Equals(r.RegisteredPracticeOds, practice, StringComparison.Ordinal))
            .OrderBy(r => r.SubmittedAt)
            .Select(r => new RegisteredPracticeRecorded(r.Id, command.PersonId, practice, command.ChangedBy, now))
            .ToList();
        return events.Count == 0
            ? new RegisteredPracticeDecision([], null)
            : new RegisteredPracticeDecision(events, new RegisteredPracticeChanged(command.PersonId, practice, command.ChangedBy, now));
    }
}
