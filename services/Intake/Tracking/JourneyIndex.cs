using Referrals.EventStore;
using Referrals.Intake.Releasing;
using Referrals.Intake.Submitting;

namespace Referrals.Intake.Tracking;

/// <summary>
/// Which referrals belong to a journey, so that journey-level events from support-plan (agreed, declined, closed: they
/// name only the journey) reach the referral(s) and their referrers. A read model, kept inline with the referral streams.
/// </summary>
public sealed class JourneyIndex
{
    public Guid Id { get; set; }

    public List<Guid> ReferralIds { get; set; } = [];
}

/// <summary>
/// Maintains <see cref="JourneyIndex"/> from <see cref="ReferralReceived"/>, <see cref="ReferralJourneyIdentified"/> and
/// <see cref="LinkedReferralReleased"/> (a linked referral moves from the journey that ended untaken to its new one).
/// </summary>
public sealed class JourneyIndexProjection : IProjection
{
    public string Name => nameof(JourneyIndex);

    public IReadOnlyCollection<Type> DocumentTypes => [typeof(JourneyIndex)];

    public bool Handles(Type eventType) =>
        eventType == typeof(ReferralReceived) || eventType == typeof(ReferralJourneyIdentified) || eventType == typeof(LinkedReferralReleased);

    public async Task ApplyAsync(IProjectionContext context, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var moves = new List<(Guid? From, Guid To, Guid ReferralId)>();
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case ReferralReceived received:
                    moves.Add((null, received.JourneyId, received.ReferralId));
                    break;
                case ReferralJourneyIdentified identified:
                    moves.Add((identified.ProposedJourneyId, identified.JourneyId, identified.ReferralId));
                    break;
                case LinkedReferralReleased released:
                    moves.Add((released.EndedJourneyId, released.JourneyId, released.ReferralId));
                    break;
            }
        }

        if (moves.Count == 0)
        {
            return;
        }

        var ids = moves.SelectMany(m => m.From is { } from ? new[] { from, m.To } : [m.To]).Distinct()
            .Select(id => DocumentMapping.FormatId(id)).ToList();
        var existing = await context.LoadManyForUpdateAsync<JourneyIndex>(ids, ct);
        var touched = new Dictionary<Guid, JourneyIndex>();
        JourneyIndex For(Guid journeyId)
        {
            if (!touched.TryGetValue(journeyId, out var doc))
            {
                doc = existing.GetValueOrDefault(DocumentMapping.FormatId(journeyId)) ?? new JourneyIndex { Id = journeyId };
                touched[journeyId] = doc;
            }

            return doc;
        }

        foreach (var (from, to, referralId) in moves)
        {
            if (from is { } previous)
            {
                For(previous).ReferralIds.Remove(referralId);
            }

            var target = For(to);
            if (!target.ReferralIds.Contains(referralId))
            {
                target.ReferralIds.Add(referralId);
            }
        }

        foreach (var doc in touched.Values)
        {
            context.Store(doc);
        }
    }
}
