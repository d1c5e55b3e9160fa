using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Referrals.EventStore.Telemetry;

/// <summary>The store's ActivitySource and Meter, both named <c>Referrals.EventStore</c>.</summary>
public static class EventStoreTelemetry
{
    public const string Name = "Referrals.EventStore";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Appends = Meter.CreateCounter<long>("event_store.appends", "{event}", "Events appended");
    public static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("event_store.conflicts", "{conflict}", "Optimistic concurrency conflicts");
    public static readonly Counter<long> OutboxDelivered = Meter.CreateCounter<long>("event_store.outbox.delivered", "{message}", "Outbox messages delivered");
    public static readonly Counter<long> OutboxFailures = Meter.CreateCounter<long>("event_store.outbox.failures", "{message}", "Outbox delivery failures");
    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>("event_store.outbox.lag", "s", "Time from commit to delivery");
    public static readonly Histogram<long> ProjectionLag = Meter.CreateHistogram<long>("event_store.projection.lag", "{event}", "High-water mark minus projection progress");
    public static readonly Counter<long> TimersDue = Meter.CreateCounter<long>("event_store.timers.due", "{timer}", "Timers moved to the outbox");
    public static readonly Counter<long> GapsSkipped = Meter.CreateCounter<long>("event_store.daemon.skipped", "{sequence}", "Dead sequence gaps skipped");
    public static readonly Counter<long> Erasures = Meter.CreateCounter<long>("event_store.erasures", "{person}", "People erased");

    /// <summary>Starts an activity continuing the trace stored with an event or message (its W3C traceparent).</summary>
    public static Activity? StartFromStored(string name, ActivityKind kind, IReadOnlyDictionary<string, string>? headers)
    {
        if (headers is not null && headers.TryGetValue("traceparent", out var parent) &&
            ActivityContext.TryParse(parent, headers.GetValueOrDefault("tracestate"), out var context))
        {
            return Source.StartActivity(name, kind, context);
        }

        return Source.StartActivity(name, kind);
    }
}
