using Referrals.Contracts.Triage;
using Referrals.EventStore;

namespace Referrals.Triage.Escalating;

/// <summary>
/// Defence in depth for the worst failure, a missed escalation. The deadline timer normally moves an escalation on; if
/// its message was lost (for example parked in the error queue after repeated failures), this watchdog notices an open
/// escalation whose next step is overdue and schedules the deadline again, every <see cref="RetryEvery"/> until it moves.
/// The deadline consumer ignores a step already passed, so a late duplicate does nothing.
/// </summary>
public sealed class EscalationWatchdog(IDocumentStore store, EventStoreReadiness readiness, IConfiguration configuration,
    ILogger<EscalationWatchdog> logger) : BackgroundService
{
    /// <summary>How late a step may be before the watchdog steps in (the timer poller normally fires within a second).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan RetryEvery = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(configuration.GetValue("Escalation:WatchdogIntervalSeconds", 60));
        await readiness.Migrated.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken);
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError("Escalation watchdog check failed ({Error}); retrying", ex.GetType().Name);
                await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Re-schedules the deadline of every open escalation whose next step (or repeat round) is overdue. Returns how many.
    /// A last step kept no due time before repeat rounds existed, so its acknowledgement deadline stands in.
    /// </summary>
    public async Task<int> CheckAsync(CancellationToken ct)
    {
        var now = store.Options.Time.GetUtcNow();
        await using var session = store.LightweightSession();
        var overdue = await session.QueryAsync<Escalation>(
            "data->>'acknowledgedAt' is null and coalesce(data->>'nextStepDueAt', data->>'acknowledgeBy') is not null and (coalesce(data->>'nextStepDueAt', data->>'acknowledgeBy'))::timestamptz < ?",
            [now - Grace], ct);
        foreach (var escalation in overdue)
        {
            var due = escalation.MovesOnAt!.Value;
            var attempt = (long)((now - due) / RetryEvery);
            logger.LogWarning("Escalation {EscalationId} is overdue at step {Step}; scheduling its deadline again", escalation.Id, escalation.CurrentStep);
            session.Timers.Schedule($"{Escalation.TimerKey(escalation.Id, escalation.CurrentStep)}:watchdog:{attempt}", now,
                new EscalationDeadlineDue(escalation.Id, escalation.ReferralId, escalation.CurrentStep, due), escalation.Id);
        }

        await session.SaveChangesAsync(ct);
        return overdue.Count;
    }
}
