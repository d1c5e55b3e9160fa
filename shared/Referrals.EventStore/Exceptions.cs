namespace Referrals.EventStore;

/// <summary>Base type for every error the store raises on purpose; raw PostgreSQL errors never escape.</summary>
public class EventStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// An append found the stream at a different version than the caller expected. Built from the append context,
/// never parsed out of a PostgreSQL message (whose detail may be redacted).
/// </summary>
public class ConcurrencyException(Guid streamId, long? expectedVersion, long? actualVersion, Exception? inner = null)
    : EventStoreException(
        $"Stream {streamId} was expected at version {expectedVersion?.ToString() ?? "(any)"} but is at {actualVersion?.ToString() ?? "an unknown version"}.",
        inner)
{
    public Guid StreamId { get; } = streamId;

    /// <summary>The version the stream was expected to have before the append.</summary>
    public long? ExpectedVersion { get; } = expectedVersion;

    public long? ActualVersion { get; } = actualVersion;
}

/// <summary>StartStream was asked to create a stream whose id is already taken.</summary>
public sealed class ExistingStreamIdCollisionException(Guid streamId, Exception? inner = null)
    : ConcurrencyException(streamId, 0, null, inner);

/// <summary>An append targeted an archived stream.</summary>
public sealed class StreamArchivedException(Guid streamId)
    : EventStoreException($"Stream {streamId} is archived and accepts no more events.")
{
    public Guid StreamId { get; } = streamId;
}

/// <summary>A document write lost a race with another writer of the same document.</summary>
public sealed class DocumentConcurrencyException(Type documentType, string id)
    : EventStoreException($"Document {documentType.Name}/{id} was changed by another writer.");

/// <summary>
/// An async projection's progress moved under a daemon's batch: another daemon runs it (a leader that lost its lock
/// unnoticed beside the new one). The batch was rolled back; this daemon stands down.
/// </summary>
public sealed class ProjectionProgressMovedException(string projection, long from)
    : EventStoreException($"The progress of projection '{projection}' moved past {from} under this daemon: another daemon runs it.");
