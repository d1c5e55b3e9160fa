using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Team;

/// <summary>What one read of one programme gave: the value, or null when it could not be made.</summary>
public sealed record ProgrammeRead<T>(string Programme, T? Value)
    where T : class;

/// <summary>
/// A read made for each of the team lead's programmes at once, each within a time limit. A programme whose read fails (a refusal,
/// a lost connection, an answer that is not the expected JSON, no answer in time) comes back without a value, so the page says
/// which programme it could not check rather than failing or reading as "nothing waiting". Logged by type only.
/// </summary>
public static class ProgrammeReads
{
    public static Task<ProgrammeRead<T>[]> EachAsync<T>(IEnumerable<string> programmes, Func<string, CancellationToken, Task<T>> read,
        TimeSpan timeout, ILogger logger, string what, CancellationToken aborted)
        where T : class =>
        Task.WhenAll(programmes.Select(async programme =>
            new ProgrammeRead<T>(programme, await TryAsync(ct => read(programme, ct), timeout, logger, $"{what} of programme {programme}", aborted))));

    /// <summary>The read's value, or null when it failed or took longer than <paramref name="timeout"/>; the request's own abort still throws.</summary>
    public static async Task<T?> TryAsync<T>(Func<CancellationToken, Task<T>> read, TimeSpan timeout, ILogger logger, string what,
        CancellationToken aborted)
        where T : class
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        limit.CancelAfter(timeout);
        try
        {
            return await read(limit.Token);
        }
        catch (ApiException e)
        {
            logger.LogWarning("Could not check {What}: the service answered {Status}", what, e.Problem.Status);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            logger.LogWarning("Could not check {What}: {Error}", what, e.GetType().Name);
            return null;
        }
    }
}
