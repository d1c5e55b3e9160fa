using Referrals.EventStore;
using Referrals.Triage.Assigning;
using Referrals.Triage.Triaging;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Referrals;

/// <summary>
/// The referral streams one session touches: each fetched for writing once (so its version is checked at commit), events
/// appended and folded in memory so later steps of the same unit of work see the new state. Caseload events are kept so
/// allocation can count them before the inline projection runs at commit.
/// </summary>
public sealed class ReferralChanges(IDocumentSession session)
{
    private readonly Dictionary<Guid, Referral> _states = [];
    private readonly List<object> _caseloadEvents = [];

    public IReadOnlyList<object> CaseloadEvents => _caseloadEvents;

    public Referral Start(ReferralReceived received, params object[] events)
    {
        session.Events.StartStream<Referral>(received.ReferralId, [received, .. events]);
        var state = events.Aggregate(Referral.Create(received), (current, e) => current.Evolve(e));
        state.Version = 1 + events.Length;
        _states[received.ReferralId] = state;
        return state;
    }

    /// <summary>The referral's current state, fetched for writing (and checked against <paramref name="expectedVersion"/>).</summary>
    public async Task<Referral?> GetAsync(Guid referralId, long? expectedVersion, CancellationToken ct)
    {
        if (_states.TryGetValue(referralId, out var known))
        {
            return known;
        }

        var stream = expectedVersion is { } version
            ? await session.Events.FetchForWriting<Referral>(referralId, version, ct)
            : await session.Events.FetchForWriting<Referral>(referralId, ct);
        if (stream.Aggregate is not { } state)
        {
            return null;
        }

        state.Version = stream.StartingVersion;
        _states[referralId] = state;
        return state;
    }

    public Task<Referral?> GetAsync(Guid referralId, CancellationToken ct) => GetAsync(referralId, null, ct);

    public Referral Append(Guid referralId, params object[] events)
    {
        var state = _states.TryGetValue(referralId, out var known)
            ? known
            : throw new InvalidOperationException("Fetch the referral before appending to it.");
        session.Events.Append(referralId, events);
        var version = state.Version;
        foreach (var e in events)
        {
            state = state.Evolve(e);
            state.Version = ++version;
            if (e is WorkerAssigned or AssignmentEnded or AssignmentAcceptedByWorker)
            {
                _caseloadEvents.Add(e);
            }
        }

        _states[referralId] = state;
        return state;
    }

    public bool IsTouched(Guid referralId) => _states.ContainsKey(referralId);

    /// <summary>True when this unit of work changed no referral other than the given ones.</summary>
    public bool TouchedOnly(IEnumerable<Guid> referralIds) => _states.Keys.All(referralIds.Contains);
}
