using Referrals.Intake.Erasure;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.RequestingErasure;

public static class RequestErasureDecider
{
    /// <summary>
    /// A request is recorded for a person intake knows and has not erased. The retention ground is the timer's own, not one
    /// a person can claim.
    /// </summary>
    public static IReadOnlyList<object> Decide(bool personKnown, bool personErased, RequestErasure command, DateTimeOffset now)
    {
        if (!personKnown)
        {
            throw new DomainRuleException("No person with this id is known.");
        }

        if (personErased)
        {
            throw new DomainRuleException("The person's personal data has already been erased.");
        }

        if (command.Ground == ErasureGround.RetentionPeriodEnded || !Enum.IsDefined(command.Ground))
        {
            throw RequestValidationException.For("ground", "Give the ground of the request (UK GDPR Article 17(1)).");
        }

        return [new ErasureRequested(command.ErasureRequestId, command.PersonId, ErasureOrigin.Request, command.Ground, command.RequestedBy, now)];
    }
}
