using Referrals.Intake.Erasure;
using Referrals.Intake.ReviewingErasure;
using Referrals.ServiceDefaults.Problems;
using static Referrals.Intake.Tests.DataProtectionData;

namespace Referrals.Intake.Tests.ReviewingErasure;

public sealed class ReviewErasureDeciderTests
{
    [Fact]
    public void An_officer_approves_with_a_reason()
    {
        var request = Requested();

        var events = ReviewErasureDecider.Decide(request, new ReviewErasure(request.Id, ErasureDecision.Approve, "Consent withdrawn, no exemption", null, "dpo-1"), Now);

        var approved = Assert.IsType<ErasureApproved>(Assert.Single(events));
        Assert.Equal(("dpo-1", "Consent withdrawn, no exemption", request.PersonId), (approved.ReviewedBy, approved.Reason, approved.PersonId));
        Assert.Equal(ErasureState.Approved, request.Then(approved).State);
    }

    [Fact]
    public void A_refusal_records_the_legal_ground_and_the_reason()
    {
        var request = Requested();

        var events = ReviewErasureDecider.Decide(request,
            new ReviewErasure(request.Id, ErasureDecision.Refuse, "Care record within its statutory retention", ErasureRefusalGround.LegalObligation, "dpo-1"), Now);

        var refused = Assert.IsType<ErasureRefused>(Assert.Single(events));
        Assert.Equal(ErasureRefusalGround.LegalObligation, refused.LegalGround);
        var after = request.Then(refused);
        Assert.Equal((ErasureState.Refused, ErasureRefusalGround.LegalObligation, "Care record within its statutory retention"),
            (after.State, after.RefusalGround, after.ReviewReason));
    }

    [Fact]
    public void A_refusal_without_a_legal_ground_is_invalid()
    {
        var request = Requested();

        var ex = Assert.Throws<RequestValidationException>(() => ReviewErasureDecider.Decide(request,
            new ReviewErasure(request.Id, ErasureDecision.Refuse, "No", null, "dpo-1"), Now));
        Assert.Contains("legalGround", ex.Errors.Keys);
    }

    [Fact]
    public void An_approval_names_no_legal_ground()
    {
        var request = Requested();

        Assert.Throws<RequestValidationException>(() => ReviewErasureDecider.Decide(request,
            new ReviewErasure(request.Id, ErasureDecision.Approve, "Fine", ErasureRefusalGround.LegalClaims, "dpo-1"), Now));
    }

    [Fact]
    public void A_decision_without_a_reason_is_invalid()
    {
        var request = Requested();

        var ex = Assert.Throws<RequestValidationException>(() => ReviewErasureDecider.Decide(request,
            new ReviewErasure(request.Id, ErasureDecision.Approve, " ", null, "dpo-1"), Now));
        Assert.Contains("reason", ex.Errors.Keys);
    }

    [Fact]
    public void A_request_is_reviewed_only_once()
    {
        var request = Requested();
        var approved = request.Then(ReviewErasureDecider.Decide(request, new ReviewErasure(request.Id, ErasureDecision.Approve, "Ok", null, "dpo-1"), Now)[0]);

        Assert.Throws<DomainRuleException>(() => ReviewErasureDecider.Decide(approved,
            new ReviewErasure(request.Id, ErasureDecision.Refuse, "Changed my mind", ErasureRefusalGround.LegalClaims, "dpo-2"), Now));
    }

    [Fact]
    public void The_requester_cannot_review_their_own_request()
    {
        var request = Requested(by: "dpo-1");

        Assert.Throws<DomainRuleException>(() => ReviewErasureDecider.Decide(request,
            new ReviewErasure(request.Id, ErasureDecision.Approve, "Ok", null, "dpo-1"), Now));
    }
}
