using Referrals.Intake.Erasure;
using Referrals.Intake.ExecutingErasure;
using Referrals.Intake.ReviewingErasure;
using static Referrals.Intake.Tests.DataProtectionData;

namespace Referrals.Intake.Tests.ExecutingErasure;

public sealed class ExecuteErasureDeciderTests
{
    private static ErasureRequest Approved()
    {
        var request = Requested();
        return request.Apply(new ErasureApproved(request.Id, request.PersonId, "dpo-1", "Ok", Now));
    }

    [Fact]
    public void An_approved_request_is_executed()
    {
        var request = Approved();

        var executed = Assert.IsType<ErasureExecuted>(Assert.Single(ExecuteErasureDecider.Decide(request, Now)));

        Assert.Equal(new ErasureExecuted(request.Id, request.PersonId, Now), executed);
    }

    [Fact]
    public void An_executed_request_replayed_decides_nothing()
    {
        var request = Approved();
        var executed = request.Then(ExecuteErasureDecider.Decide(request, Now)[0]);

        Assert.Equal(ErasureState.Executed, executed.State);
        Assert.Empty(ExecuteErasureDecider.Decide(executed, Now.AddMinutes(1)));
    }

    [Fact]
    public void A_request_not_yet_reviewed_or_refused_is_never_executed()
    {
        var requested = Requested();
        var refused = requested.Apply(new ErasureRefused(requested.Id, requested.PersonId, "dpo-1", "Kept by law", ErasureRefusalGround.LegalObligation, Now));

        Assert.Empty(ExecuteErasureDecider.Decide(requested, Now));
        Assert.Empty(ExecuteErasureDecider.Decide(refused, Now));
        Assert.Empty(ExecuteErasureDecider.Decide(null, Now));
    }
}
