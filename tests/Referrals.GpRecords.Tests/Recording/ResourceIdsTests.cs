using Referrals.GpRecords.Recording;

namespace Referrals.GpRecords.Tests.Recording;

public sealed class ResourceIdsTests
{
    [Fact]
    public void A_journey_s_delivery_queue_id_is_the_same_on_every_run_and_every_version_of_the_code()
    {
        // Stored streams and the practice's conditional updates rely on these ids never changing.
        Assert.Equal(Guid.Parse("4d5cf4b4-a162-823b-b8ea-2dbde8e25e7d"),
            ResourceIds.DeliveryQueue(Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")));
    }
}
