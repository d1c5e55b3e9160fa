using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.Intake.ConfirmingTriage;
using Referrals.Intake.Referrals;
using Referrals.Intake.Tests.Tracking;
using Referrals.Testing;
using Referrals.Testing.Hosting;

namespace Referrals.Intake.Tests.ConfirmingTriage;

/// <summary>
/// Intake on a test clock, with a programme of its own (so its counters are this class's alone): a routine referral is checked
/// ten minutes after submission, one that may indicate risk five, and at most two rounds.
/// </summary>
public sealed class TriageConfirmationHost : IntakeFixture
{
    public const string Programme = "triage-check";
    public const string Practice = "B87001";

    public TestClock Time { get; } = new();

    protected override TimeProvider? Clock => Time;

    protected override IDictionary<string, string?> Settings(global::Referrals.Testing.InfrastructureEndpoints infrastructure) => new Dictionary<string, string?>
    {
        ["Intake:Programmes:triage-check:Practices:0"] = Practice,
        ["Intake:TriageConfirmation:CheckAfter"] = "00:10:00",
        ["Intake:TriageConfirmation:CheckAfterWhenAtRisk"] = "00:05:00",
        ["Intake:TriageConfirmation:MaxRounds"] = "2",
    };
}

/// <summary>
/// The triage confirmation check (HAZ-001, HAZ-007) through the real store, its durable timers and the broker: intake plays its
/// part, the test plays triage's by publishing (or not) <c>ReferralTriaged</c>, or for a linked referral <c>LinkedReferralReceived</c>
/// (HAZ-001 C18), and watches what intake sends triage.
/// </summary>
public sealed class TriageConfirmationTests(TriageConfirmationHost fixture) : IClassFixture<TriageConfirmationHost>, IDisposable
{
    private static readonly TimeSpan Routine = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan AtRisk = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, long> _counted = new();
    private readonly MeterListener _listener = new();

    private IntakeApp App => fixture.App;

    private TestClock Clock => fixture.Time;

    private void ListenToTheCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name.StartsWith("referrals.triage_confirmation_", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? kind = null;
            var ours = false;
            foreach (var tag in tags)
            {
                ours |= tag is { Key: "programme", Value: TriageConfirmationHost.Programme };
                kind = tag.Key == "kind" ? tag.Value as string : kind;
            }

            if (ours)
            {
                _counted.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
                // Also per kind (submission, linked-referral), as "<counter>/<kind>".
                _counted.AddOrUpdate($"{instrument.Name}/{kind}", value, (_, total) => total + value);
            }
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private async Task<(Guid Id, ProbedMessage First)> SubmitAsync(MessageProbeScope scope, bool routine = true)
    {
        var body = TestData.Referral(practice: TriageConfirmationHost.Practice, programme: TriageConfirmationHost.Programme,
            consentGivenAt: Clock.UtcNow.AddHours(-1));
        if (routine)
        {
            body = body.With("risk.notes", null);
        }

        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();
        await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);
        return (id, Assert.Single(CopiesOf(scope, id)));
    }

    private static IReadOnlyList<ProbedMessage> CopiesOf(MessageProbeScope scope, Guid referralId) =>
        scope.Probe.Messages.Where(m => m.Message is ReferralSubmitted s && s.ReferralId == referralId).ToList();

    private static async Task WaitForCopiesAsync(MessageProbeScope scope, Guid referralId, int copies)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (CopiesOf(scope, referralId).Count < copies)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{CopiesOf(scope, referralId).Count} copies of the referral sent, expected {copies}.");
            await Task.Delay(50);
        }
    }

    private Task<long> TimersAsync(Guid referralId, int round, string condition = "true") =>
        App.ScalarAsync($"select count(*) from {{schema}}.mt_timers where key = '{TriageConfirmationDecider.TimerKey(referralId, round)}' and {condition}");

    private Task<long> OverdueEventsAsync(Guid referralId) =>
        App.ScalarAsync($"select count(*) from {{schema}}.mt_events where stream_id = '{referralId}' and type ilike '%triage%confirmation%overdue%'");

    /// <summary>Triage's decision, as triage publishes it, so the referral's pending check is cancelled (and the next test's clock moves freely).</summary>
    private async Task TriageAsync(MessageProbeScope scope, Guid referralId)
    {
        var submitted = (ReferralSubmitted)CopiesOf(scope, referralId)[0].Message;
        await scope.Bus.PublishAsync(new Upstream(submitted).Triaged(2));
        await App.WaitForReferralAsync(referralId, r => r.Status == ReferralStatus.Triaged);
    }

    [Fact]
    public async Task A_submission_triage_never_confirms_is_flagged_after_the_wait_and_sent_again_with_its_first_message_id()
    {
        ListenToTheCounters();
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var (id, first) = await SubmitAsync(scope);
        Assert.Equal(TriageConfirmationDecider.SubmissionMessageId(id), first.MessageId);

        // Not yet due: nothing flagged, nothing sent again.
        Clock.Advance(Routine - TimeSpan.FromSeconds(1));
        await Task.Delay(1500);
        Assert.Single(CopiesOf(scope, id));
        Assert.Null((await App.LoadReferralAsync(id))!.TriageConfirmationOverdue);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForCopiesAsync(scope, id, 2);
        var copy = CopiesOf(scope, id)[1];
        Assert.Equal(first.MessageId, copy.MessageId); // triage's inbox drops it if the first was applied, applies it if not
        var (original, again) = ((ReferralSubmitted)first.Message, (ReferralSubmitted)copy.Message);
        Assert.Equal((original.JourneyId, original.PersonId, original.Person, original.Risk, original.Urgency, original.SubmittedAt, original.PostcodeDistrict),
            (again.JourneyId, again.PersonId, again.Person, again.Risk, again.Urgency, again.SubmittedAt, again.PostcodeDistrict));

        var referral = await App.WaitForReferralAsync(id, r => r.TriageConfirmationOverdue is not null);
        Assert.Equal(ReferralStatus.Submitted, referral.Status);
        Assert.Equal(new TriageConfirmationOverdue(1, Clock.UtcNow, false), referral.TriageConfirmationOverdue);
        Assert.Equal(1, await OverdueEventsAsync(id));
        var view = await (await App.Referrer(TestData.Practice).GetAsync(new Uri($"/referrals/{id}", UriKind.Relative))).ReadObjectAsync();
        Assert.Equal(1, view["triageConfirmationOverdue"]!["checks"]!.GetValue<int>());
        Assert.Equal(1, await TimersAsync(id, 2, "fired_at is null and cancelled_at is null")); // the next round is armed
        await WaitForCountAsync("referrals.triage_confirmation_overdue", 1);
        Assert.Equal(0, _counted.GetValueOrDefault("referrals.triage_confirmation_checks_stopped"));

        await TriageAsync(scope, id);
    }

    [Fact]
    public async Task A_triaged_referral_s_check_is_cancelled_and_nothing_is_sent_again_nor_flagged()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var (id, _) = await SubmitAsync(scope);

        await TriageAsync(scope, id);
        Assert.Equal(1, await TimersAsync(id, 1, "cancelled_at is not null"));

        Clock.Advance(Routine + Routine);
        await Task.Delay(2000);
        Assert.Single(CopiesOf(scope, id));
        var referral = await App.LoadReferralAsync(id);
        Assert.Null(referral!.TriageConfirmationOverdue);
        Assert.Equal(0, await OverdueEventsAsync(id));
    }

    [Fact]
    public async Task The_checks_stop_at_the_last_round_allowed_which_is_flagged_as_final_and_counted_apart()
    {
        ListenToTheCounters();
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var (id, first) = await SubmitAsync(scope);

        Clock.Advance(Routine);
        await WaitForCopiesAsync(scope, id, 2);
        await App.WaitForReferralAsync(id, r => r.TriageConfirmationOverdue?.Checks == 1);
        Clock.Advance(Routine);
        await WaitForCopiesAsync(scope, id, 3);
        var referral = await App.WaitForReferralAsync(id, r => r.TriageConfirmationOverdue?.Checks == 2);
        Assert.True(referral.TriageConfirmationOverdue!.ChecksStopped);
        await WaitForCountAsync("referrals.triage_confirmation_checks_stopped", 1);

        // No third round: nothing armed, nothing sent, nothing flagged, however long triage stays silent.
        Assert.Equal(0, await TimersAsync(id, 3));
        Clock.Advance(Routine * 6);
        await Task.Delay(2000);
        Assert.Equal(3, CopiesOf(scope, id).Count);
        Assert.All(CopiesOf(scope, id), c => Assert.Equal(first.MessageId, c.MessageId));
        Assert.Equal(2, await OverdueEventsAsync(id));
        Assert.Equal(2, _counted.GetValueOrDefault("referrals.triage_confirmation_overdue"));
        Assert.Equal(1, _counted.GetValueOrDefault("referrals.triage_confirmation_checks_stopped"));
    }

    [Fact]
    public async Task A_self_referral_at_risk_is_checked_after_the_shorter_wait()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var response = await App.Anonymous().PostJsonAsync("/self-referrals",
            TestData.SelfReferral(atRisk: true).With("registeredPracticeOds", TriageConfirmationHost.Practice));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();
        await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);

        Clock.Advance(AtRisk);
        await WaitForCopiesAsync(scope, id, 2);
        Assert.Equal(CopiesOf(scope, id)[0].MessageId, CopiesOf(scope, id)[1].MessageId);
        await App.WaitForReferralAsync(id, r => r.TriageConfirmationOverdue?.Checks == 1);

        await TriageAsync(scope, id);
    }

    /// <summary>
    /// A person's first referral (triaged, so its own check is cancelled) and a second, routine one with no risk answer or notes
    /// from the same referrer: linked to the open journey, and published to triage as <c>ReferralLinkedToOpenJourney</c>.
    /// </summary>
    private async Task<(Guid Id, ProbedMessage First)> SubmitLinkedAsync(MessageProbeScope scope)
    {
        var nhs = TestData.NhsNumber();
        JsonObject Body() => TestData.Referral(nhs, practice: TriageConfirmationHost.Practice, programme: TriageConfirmationHost.Programme,
            consentGivenAt: Clock.UtcNow.AddHours(-1)).With("risk.notes", null);

        var opening = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", Body());
        Assert.Equal(HttpStatusCode.Accepted, opening.StatusCode);
        var openingId = (await opening.ReadObjectAsync()).ReferralId();
        await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == openingId);
        await TriageAsync(scope, openingId);

        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", Body().With("reasonText", "Rent arrears since the bereavement."));
        var body = await response.ReadObjectAsync();
        Assert.Equal("LinkedToOpenJourney", body["status"]!.GetValue<string>());
        var id = body.ReferralId();
        await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.ReferralId == id);
        return (id, Assert.Single(LinksOf(scope, id)));
    }

    private static IReadOnlyList<ProbedMessage> LinksOf(MessageProbeScope scope, Guid referralId) =>
        scope.Probe.Messages.Where(m => m.Message is ReferralLinkedToOpenJourney l && l.ReferralId == referralId).ToList();

    private static async Task WaitForLinksAsync(MessageProbeScope scope, Guid referralId, int copies)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (LinksOf(scope, referralId).Count < copies)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{LinksOf(scope, referralId).Count} copies of the linked referral sent, expected {copies}.");
            await Task.Delay(50);
        }
    }

    private Task<long> LinkedTimersAsync(Guid referralId, Guid journeyId, int round, string condition = "true") =>
        App.ScalarAsync($"select count(*) from {{schema}}.mt_timers where key = '{LinkedReferralReceiptDecider.TimerKey(referralId, journeyId, round)}' and {condition}");

    private Task<long> LinkedOverdueEventsAsync(Guid referralId) =>
        App.ScalarAsync($"select count(*) from {{schema}}.mt_events where stream_id = '{referralId}' and type ilike '%linked%receipt%overdue%'");

    /// <summary>HAZ-001 C18: the linked referral's message parked in triage's error queue opens no escalation for the watchdog to see.</summary>
    [Fact]
    public async Task A_linked_referral_triage_never_sends_a_receipt_for_is_sent_again_under_its_first_message_id_after_the_shorter_wait_and_alarmed_at_the_last_round()
    {
        ListenToTheCounters();
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var (id, first) = await SubmitLinkedAsync(scope);
        var original = (ReferralLinkedToOpenJourney)first.Message;
        Assert.Equal(LinkedReferralReceiptDecider.LinkedMessageId(id, original.JourneyId), first.MessageId);

        // Routine, with no risk answer: still the shorter wait (triage reads its reason and what matters for risk too).
        Clock.Advance(AtRisk - TimeSpan.FromSeconds(1));
        await Task.Delay(1500);
        Assert.Single(LinksOf(scope, id));

        Clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForLinksAsync(scope, id, 2);
        var copy = LinksOf(scope, id)[1];
        Assert.Equal(first.MessageId, copy.MessageId); // triage's inbox drops it if the first was applied, applies it if not
        var again = (ReferralLinkedToOpenJourney)copy.Message;
        Assert.Equal((original.JourneyId, original.PersonId, original.LinkedAt, original.ReasonText, original.Risk, original.Urgency),
            (again.JourneyId, again.PersonId, again.LinkedAt, again.ReasonText, again.Risk, again.Urgency));
        var referral = await App.WaitForReferralAsync(id, r => r.LinkedTriageReceipt?.Overdue is not null);
        Assert.Equal(new TriageConfirmationOverdue(1, Clock.UtcNow, false), referral.LinkedTriageReceipt!.Overdue);
        Assert.Equal(ReferralStatus.LinkedToOpenJourney, referral.Status);
        var view = await (await App.Referrer(TestData.Practice).GetAsync(new Uri($"/referrals/{id}", UriKind.Relative))).ReadObjectAsync();
        Assert.Equal(1, view["triageConfirmationOverdue"]!["checks"]!.GetValue<int>());
        Assert.Equal(1, await LinkedTimersAsync(id, original.JourneyId, 2, "fired_at is null and cancelled_at is null"));
        await WaitForCountAsync("referrals.triage_confirmation_overdue/linked-referral", 1);

        // The last round (two here): sent again, flagged final, counted apart; then nothing more, however long triage is silent.
        Clock.Advance(AtRisk);
        await WaitForLinksAsync(scope, id, 3);
        referral = await App.WaitForReferralAsync(id, r => r.LinkedTriageReceipt?.Overdue?.Checks == 2);
        Assert.True(referral.LinkedTriageReceipt!.Overdue!.ChecksStopped);
        await WaitForCountAsync("referrals.triage_confirmation_checks_stopped/linked-referral", 1);
        Assert.Equal(0, await LinkedTimersAsync(id, original.JourneyId, 3));
        Clock.Advance(AtRisk * 6);
        await Task.Delay(2000);
        Assert.Equal(3, LinksOf(scope, id).Count);
        Assert.All(LinksOf(scope, id), c => Assert.Equal(first.MessageId, c.MessageId));
        Assert.Equal(2, await LinkedOverdueEventsAsync(id));
        Assert.Equal(2, _counted.GetValueOrDefault("referrals.triage_confirmation_overdue/linked-referral"));
    }

    [Fact]
    public async Task A_linked_referral_triage_sends_a_receipt_for_has_its_check_cancelled_and_is_neither_sent_again_nor_flagged()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var (id, first) = await SubmitLinkedAsync(scope);
        var linked = (ReferralLinkedToOpenJourney)first.Message;

        var escalationId = Guid.NewGuid();
        await scope.Bus.PublishAsync(new LinkedReferralReceived(id, linked.JourneyId, linked.PersonId, escalationId, Clock.UtcNow));
        var referral = await App.WaitForReferralAsync(id, r => r.LinkedTriageReceipt?.ReceivedAt is not null);
        Assert.Equal(escalationId, referral.LinkedTriageReceipt!.EscalationId);
        Assert.Equal(1, await LinkedTimersAsync(id, linked.JourneyId, 1, "cancelled_at is not null"));

        Clock.Advance(AtRisk + Routine);
        await Task.Delay(2000);
        Assert.Single(LinksOf(scope, id));
        Assert.Null((await App.LoadReferralAsync(id))!.LinkedTriageReceipt!.Overdue);
        Assert.Equal(0, await LinkedOverdueEventsAsync(id));
    }

    private async Task WaitForCountAsync(string counter, long expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_counted.GetValueOrDefault(counter) < expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{counter} counted {_counted.GetValueOrDefault(counter)}, expected {expected}.");
            await Task.Delay(50);
        }

        Assert.Equal(expected, _counted.GetValueOrDefault(counter));
    }
}
