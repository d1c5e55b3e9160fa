using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Referrals.EventStore;

/// <summary>Configuration of one store: one PostgreSQL schema holding streams, events, documents, outbox, inbox and timers.</summary>
public sealed partial class EventStoreOptions
{
    public const string DefaultTenantId = "*DEFAULT*";

    private string _schema = "public";

    /// <summary>The schema holding every table of this store (Marten's <c>DatabaseSchemaName</c>).</summary>
    public string Schema
    {
        get => _schema;
        set => _schema = IdentifierPattern().IsMatch(value)
            ? value
            : throw new ArgumentException($"'{value}' is not a safe PostgreSQL identifier.", nameof(value));
    }

    public string? ConnectionString { get; set; }

    public EventTypeRegistry Events { get; } = new();

    public ProjectionRegistry Projections { get; } = new();

    public DocumentRegistry Documents { get; } = new();

    public PersonalDataOptions PersonalData { get; } = new();

    public JsonSerializerOptions Serializer { get; set; } = CreateSerializerOptions();

    /// <summary>Used for timer due times and outbox/inbox bookkeeping; tests inject a hand-written clock.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public OutboxOptions Outbox { get; } = new();

    public DaemonOptions Daemon { get; } = new();

    public TimerOptions Timers { get; } = new();

    public static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    internal static partial Regex IdentifierPattern();
}

public sealed class OutboxOptions
{
    /// <summary>How often the relay looks for work when it is not woken by a local commit.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Streams a relay claims per round; each stream is delivered in order, streams in parallel.</summary>
    public int StreamsPerRound { get; set; } = 32;

    public int MessagesPerStream { get; set; } = 100;

    /// <summary>Back-off after a message's first failed publish, before its stream is tried again; it doubles with each
    /// further failure of the message, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off: a message that keeps failing is tried this often, never dropped.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Inbox rows older than this are removed; redeliveries come within minutes, so days is generous.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);
}

public sealed class DaemonOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
    public int BatchSize { get; set; } = 1000;

    /// <summary>Advisory-lock id for leader election; each store schema derives its own from this.</summary>
    public long LockSeed { get; set; } = 4_242_000;
}

public sealed class TimerOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    public int BatchSize { get; set; } = 100;

    /// <summary>Fired and cancelled timers are kept this long so that a replayed Schedule with the same key stays a no-op.</summary>
    public TimeSpan TombstoneRetention { get; set; } = TimeSpan.FromDays(30);
}
