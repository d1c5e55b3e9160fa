using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using Referrals.Testing;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// HAZ-002: triage stamps its notice with the journey id intake proposed, but support-plan may register the referral on
/// another journey (a re-referral reopening the person's previous journey, a proposed id already taken). The practice's
/// notice reaches the practice on the journey the referral was registered on, end to end, once; so does the notice of a
/// referral registered before per-referral journey links existed.
/// </summary>
public sealed class EscalationNoticeJourneyTests : IAsyncLifetime
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

    private Task HeldAsync(Guid journeyId, Guid personId, string key) => _harness.FiledAsync(_receiver, Practice, journeyId, personId, key);

    /// <summary>The notice reached the practice in exactly one transaction, is one fact of the journey, and nothing was recorded under the proposed id.</summary>
    private async Task DeliveredOnceAsync(Guid journeyId, ReferralEscalated notice)
    {
        Assert.Single(_receiver.Transactions, t => t.Resources.Contains(EscalationNotices.Key(journeyId, notice)));
        Assert.DoesNotContain(_receiver.Transactions, t => t.Resources.Contains(EscalationNotices.Key(notice.JourneyId, notice)));
        await using var session = _harness.Store.QuerySession();
        var journey = await session.Events.AggregateStreamAsync<GpJourney>(journeyId);
        var recorded = Assert.Single(journey!.All<ReferralEscalated>());
        Assert.Equal(journeyId, recorded.JourneyId);
        Assert.Null(await session.Events.AggregateStreamAsync<GpJourney>(notice.JourneyId));
        Assert.Empty(await _harness.DeliveriesAsync(notice.JourneyId));
    }

    [Fact]
    public async Task An_escalation_of_a_re_referral_registered_on_the_persons_previous_journey_reaches_the_practice_on_that_journey()
    {
        var (previous, history) = await ClosedJourneyAsync();

        // The re-referral: intake proposed a new journey and triage escalated under it; support-plan reopened the previous one.
        var reReferralId = Guid.NewGuid();
        var reopened = Reopened(previous, reReferralId);
        var notice = EscalatedUnderProposedJourney(previous, reReferralId);
        history.AddRange([reopened, notice]);
        await _harness.PublishAsync(reopened, notice);

        await HeldAsync(previous.JourneyId, previous.PersonId, EscalationNotices.Key(previous.JourneyId, notice));
        await _harness.QuietAsync(previous.JourneyId, history);
        await DeliveredOnceAsync(previous.JourneyId, notice);
    }

    [Fact]
    public async Task A_notice_held_before_its_referral_is_registered_under_another_journey_id_reaches_the_practice_once_it_is_and_redeliveries_add_nothing()
    {
        var script = new JourneyScript(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");
        var registration = script.Registered() with { JourneyId = Guid.NewGuid() };
        var notice = script.Escalated();
        var noticeMessage = await _harness.PublishOneAsync(notice);
        await _harness.PublishAsync(script.Submitted());
        await _harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), [noticeMessage]);
        await Task.Delay(300);
        Assert.Empty(_receiver.Transactions);

        await _harness.PublishAsync(registration);
        await HeldAsync(registration.JourneyId, script.PersonId, EscalationNotices.Key(registration.JourneyId, notice));
        await _harness.QuietAsync(registration.JourneyId, [script.Submitted(), registration, notice]);

        var noticeAgain = await _harness.PublishOneAsync(notice);
        var registrationAgain = await _harness.PublishOneAsync(registration);
        await _harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), [noticeAgain]);
        await _harness.ClaimedAsync(nameof(JourneyRegisteredConsumer), [registrationAgain]);
        await Task.Delay(300);
        await _harness.QuietAsync(registration.JourneyId, [script.Submitted(), registration, notice]);
        await DeliveredOnceAsync(registration.JourneyId, notice);
    }

    // Referrals registered before gp-records kept per-referral journey links (GpReferral) have their registration on a
    // journey but no link; the old state is made by registering the referral and removing its link stream.

    /// <summary>Removes the referral's link stream, as if it had been registered before links existed.</summary>
    /// <summary>A person's journey, referred by an agency, registered and closed, with its messages applied.</summary>
    private async Task<(JourneyScript Previous, List<object> History)> ClosedJourneyAsync()
    {
        var previous = new JourneyScript(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");
        List<object> history = [previous.Submitted(), previous.Registered(), previous.Closed()];
        await _harness.PublishAsync(history);
        await _harness.QuietAsync(previous.JourneyId, history);
        return (previous, history);
    }

    /// <summary>Support-plan reopened the previous journey for a re-referral.</summary>
    private static JourneyRegistered Reopened(JourneyScript previous, Guid reReferralId) =>
        previous.Registered() with { ReferralId = reReferralId, Reopened = true, RegisteredAt = previous.At(30) };

    /// <summary>Triage escalated the re-referral under the journey id intake proposed, which was never registered.</summary>
    private static ReferralEscalated EscalatedUnderProposedJourney(JourneyScript previous, Guid reReferralId) =>
        previous.Escalated() with { ReferralId = reReferralId, JourneyId = Guid.NewGuid(), EscalatedAt = previous.At(30, 1) };

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
        var (previous, history) = await ClosedJourneyAsync();

        // The re-referral reopened the previous journey before links existed; triage escalates it later under the journey
        // id intake proposed, which was never registered.
        var reReferralId = Guid.NewGuid();
        var reopened = Reopened(previous, reReferralId);
        history.Add(reopened);
        await _harness.PublishAsync(reopened);
        await _harness.QuietAsync(previous.JourneyId, history);
        await RemoveLinkAsync(reReferralId);

        var notice = EscalatedUnderProposedJourney(previous, reReferralId);
        history.Add(notice);
        await _harness.PublishAsync(notice);
        await _harness.FiledAsync(_receiver, Practice, previous.JourneyId, previous.PersonId, EscalationNotices.Key(previous.JourneyId, notice));
        await _harness.QuietAsync(previous.JourneyId, history);
        await DeliveredOnceOnAsync(previous.JourneyId, notice, reReferralId);
        Assert.Empty(await _harness.DeliveriesAsync(notice.JourneyId));
    }
}
