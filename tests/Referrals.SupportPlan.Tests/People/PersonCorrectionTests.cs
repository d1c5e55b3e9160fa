using Referrals.SupportPlan.People;

namespace Referrals.SupportPlan.Tests.People;

public sealed class PersonCorrectionTests
{
    [Fact]
    public void A_person_s_correction_stream_id_is_the_same_on_every_run_and_every_version_of_the_code()
    {
        // The kept correction is found by this id: changing how it is derived would lose it.
        Assert.Equal(Guid.Parse("68f1820e-9c78-8f99-bb54-fd7190541994"),
            PersonCorrection.StreamIdFor(Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")));
    }
}
