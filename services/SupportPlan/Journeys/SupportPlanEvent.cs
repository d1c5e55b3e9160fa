using Referrals.EventStore;

namespace Referrals.SupportPlan.Journeys;

/// <summary>Marks the domain events support-plan stores, so the store registers them up front.</summary>
public interface ISupportPlanEvent;

/// <summary>An event in a journey's stream (the stream id is <see cref="JourneyId"/>).</summary>
public interface IJourneyEvent : ISupportPlanEvent
{
    Guid JourneyId { get; }
}

/// <summary>Folds events in memory by the same Create/Apply conventions the store uses, so a handler can see the state its decision produces.</summary>
internal static class Fold
{
    public static T? Apply<T>(T? state, IEnumerable<object> events) where T : class
    {
        foreach (var e in events)
        {
            state = Aggregator<T>.Self.Apply(state, new LocalEvent(e));
        }

        return state;
    }

    private sealed record LocalEvent(object Data) : IEvent
    {
        public Guid Id => Guid.Empty;
        public Guid StreamId => Guid.Empty;
        public long Version => 0;
        public long Sequence => 0;
        public DateTimeOffset Timestamp => DateTimeOffset.MinValue;
        public string TenantId => EventStoreOptions.DefaultTenantId;
        public string EventTypeName => EventTypeRegistry.ToAlias(Data.GetType());
        public string? DotNetTypeName => null;
        public string? CorrelationId => null;
        public string? CausationId => null;
        public IReadOnlyDictionary<string, string>? Headers => null;
        public Type EventType => Data.GetType();
    }
}
