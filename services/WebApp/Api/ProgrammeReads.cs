namespace Referrals.WebApp.Api;

/// <summary>What one read of one programme gave: the value, or null when it could not be made, and then why (<see cref="Failure"/>).</summary>
public sealed record ProgrammeRead<T>(string Programme, T? Value, ReadFailure? Failure = null)
    where T : class;

/// <summary>
/// Why a read gave nothing, as far as a page words it: a refusal or a programme the service does not know is not the service
/// failing to answer, and "did not answer" would send the team lead to reload a page that will never read it (HAZ-002).
/// </summary>
public enum ReadFailure
{
    /// <summary>No answer in time, a lost connection, a 5xx or any other status, an answer that is not the expected JSON.</summary>
    NoAnswer,

    /// <summary>403.</summary>
    Refused,

    /// <summary>404.</summary>
    NotFound,
}

/// <summary>The one wording of a failed read of triage's programme queue, for every page that says it could not read one.</summary>
public static class ReadFailures
{
    public static ReadFailure Of(Exception error) => error switch
    {
        ApiException { Problem.Status: StatusCodes.Status403Forbidden } => ReadFailure.Refused,
        ApiException { Problem.Status: StatusCodes.Status404NotFound } => ReadFailure.NotFound,
        _ => ReadFailure.NoAnswer,
    };

    /// <summary>Why triage gave no queue, to follow "Could not …: ".</summary>
    public static string TriageSays(this ReadFailure? failure) => failure switch
    {
        ReadFailure.Refused => "triage refused: your account may not be set up for this programme",
        ReadFailure.NotFound => "triage does not know this programme",
        _ => "triage did not answer",
    };
}

/// <summary>
/// A read made for each of the team lead's programmes at once, each within a time limit. A programme whose read fails (a refusal,
/// a lost connection, an answer that is not the expected JSON, no answer in time) comes back without a value, so the page says
/// which programme it could not check rather than failing or reading as "nothing waiting". Logged by type only. <see
/// cref="TryAsync{T}"/> bounds one read the same way (the team pages' support-plan checks, the worklist's open home visits).
/// </summary>
public static class ProgrammeReads
{
    public static Task<ProgrammeRead<T>[]> EachAsync<T>(IEnumerable<string> programmes, Func<string, CancellationToken, Task<T>> read,
        TimeSpan timeout, ILogger logger, string what, CancellationToken aborted)
        where T : class =>
        Task.WhenAll(programmes.Select(programme => ReadAsync(programme, ct => read(programme, ct), timeout, logger, $"{what} of programme {programme}", aborted)));

    /// <summary>The read's value, or null when it failed or took longer than <paramref name="timeout"/>; the request's own abort still throws.</summary>
    public static async Task<T?> TryAsync<T>(Func<CancellationToken, Task<T>> read, TimeSpan timeout, ILogger logger, string what,
        CancellationToken aborted)
        where T : class =>
        (await ReadAsync(string.Empty, read, timeout, logger, what, aborted)).Value;

    /// <summary>As <see cref="TryAsync{T}"/>, saying why a read of <paramref name="programme"/> gave nothing.</summary>
    public static async Task<ProgrammeRead<T>> ReadAsync<T>(string programme, Func<CancellationToken, Task<T>> read, TimeSpan timeout, ILogger logger,
        string what, CancellationToken aborted)
        where T : class
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        limit.CancelAfter(timeout);
        try
        {
            return new ProgrammeRead<T>(programme, await read(limit.Token));
        }
        catch (ApiException e)
        {
            logger.LogWarning("Could not check {What}: the service answered {Status}", what, e.Problem.Status);
            return new ProgrammeRead<T>(programme, null, ReadFailures.Of(e));
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            logger.LogWarning("Could not check {What}: {Error}", what, e.GetType().Name);
            return new ProgrammeRead<T>(programme, null, ReadFailures.Of(e));
        }
    }
}
