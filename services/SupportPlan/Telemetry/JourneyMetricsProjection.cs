using Referrals.EventStore;
using Referrals.ServiceDefaults.Telemetry;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Registering;

namespace Referrals.SupportPlan.Telemetry;

/// <summary>When the journey's current referral was submitted, and whether the person has been contacted since.</summary>
public sealed class JourneyMilestones
{
    public Guid Id { get; set; }

    public string ProgrammeId { get; set; } = string.Empty;

    public DateTimeOffset? SubmittedAt { get; set; }

    public DateTimeOffset? FirstContactAt { get; set; }
}

/// <summary>
/// Records the journey metric that is support-plan's: time from submission to the first contact with the person
/// (<see cref="ReferralsTelemetry.TimeToFirstContact"/>, tagged by programme). An async projection, so the measurement is taken
/// from committed events only, once, by the daemon's leader (a rebuild records history again).
/// </summary>
public sealed class JourneyMetricsProjection : IProjection
{
    public string Name => "JourneyMetrics";

    public IReadOnlyCollection<Type> DocumentTypes => [typeof(JourneyMilestones)];

    public bool Handles(Type eventType) => eventType == typeof(JourneyRegistered) || eventType == typeof(ContactRecorded);

    public async Task ApplyAsync(IProjectionContext context, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var relevant = events.Where(e => Handles(e.EventType)).ToList();
        if (relevant.Count == 0)
        {
            return;
        }

        var existing = await context.LoadManyForUpdateAsync<JourneyMilestones>(relevant.Select(e => e.StreamId.ToString()).Distinct().ToList(), ct);
        foreach (var journey in relevant.GroupBy(e => e.StreamId))
        {
            var milestones = existing.GetValueOrDefault(journey.Key.ToString()) ?? new JourneyMilestones { Id = journey.Key };
            foreach (var e in journey)
            {
                switch (e.Data)
                {
                    case JourneyRegistered registered:
                        milestones.ProgrammeId = registered.ProgrammeId;
                        milestones.SubmittedAt = registered.Referral.SubmittedAt;
                        milestones.FirstContactAt = null;
                        break;
                    case ContactRecorded { Outcome: ContactOutcome.Attended } contact when contact.Kind != ContactKind.IndirectWork &&
                                                                                            milestones is { FirstContactAt: null, SubmittedAt: { } submitted }:
                        milestones.FirstContactAt = contact.OccurredAt;
                        ReferralsTelemetry.TimeToFirstContact.Record(Math.Max(0, (contact.OccurredAt - submitted).TotalSeconds),
                            new KeyValuePair<string, object?>("programme", milestones.ProgrammeId));
                        break;
                }
            }

            context.Store(milestones);
        }
    }
}
