using Referrals.Intake.Erasure;
using Referrals.Intake.RequestingErasure;
using Referrals.ServiceDefaults.Problems;
using static Referrals.Intake.Tests.DataProtectionData;

namespace Referrals.Intake.Tests.RequestingErasure;

public sealed class RequestErasureDeciderTests
{
    private static RequestErasure Command(ErasureGround ground = ErasureGround.ConsentWithdrawn) =>
        new(Guid.NewGuid(), Guid.NewGuid(), ground, "link-worker-7");

    [Fact]
    public void A_request_for_a_known_person_is_recorded_with_who_asked_and_the_ground()
    {
        var command = Command();

        var requested = Assert.IsType<ErasureRequested>(Assert.Single(RequestErasureDecider.Decide(true, false, command, Now)));

        Assert.Equal(new ErasureRequested(command.ErasureRequestId, command.PersonId, ErasureOrigin.Request, ErasureGround.ConsentWithdrawn,
            "link-worker-7", Now), requested);
    }

    [Fact]
    public void A_request_for_an_unknown_person_is_refused()
    {
        Assert.Throws<DomainRuleException>(() => RequestErasureDecider.Decide(false, false, Command(), Now));
    }

    [Fact]
    public void A_request_for_a_person_already_erased_is_refused()
    {
        Assert.Throws<DomainRuleException>(() => RequestErasureDecider.Decide(true, true, Command(), Now));
    }

    [Fact]
    public void Nobody_can_claim_the_retention_policy_as_their_ground()
    {
        var ex = Assert.Throws<RequestValidationException>(() =>
            RequestErasureDecider.Decide(true, false, Command(ErasureGround.RetentionPeriodEnded), Now));
        Assert.Contains("ground", ex.Errors.Keys);
    }
}
