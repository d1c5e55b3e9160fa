using Referrals.EventStore;

namespace Referrals.Triage.Common;

/// <summary>
/// A command sent without If-Match asks about the thing, not a version of it: a concurrent change by a consumer (e.g.
/// support-plan registering the journey, which does not take the programme lock) is retried on fresh state instead of being
/// reported as a conflict. With If-Match, a conflict stands.
/// </summary>
public static class RetryWithoutIfMatch
{
    private const int Attempts = 5;

    public static async Task<T> RunAsync<T>(long? expectedVersion, Func<Task<T>> attempt)
    {
        for (var tried = 1; ; tried++)
        {
            try
            {
                return await attempt();
            }
            catch (ConcurrencyException) when (expectedVersion is null && tried < Attempts)
            {
            }
        }
    }
}
