using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Referrals.GpRecords.Tests.Support;

/// <summary>Sums what one of the platform's counters records for one programme while the probe is alive.</summary>
public sealed class CounterProbe : IDisposable
{
    private readonly ConcurrentBag<long> _values = [];
    private readonly MeterListener _listener;

    public CounterProbe(string instrument, string programme)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (published, listener) =>
            {
                if (published.Name == instrument)
                {
                    listener.EnableMeasurementEvents(published);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "programme", Value: string p } && p == programme)
                {
                    _values.Add(value);
                }
            }
        });
        _listener.Start();
    }

    public long Total => _values.Sum();

    public void Dispose() => _listener.Dispose();
}
