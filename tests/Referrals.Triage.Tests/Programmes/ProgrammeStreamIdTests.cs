using Referrals.Triage.Common;

namespace Referrals.Triage.Tests.Programmes;

public sealed class ProgrammeStreamIdTests
{
    [Fact]
    public void A_programme_s_stream_id_is_the_same_on_every_run_and_every_version_of_the_code()
    {
        // Stored streams are found by this id: changing how it is derived would lose every programme's configuration.
        Assert.Equal(Guid.Parse("5b0779d4-6451-8abf-9248-98be329adfb1"), StreamIds.Programme("north-leeds"));
    }
}
