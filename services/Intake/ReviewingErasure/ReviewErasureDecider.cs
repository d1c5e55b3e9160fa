using Referrals.Intake.Erasure;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.ReviewingErasure;

public static class ReviewErasureDecider
{
    /// <summary>
    /// A request is reviewed once, by someone other than its requester. A refusal must name its legal ground; an approval
    /// names none. Both record the reason.
    /// </summary>
    public static IReadOnlyList<object> Decide(ErasureRequest request, ReviewErasure command, DateTimeOffset now)
    {
        if (request.State != ErasureState.Requested)
        {
            throw new DomainRuleException($"The erasure request has already been reviewed ({request.State}).");
        }

        if (string.Equals(request.RequestedBy, command.ReviewedBy, StringComparison.Ordinal))
        {
            throw new DomainRuleException("An erasure request is reviewed by someone other than the person who raised it.");
        }

        if (string.IsNullOrWhiteSpace(command.Reason))
        {
            throw RequestValidationException.For("reason", "Record the reason for the decision.");
        }

        return command.Decision switch
        {
            ErasureDecision.Approve when command.LegalGround is not null =>
                throw RequestValidationException.For("legalGround", "A legal ground is given only to refuse."),
            ErasureDecision.Approve => [new ErasureApproved(request.Id, request.PersonId, command.ReviewedBy, command.Reason, now)],
            ErasureDecision.Refuse when command.LegalGround is not { } ground || !Enum.IsDefined(ground) =>
                throw RequestValidationException.For("legalGround", "A refusal names its legal ground (UK GDPR Article 17(3))."),
            ErasureDecision.Refuse =>
                [new ErasureRefused(request.Id, request.PersonId, command.ReviewedBy, command.Reason, command.LegalGround!.Value, now)],
            _ => throw RequestValidationException.For("decision", "Approve or Refuse."),
        };
    }
}
