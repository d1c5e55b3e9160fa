using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.GpRecords;

/// <summary>
/// GP-records reported that a delivery was filed to the person's GP record. Kept in a stream of its own (id = delivery id),
/// not the journey's, so a GP acknowledgement never changes the journey's version under a worker's feet.
/// </summary>
public sealed record GpRecordFilingRecorded(Guid DeliveryId, Guid JourneyId, Guid PersonId, string PracticeOds, DateTimeOffset FiledAt)
    : ISupportPlanEvent;
