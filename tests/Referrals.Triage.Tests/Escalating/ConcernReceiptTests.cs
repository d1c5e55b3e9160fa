using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.Testing;
using Referrals.Triage.Escalating;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Tests.Escalating;

/// <summary>
/// Triage's half of the confirmation loop for safeguarding concerns: every concern it receives - new, duplicate or re-sent,
/// for a referral it escalated already or never saw - is answered with <see cref="SafeguardingConcernReceived"/>, in the
/// transaction that applies it, and a copy never escalates twice. The clock is inside the weekday rota.
/// </summary>
public sealed class ConcernReceiptTests : IAsyncLifetime
{
    private readonly TestClock _clock = new(TestClock.DefaultStart);
    private TriageHost _triage = null!;

    public async Task InitializeAsync() => _triage = await TriageHost.StartAsync(_clock, "triage_receipt");

    public async Task DisposeAsync() => await _triage.DisposeAsync();

    private static SafeguardingConcernRaised Concern(string programmeId, ReferralSubmitted referral, DateTimeOffset at) =>
        new(Guid.CreateVersion7(), referral.JourneyId, referral.PersonId, referral.ReferralId, programmeId, Crisis: false, ["Financial abuse"],
            "Son is taking her pension.", "sos-1", at);

    private IReadOnlyList<SafeguardingConcernReceived> ReceiptsFor(Guid concernId) =>
        _triage.Probe.All<SafeguardingConcernReceived>().Where(r => r.ConcernId == concernId).ToList();

    private async Task<int> EventsOfTypeAsync<T>(Guid streamId)
    {
        await using var session = _triage.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(streamId)).Count(e => e.Data is T);
    }

    [Fact]
    public async Task Triage_confirms_a_new_safeguarding_concern_with_the_escalation_it_opened()
    {
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var referral = Fixtures.Referral(programme.ProgrammeId, "F11001", submittedAt: _clock.UtcNow);
        await _triage.PublishAndWaitAsync<ReferralAssigned>(referral, a => a.ReferralId == referral.ReferralId);

        var concern = Concern(programme.ProgrammeId, referral, _clock.UtcNow);
        var receipt = await _triage.PublishAndWaitAsync<SafeguardingConcernReceived>(concern, r => r.ConcernId == concern.ConcernId);

        Assert.Equal((concern.JourneyId, concern.ReferralId, concern.PersonId, (Guid?)concern.ConcernId, _clock.UtcNow),
            (receipt.JourneyId, receipt.ReferralId, receipt.PersonId, receipt.EscalationId, receipt.ReceivedAt));
        await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.EscalationId == concern.ConcernId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        Assert.Equal(1, await EventsOfTypeAsync<EscalationOpened>(concern.ConcernId));
    }

    [Fact]
    public async Task Triage_confirms_a_duplicate_safeguarding_concern_again_without_escalating_twice()
    {
        // A referral waiting behind a full team: the first copy escalates, pulls it out of the queue and allocates it.
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices(yearly: 1));
        foreach (var practice in new[] { "F11001", "F11002", "F11004" })
        {
            var routine = Fixtures.Referral(programme.ProgrammeId, practice, submittedAt: _clock.UtcNow);
            await _triage.PublishAndWaitAsync<ReferralAssigned>(routine, a => a.ReferralId == routine.ReferralId);
        }

        var waiting = Fixtures.Referral(programme.ProgrammeId, "F11002", submittedAt: _clock.UtcNow);
        await _triage.PublishAndWaitAsync<ReferralQueued>(waiting, q => q.ReferralId == waiting.ReferralId);
        var concern = Concern(programme.ProgrammeId, waiting, _clock.UtcNow);
        await _triage.PublishAndWaitAsync<SafeguardingConcernReceived>(concern, r => r.ConcernId == concern.ConcernId);
        await _triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == waiting.ReferralId);

        // Support-plan re-sends it (a new message, as after a check found no confirmation): confirmed again, applied once.
        _clock.Advance(TimeSpan.FromMinutes(5));
        await _triage.PublishAsync(concern);
        await TriageHost.EventuallyAsync(() => Task.FromResult(ReceiptsFor(concern.ConcernId).Count == 2), because: "the copy was not confirmed");
        await Task.Delay(TimeSpan.FromSeconds(1)); // anything else the copy would have caused is in the same transaction

        Assert.Equal(_clock.UtcNow, ReceiptsFor(concern.ConcernId)[1].ReceivedAt);
        Assert.Single(_triage.Probe.All<ReferralEscalated>(), e => e.EscalationId == concern.ConcernId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        Assert.Single(_triage.Probe.All<ReferralAssigned>(), a => a.ReferralId == waiting.ReferralId);
        Assert.Equal(1, await EventsOfTypeAsync<EscalationOpened>(concern.ConcernId));
        Assert.Equal(1, await EventsOfTypeAsync<ReferralEscalationRaised>(waiting.ReferralId));
    }

    [Fact]
    public async Task Triage_confirms_a_concern_for_a_referral_it_already_escalated()
    {
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var risky = Fixtures.Referral(programme.ProgrammeId, "F11003", riskNotes: "Told the GP she has been saving up her tablets.",
            submittedAt: _clock.UtcNow);
        await _triage.PublishAndWaitAsync<ReferralEscalated>(risky, e => e.ReferralId == risky.ReferralId && e.Step == 1);

        var concern = Concern(programme.ProgrammeId, risky, _clock.UtcNow);
        var receipt = await _triage.PublishAndWaitAsync<SafeguardingConcernReceived>(concern, r => r.ConcernId == concern.ConcernId);

        Assert.Equal(concern.ConcernId, receipt.EscalationId);
        Assert.Equal(0, await EventsOfTypeAsync<ReferralEscalationRaised>(risky.ReferralId));
    }

    [Fact]
    public async Task Triage_confirms_a_concern_for_a_referral_it_has_never_seen()
    {
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var unseen = Fixtures.Referral(programme.ProgrammeId, "F11001", submittedAt: _clock.UtcNow);

        var concern = Concern(programme.ProgrammeId, unseen, _clock.UtcNow);
        var receipt = await _triage.PublishAndWaitAsync<SafeguardingConcernReceived>(concern, r => r.ConcernId == concern.ConcernId);

        Assert.Equal((unseen.ReferralId, (Guid?)concern.ConcernId), (receipt.ReferralId, receipt.EscalationId));
        Assert.Equal(1, await EventsOfTypeAsync<EscalationOpened>(concern.ConcernId));
    }
}
