using Referrals.EventStore;
using Referrals.Triage.Common;

namespace Referrals.Triage.Programmes;

/// <summary>
/// Every change to a programme's capacity bookkeeping (assigning, queueing, declining, closing, reconfiguring) first
/// locks the programme's configuration stream row until the session commits. Allocations of one programme therefore run
/// one at a time and always see each other's committed caseloads: nobody can be assigned past capacity by a race. The
/// configuration read under the lock is the version the decision records.
/// </summary>
public static class ProgrammeLock
{
    /// <summary>Locks and returns the programme (with <see cref="Programme.Version"/> set), or null if it is not configured.</summary>
    public static async Task<Programme?> AcquireAsync(IDocumentSession session, string programmeId, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Programme>(StreamIds.Programme(programmeId), ct);
        if (stream.Aggregate is not { } programme)
        {
            return null;
        }

        programme.Version = stream.StartingVersion;
        return programme;
    }
}
