using System.Text.Json.Serialization;
using Referrals.EventStore;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Safeguarding;

/// <summary>
/// Whether triage confirmed it received one safeguarding concern, and the checks that found it unconfirmed: the aggregate of a
/// stream of its own (id = the concern's id) and its inline document. Kept off the journey's stream, like GP-records' filing
/// reports, so triage's confirmation or a check never changes the journey's version (its ETag) under a worker's feet.
/// </summary>
public sealed record ConcernConfirmation
{
    /// <summary>The concern's id (the stream's id).</summary>
    public Guid Id { get; init; }

    public long Version { get; set; }

    public Guid JourneyId { get; init; }

    /// <summary>When triage received the concern, by its confirmation; null until then.</summary>
    public DateTimeOffset? ConfirmedAt { get; init; }

    public Guid? EscalationId { get; init; }

    /// <summary>Checks that found the concern unconfirmed (each one flagged it and sent it again).</summary>
    public int UnconfirmedChecks { get; init; }

    public DateTimeOffset? LastUnconfirmedAt { get; init; }

    /// <summary>Flagged as not confirmed by triage, and still not confirmed: the team must see it.</summary>
    [JsonIgnore]
    public bool Unconfirmed => ConfirmedAt is null && UnconfirmedChecks > 0;

    public static ConcernConfirmation Create(SafeguardingConcernConfirmed e) => new ConcernConfirmation { Id = e.ConcernId, JourneyId = e.JourneyId }.Apply(e);

    public static ConcernConfirmation Create(SafeguardingConcernUnconfirmed e) => new ConcernConfirmation { Id = e.ConcernId, JourneyId = e.JourneyId }.Apply(e);

    public ConcernConfirmation Apply(SafeguardingConcernConfirmed e) =>
        ConfirmedAt is null ? this with { ConfirmedAt = e.ReceivedAt, EscalationId = e.EscalationId } : this;

    public ConcernConfirmation Apply(SafeguardingConcernUnconfirmed e) =>
        this with { UnconfirmedChecks = Math.Max(UnconfirmedChecks, e.Round), LastUnconfirmedAt = e.FlaggedAt };

    /// <summary>The confirmation state of the journeys' concerns, by concern id (a concern with none yet is absent).</summary>
    public static async Task<IReadOnlyDictionary<Guid, ConcernConfirmation>> OfAsync(IQuerySession session, IEnumerable<Journey> journeys, CancellationToken ct)
    {
        var ids = journeys.SelectMany(j => j.Concerns).Select(c => (object)c.ConcernId).ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, ConcernConfirmation>();
        }

        var found = await session.LoadManyAsync<ConcernConfirmation>(ids, ct);
        return found.ToDictionary(c => c.Id);
    }
}
