using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Npgsql;
using Referrals.Contracts.Triage;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.AccessAudit;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;

namespace Referrals.SupportPlan.Tests.Safeguarding;

/// <summary>
/// The confirmation loop through the real store, its durable timers and the broker, on a test clock (triage has five minutes
/// to confirm, the default): support-plan plays its part, the test plays triage's by publishing (or not) its receipt.
/// </summary>
public sealed class ConcernConfirmationTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(5);
    private readonly Scenario _scenario = new(fixture);
    private readonly ConcurrentDictionary<string, long> _unconfirmedByProgramme = new();
    private readonly ConcurrentBag<long> _committedWhenCounted = [];
    private MeterListener? _listener;
    private (string Programme, Guid ConcernId)? _watched;

    private long CommittedUnconfirmedRounds(Guid concernId)
    {
        using var connection = new NpgsqlConnection(fixture.Infrastructure.PostgresConnectionString);
        connection.Open();
        using var query = new NpgsqlCommand(
            $"select count(*) from \"{fixture.Schema}\".mt_events where (coalesce(mt_dotnet_type, '') || ' ' || type) ilike '%concern%unconfirmed%' and data::text like $1", connection);
        query.Parameters.AddWithValue($"%{concernId}%");
        return (long)query.ExecuteScalar()!;
    }

    private async Task<(ReferralCase Case, Guid JourneyId, Guid ConcernId)> RaiseAsync(string? programme = null)
    {
        var c = ReferralCase.New(programme);
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var concern = await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns",
            new { crisis = true, indicators = new[] { "suicidal-ideation" }, details = "Said they had a plan" }).Expect<JourneyWritten>(HttpStatusCode.Created);
        await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == concern.Id);
        return (c, journey.JourneyId, concern.Id!.Value);
    }

    private async Task<Guid> RaiseAnotherAsync(ReferralCase c, Guid journeyId)
    {
        using var worker = _scenario.Worker(c);
        var concern = await worker.Post($"/journeys/{journeyId}/safeguarding-concerns",
            new { crisis = false, indicators = new[] { "self-neglect" } }).Expect<JourneyWritten>(HttpStatusCode.Created);
        await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == concern.Id);
        return concern.Id!.Value;
    }

    /// <summary>When the concern's check timer for <paramref name="round"/> was cancelled (null: not cancelled).</summary>
    private async Task<DateTimeOffset?> CancelledAtAsync(Guid concernId, int round)
    {
        await using var connection = await OpenAsync();
        await using var query = new NpgsqlCommand($"select cancelled_at from \"{fixture.Schema}\".mt_timers where key = $1", connection);
        query.Parameters.AddWithValue(JourneyEffects.ConcernCheckTimerKey(concernId, round));
        var value = await query.ExecuteScalarAsync();
        Assert.NotNull(value); // the timer exists
        return value is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : value is DateTimeOffset o ? o : null;
    }

    private IReadOnlyList<Integration.SafeguardingConcernRaised> CopiesOf(Guid concernId) =>
        fixture.Probe.All<Integration.SafeguardingConcernRaised>().Where(e => e.ConcernId == concernId).ToList();

    private async Task WaitForCopiesAsync(Guid concernId, int copies)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (CopiesOf(concernId).Count < copies)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{CopiesOf(concernId).Count} copies of the concern sent, expected {copies}.");
            await Task.Delay(50);
        }
    }

    private Task ConfirmAsync(ReferralCase c, Guid journeyId, Guid concernId) =>
        fixture.Bus.PublishAsync(new SafeguardingConcernReceived(concernId, journeyId, c.ReferralId, c.PersonId, concernId, fixture.Clock.UtcNow));

    private void ListenToTheUnconfirmedCounter()
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "referrals.safeguarding_concerns_unconfirmed")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "programme", Value: string programme })
                {
                    _unconfirmedByProgramme.AddOrUpdate(programme, value, (_, total) => total + value);
                    if (_watched is { } watched && watched.Programme == programme)
                    {
                        // What the store holds at the moment of counting: the flag must already be committed.
                        _committedWhenCounted.Add(CommittedUnconfirmedRounds(watched.ConcernId));
                    }
                }
            }
        });
        _listener.Start();
    }

    public void Dispose() => _listener?.Dispose();

    [Fact]
    public async Task A_concern_triage_never_confirms_is_flagged_to_the_team_after_the_delay_and_sent_again_each_round()
    {
        ListenToTheUnconfirmedCounter();
        var (c, journeyId, concernId) = await RaiseAsync();

        // Not yet due: nothing flagged, nothing sent again.
        fixture.Clock.Advance(Wait - TimeSpan.FromSeconds(1));
        await Task.Delay(1500);
        Assert.Single(CopiesOf(concernId));

        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForCopiesAsync(concernId, 2);
        var journey = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.SafeguardingConcerns.Single().UnconfirmedChecks == 1);
        var concern = journey.SafeguardingConcerns.Single();
        Assert.True(concern.Unconfirmed);
        Assert.Null(concern.ConfirmedByTriageAt);
        Assert.Equal(fixture.Clock.UtcNow, concern.LastUnconfirmedAt);

        // The copy is the concern as first sent, so triage escalates it if it never got it.
        var copies = CopiesOf(concernId);
        Assert.Equal((copies[0].ReferralId, copies[0].RaisedAt, copies[0].Details, copies[0].Crisis),
            (copies[1].ReferralId, copies[1].RaisedAt, copies[1].Details, copies[1].Crisis));
        Assert.Equal(c.ReferralId, copies[1].ReferralId);

        // The team sees it: on the timeline and in the team lead's list.
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        var timeline = await lead.Get<TimelineView>($"/journeys/{journeyId}/timeline");
        Assert.Contains(timeline.Entries, e => e.Kind == "SafeguardingConcernUnconfirmed");
        var summary = (await lead.Get<JourneyPage>($"/journeys?safeguarding=true&programme={c.ProgrammeId}")).Journeys.Single();
        Assert.True(summary.UnconfirmedConcern);
        Assert.Equal(1, _unconfirmedByProgramme.GetValueOrDefault(c.ProgrammeId));

        // Still unconfirmed a round later: flagged and sent again, under the next round's timer, which waits twice as long.
        fixture.Clock.Advance(Wait);
        await Task.Delay(1500);
        Assert.Equal(2, CopiesOf(concernId).Count);
        fixture.Clock.Advance(Wait);
        await WaitForCopiesAsync(concernId, 3);
        await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.SafeguardingConcerns.Single().UnconfirmedChecks == 2);
        Assert.Equal(2, _unconfirmedByProgramme.GetValueOrDefault(c.ProgrammeId));
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(fixture.Infrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task A_concern_check_is_scheduled_with_no_source_stream_so_it_does_not_queue_behind_the_journeys_outbox()
    {
        var (_, journeyId, concernId) = await RaiseAsync();

        // The poller copies the timer's stream into the fired row's mt_outbox.stream_id, and the relay stops a stream at its first
        // failing row: a check carrying the journey's id would wait behind the very messages (the concern) it watches.
        await using var connection = await OpenAsync();
        await using var query = new NpgsqlCommand($"select stream_id from \"{fixture.Schema}\".mt_timers where key = $1", connection);
        query.Parameters.AddWithValue(JourneyEffects.ConcernCheckTimerKey(concernId, 1));
        var stream = await query.ExecuteScalarAsync();
        Assert.NotNull(stream); // the timer row exists
        Assert.True(stream is DBNull, $"the check's timer carries stream {stream} (journey {journeyId})");

        // And the check still fires and does its work from a stream of its own.
        fixture.Clock.Advance(Wait);
        await WaitForCopiesAsync(concernId, 2);
    }

    [Fact]
    public async Task An_unconfirmed_round_is_counted_only_once_it_is_committed()
    {
        var (c, _, concernId) = await RaiseAsync();
        _watched = (c.ProgrammeId, concernId);
        ListenToTheUnconfirmedCounter();

        fixture.Clock.Advance(Wait);
        await WaitForCopiesAsync(concernId, 2);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_unconfirmedByProgramme.GetValueOrDefault(c.ProgrammeId) < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        // Counted after the commit (a save that fails and is retried would otherwise count twice).
        Assert.Equal(1, _unconfirmedByProgramme.GetValueOrDefault(c.ProgrammeId));
        Assert.Equal([1L], _committedWhenCounted.ToArray());
    }

    [Fact]
    public async Task Triages_confirmation_and_an_unconfirmed_round_leave_the_journeys_version_alone_so_the_workers_next_form_is_accepted()
    {
        var (c, journeyId, concernId) = await RaiseAsync();
        using var worker = _scenario.Worker(c);
        var read = await worker.Get<JourneyView>($"/journeys/{journeyId}");

        fixture.Clock.Advance(Wait);
        var flagged = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.SafeguardingConcerns.Single().UnconfirmedChecks == 1);
        Assert.Equal(read.Version, flagged.Version);

        await ConfirmAsync(c, journeyId, concernId);
        var confirmed = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.SafeguardingConcerns.Single().ConfirmedByTriageAt is not null);
        Assert.Equal(read.Version, confirmed.Version);
        Assert.Equal((concernId, false, 1), (confirmed.SafeguardingConcerns.Single().EscalationId, confirmed.SafeguardingConcerns.Single().Unconfirmed,
            confirmed.SafeguardingConcerns.Single().UnconfirmedChecks));

        // The worker's next form, sent with the ETag read before both, is not refused with 412.
        await worker.Post($"/journeys/{journeyId}/plan/goals", new { description = "Walk to the shop" }, ifMatch: read.Version).Ok();
    }

    [Fact]
    public async Task A_confirmation_cancels_its_concerns_pending_check_and_leaves_another_concerns_check_alone()
    {
        var (c, journeyId, concernA) = await RaiseAsync();
        var concernB = await RaiseAnotherAsync(c, journeyId);

        await ConfirmAsync(c, journeyId, concernB);
        await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId,
            j => j.SafeguardingConcerns.Single(x => x.ConcernId == concernB).ConfirmedByTriageAt is not null);

        Assert.NotNull(await CancelledAtAsync(concernB, 1));
        Assert.Null(await CancelledAtAsync(concernA, 1));

        // A is still checked, flagged and sent again; B is not.
        fixture.Clock.Advance(Wait);
        await WaitForCopiesAsync(concernA, 2);
        var journey = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId,
            j => j.SafeguardingConcerns.Single(x => x.ConcernId == concernA).UnconfirmedChecks == 1);
        Assert.False(journey.SafeguardingConcerns.Single(x => x.ConcernId == concernB).Unconfirmed);
        Assert.Single(CopiesOf(concernB));

        // A confirmation after a flagged round cancels that concern's next round (round 2), not the spent one.
        await ConfirmAsync(c, journeyId, concernA);
        await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId,
            j => j.SafeguardingConcerns.Single(x => x.ConcernId == concernA).ConfirmedByTriageAt is not null);
        Assert.NotNull(await CancelledAtAsync(concernA, 2));
    }

    [Fact]
    public async Task A_concern_triage_confirms_in_time_raises_nothing()
    {
        var (c, journeyId, concernId) = await RaiseAsync();
        await ConfirmAsync(c, journeyId, concernId);
        var journey = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.SafeguardingConcerns.Single().ConfirmedByTriageAt is not null);
        Assert.Equal(concernId, journey.SafeguardingConcerns.Single().EscalationId);

        fixture.Clock.Advance(Wait * 3);
        await Task.Delay(2000); // several timer polls

        Assert.Single(CopiesOf(concernId));
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        var view = await lead.Get<JourneyView>($"/journeys/{journeyId}");
        Assert.Equal((false, 0), (view.SafeguardingConcerns.Single().Unconfirmed, view.SafeguardingConcerns.Single().UnconfirmedChecks));
        var timeline = await lead.Get<TimelineView>($"/journeys/{journeyId}/timeline");
        Assert.DoesNotContain(timeline.Entries, e => e.Kind == "SafeguardingConcernUnconfirmed");
        Assert.Single(timeline.Entries, e => e.Kind == "SafeguardingConcernConfirmed");
    }

    [Fact]
    public async Task A_confirmation_after_the_concern_was_flagged_clears_the_flag_and_stops_the_resending()
    {
        var (c, journeyId, concernId) = await RaiseAsync();
        fixture.Clock.Advance(Wait);
        await WaitForCopiesAsync(concernId, 2);

        // The re-sent copy got through: triage confirms (once per copy it received).
        await ConfirmAsync(c, journeyId, concernId);
        await ConfirmAsync(c, journeyId, concernId);
        var journey = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.SafeguardingConcerns.Single().ConfirmedByTriageAt is not null);
        Assert.False(journey.SafeguardingConcerns.Single().Unconfirmed);

        fixture.Clock.Advance(Wait * 3);
        await Task.Delay(2000);
        Assert.Equal(2, CopiesOf(concernId).Count);
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        var timeline = await lead.Get<TimelineView>($"/journeys/{journeyId}/timeline");
        Assert.Single(timeline.Entries, e => e.Kind == "SafeguardingConcernConfirmed");
        Assert.Single(timeline.Entries, e => e.Kind == "SafeguardingConcernUnconfirmed");
    }

    [Fact]
    public async Task The_journey_list_filtered_on_an_unconfirmed_concern_returns_exactly_the_journeys_marked_so_and_only_in_the_team_leads_programmes()
    {
        var programme = ReferralCase.New().ProgrammeId;
        var other = ReferralCase.New().ProgrammeId;
        var flagged = await RaiseAsync(programme);
        var confirmedInTime = await RaiseAsync(programme);
        await ConfirmAsync(confirmedInTime.Case, confirmedInTime.JourneyId, confirmedInTime.ConcernId);
        // Two concerns: the first confirmed in time, the second never.
        var mixed = await RaiseAsync(programme);
        var mixedSecond = await RaiseAnotherAsync(mixed.Case, mixed.JourneyId);
        await ConfirmAsync(mixed.Case, mixed.JourneyId, mixed.ConcernId);
        var flaggedThenConfirmed = await RaiseAsync(programme);
        var elsewhere = await RaiseAsync(other);
        await _scenario.WaitForJourneyAsync(confirmedInTime.JourneyId, programme, j => j.SafeguardingConcerns.Single().ConfirmedByTriageAt is not null);
        await _scenario.WaitForJourneyAsync(mixed.JourneyId, programme,
            j => j.SafeguardingConcerns.Single(x => x.ConcernId == mixed.ConcernId).ConfirmedByTriageAt is not null);

        fixture.Clock.Advance(Wait);
        await _scenario.WaitForJourneyAsync(flagged.JourneyId, programme, j => j.SafeguardingConcerns.Single().Unconfirmed);
        await _scenario.WaitForJourneyAsync(mixed.JourneyId, programme, j => j.SafeguardingConcerns.Single(x => x.ConcernId == mixedSecond).Unconfirmed);
        await _scenario.WaitForJourneyAsync(flaggedThenConfirmed.JourneyId, programme, j => j.SafeguardingConcerns.Single().Unconfirmed);
        await _scenario.WaitForJourneyAsync(elsewhere.JourneyId, other, j => j.SafeguardingConcerns.Single().Unconfirmed);
        await ConfirmAsync(flaggedThenConfirmed.Case, flaggedThenConfirmed.JourneyId, flaggedThenConfirmed.ConcernId);
        await _scenario.WaitForJourneyAsync(flaggedThenConfirmed.JourneyId, programme, j => j.SafeguardingConcerns.Single().ConfirmedByTriageAt is not null);
        // Raised after the round: not checked yet, so not flagged.
        var notYetChecked = await RaiseAsync(programme);
        var noConcern = await _scenario.OpenAndAgreeAsync(ReferralCase.New(programme));

        using var lead = _scenario.TeamLead(programme);
        var all = (await lead.Get<JourneyPage>("/journeys?pageSize=200")).Journeys;
        Assert.Equal(6, all.Count);
        var marked = Sorted(all.Where(j => j.UnconfirmedConcern).Select(j => j.JourneyId));
        Assert.Equal(Sorted([flagged.JourneyId, mixed.JourneyId]), marked);

        // The filter agrees with the summary's mark, both ways, and with the safeguarding filter.
        var unconfirmed = await lead.Get<JourneyPage>("/journeys?unconfirmedConcern=true");
        Assert.All(unconfirmed.Journeys, j => Assert.True(j.UnconfirmedConcern));
        Assert.Equal(marked, Sorted(unconfirmed.Journeys.Select(j => j.JourneyId)));
        var notMarked = Sorted([confirmedInTime.JourneyId, flaggedThenConfirmed.JourneyId, notYetChecked.JourneyId, noConcern.JourneyId]);
        Assert.Equal(notMarked, Sorted(all.Where(j => !j.UnconfirmedConcern).Select(j => j.JourneyId)));
        Assert.Equal(notMarked, await IdsAsync(lead, "/journeys?unconfirmedConcern=false"));
        Assert.Equal(Sorted([confirmedInTime.JourneyId, flaggedThenConfirmed.JourneyId, notYetChecked.JourneyId]),
            await IdsAsync(lead, "/journeys?safeguarding=true&unconfirmedConcern=false"));
        Assert.Equal(marked, await IdsAsync(lead, "/journeys?safeguarding=true&unconfirmedConcern=true"));

        // Paged like the rest of the list.
        var first = await lead.Get<JourneyPage>("/journeys?unconfirmedConcern=true&pageSize=1");
        var second = await lead.Get<JourneyPage>("/journeys?unconfirmedConcern=true&pageSize=1&page=2");
        Assert.Equal((1, true, 1, false), (first.Journeys.Count, first.HasMore, second.Journeys.Count, second.HasMore));
        Assert.Equal(marked, Sorted(first.Journeys.Concat(second.Journeys).Select(j => j.JourneyId)));

        // Only the team lead's programmes: another programme is refused; a lead of both sees both.
        await lead.Send(HttpMethod.Get, $"/journeys?programme={other}&unconfirmedConcern=true").Problem(HttpStatusCode.Forbidden);
        using var leadOfBoth = fixture.Host.ClientFor(Roles.TeamLead, (ReferralsClaims.Programme, programme), (ReferralsClaims.Programme, other));
        Assert.Equal(Sorted([flagged.JourneyId, mixed.JourneyId, elsewhere.JourneyId]), await IdsAsync(leadOfBoth, "/journeys?unconfirmedConcern=true"));
        Assert.Equal([elsewhere.JourneyId], await IdsAsync(leadOfBoth, $"/journeys?programme={other}&unconfirmedConcern=true"));

        // Each journey listed is recorded as read.
        using var otherLead = _scenario.TeamLead(other);
        Assert.Contains(await otherLead.Get<List<AccessAuditEntry>>($"/journeys/{elsewhere.JourneyId}/access-audit"),
            e => e is { Operation: "ListJourneys", Access: AccessKind.Read, Allowed: true });
    }

    private static List<Guid> Sorted(IEnumerable<Guid> ids) => ids.Order().ToList();

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string url) =>
        Sorted((await client.Get<JourneyPage>(url)).Journeys.Select(j => j.JourneyId));
}
