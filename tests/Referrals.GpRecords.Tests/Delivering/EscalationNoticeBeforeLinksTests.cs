using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using Referrals.Testing;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// HAZ-002: referrals registered before gp-records kept per-referral journey links (<see cref="GpReferral"/>) have their
/// registration on a journey but no link. A practice notice for such a referral still reaches the practice, once, on the
/// journey the referral was registered on. The old state is made by registering the referral and removing its link stream.
/// </summary>
public sealed class EscalationNoticeBeforeLinksTests : IAsyncLifetime
{
    private const string Practice = "B82011";
    private PracticeFhirReceiver _receiver = null!;
    private GpRecordsHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _receiver = await PracticeFhirReceiver.StartAsync();
        _harness = await GpRecordsHarness.StartAsync(_receiver, [Practice]);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    /// <summary>Removes the referral's link stream, as if it had been registered before links existed.</summary>
    private async Task RemoveLinkAsync(Guid referralId)
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        await using var connection = new Npgsql.NpgsqlConnection(infrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"delete from {_harness.SchemaName}.mt_streams where id = $1", connection);
        command.Parameters.AddWithValue(ResourceIds.ReferralJourney(referralId));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task DeliveredOnceOnAsync(Guid journeyId, ReferralEscalated notice, Guid referralId)
    {
        Assert.Single(_receiver.Transactions, t => t.Resources.Contains(EscalationNotices.Key(journeyId, notice)));
        await using var session = _harness.Store.QuerySession();
        var journey = await session.Events.AggregateStreamAsync<GpJourney>(journeyId);
        Assert.Equal(journeyId, Assert.Single(journey!.All<ReferralEscalated>()).JourneyId);
        var referral = await session.Events.AggregateStreamAsync<GpReferral>(ResourceIds.ReferralJourney(referralId));
        Assert.Equal((journeyId, 0), (referral!.JourneyId, referral.Held.Count));
    }

    [Fact]
    public async Task An_escalation_of_a_referral_registered_before_links_existed_reaches_the_practice_on_the_journey_it_names_once()
    {
        var script = new JourneyScript(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");
        List<object> history = [script.Submitted(), script.Registered()];
        await _harness.PublishAsync(history);
        await _harness.QuietAsync(script.JourneyId, history);
        await RemoveLinkAsync(script.ReferralId);

        var notice = script.Escalated();
        history.Add(notice);
        await _harness.PublishAsync(notice);
        await _harness.FiledAsync(_receiver, Practice, script.JourneyId, script.PersonId, EscalationNotices.Key(script.JourneyId, notice));
        await _harness.QuietAsync(script.JourneyId, history);

        var again = await _harness.PublishOneAsync(notice);
        await _harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), [again]);
        await _harness.QuietAsync(script.JourneyId, history);
        await DeliveredOnceOnAsync(script.JourneyId, notice, script.ReferralId);
    }

    [Fact]
    public async Task An_escalation_of_a_re_referral_registered_on_the_persons_previous_journey_before_links_existed_reaches_the_practice_on_that_journey()
    {
        var previous = new JourneyScript(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");
        List<object> history = [previous.Submitted(), previous.Registered(), previous.Closed()];
        await _harness.PublishAsync(history);
        await _harness.QuietAsync(previous.JourneyId, history);

        // The re-referral reopened the previous journey before links existed; triage escalates it later under the journey
        // id intake proposed, which was never registered.
        var reReferralId = Guid.NewGuid();
        var reopened = previous.Registered() with { ReferralId = reReferralId, Reopened = true, RegisteredAt = previous.At(30) };
        history.Add(reopened);
        await _harness.PublishAsync(reopened);
        await _harness.QuietAsync(previous.JourneyId, history);
        await RemoveLinkAsync(reReferralId);

        var notice = previous.Escalated() with { ReferralId = reReferralId, JourneyId = Guid.NewGuid(), EscalatedAt = previous.At(30, 1) };
        history.Add(notice);
        await _harness.PublishAsync(notice);
        await _harness.FiledAsync(_receiver, Practice, previous.JourneyId, previous.PersonId, EscalationNotices.Key(previous.JourneyId, notice));
        await _harness.QuietAsync(previous.JourneyId, history);
        await DeliveredOnceOnAsync(previous.JourneyId, notice, reReferralId);
        Assert.Empty(await _harness.DeliveriesAsync(notice.JourneyId));
    }
}
