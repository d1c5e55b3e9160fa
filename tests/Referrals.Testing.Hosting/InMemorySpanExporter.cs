using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Referrals.Testing.Hosting;

/// <summary>Collects finished spans in memory (OpenTelemetry.Exporter.InMemory does not restore here).</summary>
public sealed class InMemorySpanExporter : BaseExporter<Activity>
{
    private readonly ConcurrentQueue<Activity> _spans = new();

    public IReadOnlyList<Activity> Spans => _spans.ToArray();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            _spans.Enqueue(activity);
        }

        return ExportResult.Success;
    }
}
