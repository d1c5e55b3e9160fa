using System.Text.Json.Nodes;
using Npgsql;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using Referrals.Testing;
using Referrals.Testing.Hosting;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// HAZ-002: a practice notice held for a referral with no journey reaches the practice even when the referral is never
/// registered. Support-plan registers a referral only while no withdrawal has reached it, so a referral withdrawn during a
/// triage backlog never has a journey; its held notice goes to the practice without one, once, within the sharing scope the
/// referral was submitted with, and never for an erased person. A notice still held at its check goes too, and is reported.
/// </summary>
public sealed class HeldNoticeReleaseTests : IAsyncLifetime
{
    private const string Practice = "B82031";

    /// <summary>A short check, for the tests of a notice still held when it comes due; the others keep the default (15 minutes).</summary>
    private const int ShortCheckMilliseconds = 1500;

    private PracticeFhirReceiver _receiver = null!;
    private GpRecordsHarness _harness = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Starts gp-records, with the held notices' check after <paramref name="checkAfterMilliseconds"/> when given.</summary>
    private async Task StartAsync(int? checkAfterMilliseconds = null)
    {
        _receiver = await PracticeFhirReceiver.StartAsync();
        _harness = await GpRecordsHarness.StartAsync(_receiver, [Practice], settings: checkAfterMilliseconds is { } ms
            ? new Dictionary<string, string?> { ["GpRecords:Notices:HeldCheckAfterMilliseconds"] = ms.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : null);
    }

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }

    private static JourneyScript Agency() => new(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");

    /// <summary>The notice as released without a journey: on the referral's own notice journey.</summary>
    private static Guid NoticeJourney(JourneyScript script) => ResourceIds.ReferralNotices(script.ReferralId);

    private static string ReleasedKey(JourneyScript script, ReferralEscalated notice) => EscalationNotices.Key(NoticeJourney(script), notice);

    /// <summary>Intake submitted the referral and triage escalated it to the practice outside rota hours; the notice is held.</summary>
    private async Task HeldAsync(JourneyScript script, ReferralEscalated notice, ReferralSubmitted? submitted = null)
    {
        await _harness.PublishAsync(submitted ?? script.Submitted());
        var held = await _harness.PublishOneAsync(notice);
        await _harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), [held]);
    }

    private async Task<GpReferral> ReferralAsync(JourneyScript script)
    {
        await using var session = _harness.Store.QuerySession();
        return (await session.Events.AggregateStreamAsync<GpReferral>(ResourceIds.ReferralJourney(script.ReferralId)))!;
    }

    /// <summary>Publishes each message again (a redelivery or replay: a new message id) and waits until its consumers applied it.</summary>
    private async Task RedeliveredAsync(params (object Message, string Consumer)[] messages)
    {
        foreach (var (message, consumer) in messages)
        {
            await _harness.ClaimedAsync(consumer, [await (Task<Guid>)typeof(TestBus).GetMethod(nameof(TestBus.PublishAsync))!
                .MakeGenericMethod(message.GetType()).Invoke(_harness.Bus, [message, null])!]);
        }

        await Task.Delay(500);
    }

    private async Task<IReadOnlyList<string>> TimerKeysAsync(string like)
    {
        await using var connection = new NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select key from \"{_harness.SchemaName}\".mt_timers where key like $1", connection);
        command.Parameters.AddWithValue(like);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    [Fact]
    public async Task A_held_notice_is_stored_encrypted_so_a_worker_s_indicator_is_in_no_event_in_plain_text()
    {
        await StartAsync();
        var script = Agency();
        var marker = "indicator-" + Guid.NewGuid().ToString("N");
        var notice = script.Escalated() with { Indicators = [marker] };
        await HeldAsync(script, notice);
        Assert.Single((await ReferralAsync(script)).Held.Values, held => held.Indicators.Contains(marker));

        await using var connection = new NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from \"{_harness.SchemaName}\".mt_events e where e::text like '%' || $1 || '%'", connection);
        command.Parameters.AddWithValue(marker);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_notice_held_for_a_referral_withdrawn_before_registration_reaches_the_practice_exactly_once()
    {
        await StartAsync();
        var script = Agency();
        var notice = script.Escalated();
        await HeldAsync(script, notice);
        await Task.Delay(300);
        Assert.Empty(_receiver.Transactions);

        // The withdrawal reached support-plan before triage's decision did: the referral will never be registered.
        await _harness.PublishAsync(script.Withdrawn());
        await _harness.FiledAsync(_receiver, Practice, NoticeJourney(script), script.PersonId, ReleasedKey(script, notice));
        await _harness.SettledAsync(NoticeJourney(script));

        // Redelivered or replayed, none of the messages sends it again.
        await RedeliveredAsync((script.Withdrawn(), nameof(ReferralWithdrawnConsumer)), (notice, nameof(ReferralEscalatedConsumer)),
            (script.Submitted(), nameof(ReferralSubmittedConsumer)));
        await _harness.SettledAsync(NoticeJourney(script));

        Assert.Single(_receiver.Transactions, t => t.Sent.Contains(ReleasedKey(script, notice)));
        var delivery = Assert.Single(await _harness.DeliveriesAsync(NoticeJourney(script)));
        Assert.Equal((DeliveryState.Filed, Practice), (delivery.State, delivery.PracticeOds));
        var observation = JsonNode.Parse(_receiver.StoreBySenderIdOf(Practice)[ReleasedKey(script, notice)].Json)!;
        Assert.Equal("R", observation["meta"]!["security"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(JourneyScript.EscalationStatementText, observation["valueString"]!.GetValue<string>());
        Assert.All(_receiver.Transactions, t => Emitted.AssertValid(t.BundleJson));

        var referral = await ReferralAsync(script);
        Assert.Empty(referral.Held);
        Assert.Equal([JourneyFacts.KeyOf(notice)], referral.Released);
        Assert.Empty(await _harness.DeliveriesAsync(script.JourneyId));
    }

    [Fact]
    public async Task A_withdrawal_that_overtook_the_registration_releases_the_notice_once_and_the_late_registration_moves_nothing()
    {
        await StartAsync();
        var script = Agency();
        var notice = script.Escalated();
        await HeldAsync(script, notice);
        await _harness.PublishAsync(script.Withdrawn());
        await _harness.FiledAsync(_receiver, Practice, NoticeJourney(script), script.PersonId, ReleasedKey(script, notice));

        // Support-plan had registered the referral before the withdrawal reached it; its registration reaches gp-records late.
        List<object> history = [script.Submitted(), script.Registered()];
        await _harness.PublishAsync(script.Registered());
        await _harness.QuietAsync(script.JourneyId, history);
        await RedeliveredAsync((notice, nameof(ReferralEscalatedConsumer)));
        await _harness.QuietAsync(script.JourneyId, history);

        Assert.Single(_receiver.Transactions, t => t.Sent.Contains(ReleasedKey(script, notice)));
        Assert.DoesNotContain(_receiver.Transactions, t => t.Sent.Contains(EscalationNotices.Key(script.JourneyId, notice)));
        await using var session = _harness.Store.QuerySession();
        var journey = await session.Events.AggregateStreamAsync<GpJourney>(script.JourneyId);
        Assert.Empty(journey!.All<ReferralEscalated>());
        var referral = await ReferralAsync(script);
        Assert.Equal((script.JourneyId, 0, 1), (referral.JourneyId, referral.Held.Count, referral.Released.Count));
    }

    [Fact]
    public async Task A_withdrawal_and_a_notice_that_reach_gp_records_before_the_submission_go_once_the_submission_does()
    {
        await StartAsync();
        var script = Agency();
        var notice = script.Escalated();
        var early = new List<Guid> { await _harness.PublishOneAsync(notice) };
        var withdrawal = await _harness.PublishOneAsync(script.Withdrawn());
        await _harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), early);
        await _harness.ClaimedAsync(nameof(ReferralWithdrawnConsumer), [withdrawal]);
        await Task.Delay(300);
        Assert.Empty(_receiver.Transactions);

        await _harness.PublishAsync(script.Submitted());
        await _harness.FiledAsync(_receiver, Practice, NoticeJourney(script), script.PersonId, ReleasedKey(script, notice));
        await _harness.SettledAsync(NoticeJourney(script));
        Assert.Single(_receiver.Transactions, t => t.Sent.Contains(ReleasedKey(script, notice)));
    }

    [Fact]
    public async Task A_released_notice_of_a_referral_submitted_without_sharing_is_withheld_and_never_sent()
    {
        await StartAsync();
        var script = Agency();
        var submitted = script.Submitted();
        submitted = submitted with { Consent = submitted.Consent! with { SharingScope = ConsentScope.None } };
        await HeldAsync(script, script.Escalated(), submitted);
        await _harness.PublishAsync(script.Withdrawn());

        await _harness.SettledAsync(NoticeJourney(script));
        var delivery = Assert.Single(await _harness.DeliveriesAsync(NoticeJourney(script)));
        Assert.Equal(DeliveryState.Withheld, delivery.State);
        Assert.Empty(_receiver.Transactions);
    }

    [Fact]
    public async Task Nothing_is_sent_for_a_held_notice_of_an_erased_person_and_its_checks_stop()
    {
        await StartAsync(ShortCheckMilliseconds);
        var script = Agency();
        var notice = script.Escalated();
        await HeldAsync(script, notice);
        var erasure = await _harness.PublishOneAsync(new PersonErased(script.PersonId, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await _harness.ClaimedAsync(nameof(PersonErasedConsumer), [erasure]);
        var withdrawal = await _harness.PublishOneAsync(script.Withdrawn());
        await _harness.ClaimedAsync(nameof(ReferralWithdrawnConsumer), [withdrawal]);

        // The first check comes due and finds the person erased: nothing is released and no further round is armed.
        var firstCheck = HeldNotices.CheckTimerKey(script.ReferralId, script.EscalationId, 1, 1);
        await Eventually.TrueAsync(async () => (await TimerKeysAsync(firstCheck)).Count == 1, "the first check to be armed");
        await _harness.ClaimedAsync(nameof(GpHeldNoticeDueConsumer), [await FiredTimerIdAsync(firstCheck)]);
        await Task.Delay(ShortCheckMilliseconds);

        Assert.Empty(_receiver.Transactions);
        Assert.Empty(await _harness.DeliveriesAsync(NoticeJourney(script)));
        Assert.Empty(await TimerKeysAsync(HeldNotices.CheckTimerKey(script.ReferralId, script.EscalationId, 1, 2)));
        Assert.Empty((await ReferralAsync(script)).Held); // the held notice is personal data: it reads as erased
    }

    [Fact]
    public async Task A_notice_whose_referral_is_not_registered_in_time_is_reported_and_reaches_the_practice_once()
    {
        await StartAsync(ShortCheckMilliseconds);
        var programme = "programme-" + Guid.NewGuid().ToString("N");
        using var overdue = new CounterProbe("referrals.gp_notices_held_overdue", programme);

        // Not withdrawn, but support-plan has not registered the referral by the time the held notice's check comes due.
        var script = Agency();
        var notice = script.Escalated() with { ProgrammeId = programme };
        await HeldAsync(script, notice);
        await _harness.FiledAsync(_receiver, Practice, NoticeJourney(script), script.PersonId, ReleasedKey(script, notice));
        await _harness.SettledAsync(NoticeJourney(script));
        await Eventually.TrueAsync(() => Task.FromResult(overdue.Total == 1), "the held notice to be counted as overdue");

        // The registration comes at last: the notice is not moved onto the journey or sent again, and later checks find nothing held.
        List<object> history = [script.Submitted(), script.Registered()];
        await _harness.PublishAsync(script.Registered());
        await _harness.QuietAsync(script.JourneyId, history);
        await Task.Delay(ShortCheckMilliseconds * 2);

        Assert.Single(_receiver.Transactions, t => t.Sent.Contains(ReleasedKey(script, notice)));
        Assert.DoesNotContain(_receiver.Transactions, t => t.Sent.Contains(EscalationNotices.Key(script.JourneyId, notice)));
        Assert.Equal(1, overdue.Total);
        Assert.Equal(NoticeReleaseReason.Overdue, (await ReleasesAsync(script)).Single().Reason);
    }

    private async Task<IReadOnlyList<HeldNoticesReleased>> ReleasesAsync(JourneyScript script)
    {
        await using var session = _harness.Store.QuerySession();
        return [.. (await session.Events.FetchStreamAsync(ResourceIds.ReferralJourney(script.ReferralId))).Select(e => e.Data).OfType<HeldNoticesReleased>()];
    }

    /// <summary>The outbox message id of a fired timer is the timer's id.</summary>
    private async Task<Guid> FiredTimerIdAsync(string key)
    {
        var id = Guid.Empty;
        await Eventually.TrueAsync(async () =>
        {
            await using var connection = new NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"select id from \"{_harness.SchemaName}\".mt_timers where key = $1 and fired_at is not null", connection);
            command.Parameters.AddWithValue(key);
            if (await command.ExecuteScalarAsync() is Guid fired)
            {
                id = fired;
                return true;
            }

            return false;
        }, key + " to fire");
        return id;
    }
}
