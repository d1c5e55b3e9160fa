namespace Referrals.EventStore.Benchmarks;

public sealed record CounterStarted(Guid CounterId);

public sealed record CounterIncremented(Guid CounterId, int By);

public sealed record Counter(Guid Id, long Total, long Version)
{
    public static Counter Create(CounterStarted e) => new(e.CounterId, 0, 0);

    public Counter Apply(CounterIncremented e) => this with { Total = Total + e.By };
}
