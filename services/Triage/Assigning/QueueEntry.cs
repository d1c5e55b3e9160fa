using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.Triage.Journeys;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Assigning;

/// <summary>
/// One referral waiting in a programme queue: a small inline projection of the referral stream, so allocation can match
/// the whole queue cheaply. It disappears when the referral is assigned, withdrawn or leaves the routine queue. It holds
/// nothing about the person (deliberately no PersonId), so reading the queue needs no key look-up.
/// </summary>
public sealed record QueueEntry(Guid Id, string ProgrammeId, QueueNeeds Needs, bool Escalated, DateTimeOffset QueuedAt)
{
    public long Version { get; set; }

    public static QueueEntry Create(PlacedInQueue e) => new(e.ReferralId, e.ProgrammeId, e.Needs, false, e.QueuedAt);

    public static QueueEntry Create(HeldForTeamLead e) => new(e.ReferralId, e.ProgrammeId, e.Needs, true, e.HeldAt);

    public QueueEntry Apply(PlacedInQueue e) => this with { Needs = e.Needs, Escalated = false };

    public QueueEntry Apply(HeldForTeamLead e) => this with { Needs = e.Needs, Escalated = true };

    public QueueEntry Apply(TriageDecisionOverridden e) => this with { Needs = Needs with { RequiredTier = e.RequiredTier, Priority = e.Priority } };

    public static bool ShouldDelete(WorkerAssigned e) => true;

    public static bool ShouldDelete(ReferralWithdrawalRecorded e) => !e.AfterFirstContact;

    public static bool ShouldDelete(TriageDecisionOverridden e) => e.Eligible == false;

    public static bool ShouldDelete(ReferralEscalationRaised e) => true;

    public static bool ShouldDelete(JourneyClosureRecorded e) => true;

    /// <summary>Rank of a priority in queue order: lower goes first.</summary>
    public static int OrderRankOf(Priority priority) => -(int)priority;

    /// <summary>
    /// The queue's fields as SQL over a stored entry, and its computed indexes over them. A query uses an index only when
    /// it repeats the index's expressions exactly, so both are written once, here.
    /// </summary>
    public static class Sql
    {
        public const string Programme = "data->>'programmeId'";

        public const string InProgramme = Programme + " = ?";

        public const string Escalated = "(data->>'escalated')::boolean";

        public static readonly string OrderRank = "(case data->'needs'->>'priority' " +
            string.Concat(Enum.GetValues<Priority>().Select(p => $"when '{p}' then {OrderRankOf(p)} ")) + "end)";

        public static readonly string WaitingSince = $"{StoreFunctions.ImmutableTimestamp}(data->'needs'->>'waitingSince')";

        /// <summary>
        /// What a worker must match in an entry's needs (practice, district, tier), bounded in size so that it fits an
        /// index entry. The workers who declined are left out: a shape without them suits at least the workers the full
        /// needs would, so the queue pass may run the full allocation when it need not, but never skips one it needs.
        /// </summary>
        public const string Shape = "((data->'needs') - 'waitingSince' - 'priority' - 'previousWorkerId' - 'excludedWorkers')";

        /// <summary>
        /// A programme's escalated entries, its routine entries in queue order, and its distinct shapes of needs, each
        /// found without reading the rest. Escalated is an index column (not a predicate) so that the planner has its
        /// statistics and knows how few entries are escalated.
        /// </summary>
        public static DocumentRegistry Indexes(DocumentRegistry documents) => documents
            .Index<QueueEntry>("order", [Programme, Escalated, OrderRank, WaitingSince])
            .Index<QueueEntry>("shapes", [Programme, Shape]);
    }

    /// <summary>Queue order: escalated first (they are never routine), then priority, then the longest wait.</summary>
    public static IOrderedEnumerable<T> InQueueOrder<T>(IEnumerable<T> entries, Func<T, bool> escalated, Func<T, Priority> priority,
        Func<T, DateTimeOffset> waitingSince, Func<T, Guid> id) =>
        entries.OrderByDescending(escalated).ThenByDescending(priority).ThenBy(waitingSince).ThenBy(id);
}
