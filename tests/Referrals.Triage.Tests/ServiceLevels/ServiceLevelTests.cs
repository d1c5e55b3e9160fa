using System.Net.Http.Json;
using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.Testing;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Tests.ServiceLevels;

/// <summary>First contact within N working days, on durable timers and a test clock (starting Monday 09:00).</summary>
public sealed class ServiceLevelTests : IAsyncLifetime
{
    private readonly TestClock _clock = new(TestClock.DefaultStart);
    private TriageHost _triage = null!;

    public async Task InitializeAsync() => _triage = await TriageHost.StartAsync(_clock, "triage_sla");

    public async Task DisposeAsync() => await _triage.DisposeAsync();

    private async Task<(string Programme, Contracts.Intake.ReferralSubmitted Referral)> AssignedAsync()
    {
        var definition = Fixtures.ThreeWorkersFourPractices() with { ServiceLevels = new ServiceLevelTargets(2, 1, 1) };
        var programme = await _triage.DefineAsync(definition);
        var submitted = Fixtures.Referral(programme.ProgrammeId, "F11001", submittedAt: _clock.UtcNow);
        await _triage.PublishAndWaitAsync<ReferralAssigned>(submitted, a => a.ReferralId == submitted.ReferralId);
        await _triage.PublishAsync(new JourneyRegistered(submitted.JourneyId, submitted.PersonId, submitted.ReferralId, programme.ProgrammeId,
            "F11001", submitted.Referrer, submitted.Needs, Tier.LinkWorker, Priority.Routine, true, false, ConsentScope.Full, _clock.UtcNow));
        return (programme.ProgrammeId, submitted);
    }

    private ContactRecorded Contact(Contracts.Intake.ReferralSubmitted s, ContactOutcome outcome) =>
        new(s.JourneyId, s.PersonId, Guid.NewGuid(), ContactKind.Phone, outcome, 20, "sos-1", _clock.UtcNow);

    [Fact]
    public async Task No_first_contact_within_the_working_days_raises_a_breach_at_the_deadline_not_before()
    {
        var (programme, submitted) = await AssignedAsync();

        // Monday 09:00 + 2 working days = Wednesday 09:00. An hour before, nothing.
        _clock.Advance(TimeSpan.FromHours(47));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(_triage.Probe.All<ServiceLevelBreached>(), b => b.ReferralId == submitted.ReferralId);

        _clock.Advance(TimeSpan.FromHours(1));
        var breach = await _triage.Probe.WaitForAsync<ServiceLevelBreached>(b => b.ReferralId == submitted.ReferralId);
        Assert.Equal("first-contact", breach.ServiceLevel);
        Assert.Equal(new DateTimeOffset(2026, 1, 7, 9, 0, 0, TimeSpan.Zero), breach.DueAt);

        using var lead = _triage.TeamLead(programme);
        var queue = (await lead.GetFromJsonAsync<ProgrammeQueueResponse>($"/programmes/{programme}/queue", TriageHost.Json))!;
        Assert.Contains(queue.ServiceLevelBreaches, b => b.ReferralId == submitted.ReferralId);
    }

    [Fact]
    public async Task A_first_contact_in_time_cancels_the_service_level_timer()
    {
        var (_, submitted) = await AssignedAsync();
        _clock.Advance(TimeSpan.FromHours(20));
        await _triage.PublishAsync(Contact(submitted, ContactOutcome.Attended));
        await TriageHost.EventuallyAsync(async () =>
        {
            await using var session = _triage.Store.QuerySession();
            return (await session.LoadAsync<Referrals.Referral>(submitted.ReferralId))?.FirstContactAt is not null;
        });

        _clock.Advance(TimeSpan.FromDays(7));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(_triage.Probe.All<ServiceLevelBreached>(), b => b.ReferralId == submitted.ReferralId);
    }

    [Fact]
    public async Task An_attempt_that_did_not_reach_the_person_does_not_stop_the_clock()
    {
        var (_, submitted) = await AssignedAsync();
        _clock.Advance(TimeSpan.FromHours(3));
        await _triage.PublishAsync(Contact(submitted, ContactOutcome.UnableToContact));
        _clock.Advance(TimeSpan.FromDays(2));
        await _triage.Probe.WaitForAsync<ServiceLevelBreached>(b => b.ReferralId == submitted.ReferralId);
    }
}
