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
public sealed class EscalationNoticeJourneyTests : PracticeDeliveryTest
{
    private const string Practice = "B82011";

    protected override Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver) =>
        GpRecordsHarness.StartAsync(receiver, [Practice]);

    private Task HeldAsync(Guid journeyId, Guid personId, string key) => Harness.FiledAsync(Receiver, Practice, journeyId, personId, key);

    /// <summary>The notice reached the practice in exactly one transaction, is one fact of the journey, and nothing was recorded under the proposed id.</summary>
    private async Task DeliveredOnceAsync(Guid journeyId, ReferralEscalated notice)
    {
        Assert.Single(Receiver.Transactions, t => t.Sent.Contains(EscalationNotices.Key(journeyId, notice)));
        Assert.DoesNotContain(Receiver.Transactions, t => t.Sent.Contains(EscalationNotices.Key(notice.JourneyId, notice)));
        await using var session = Harness.Store.QuerySession();
        var journey = await session.Events.AggregateStreamAsync<GpJourney>(journeyId);
        var recorded = Assert.Single(journey!.All<ReferralEscalated>());
        Assert.Equal(journeyId, recorded.JourneyId);
        Assert.Null(await session.Events.AggregateStreamAsync<GpJourney>(notice.JourneyId));
        Assert.Empty(await Harness.DeliveriesAsync(notice.JourneyId));
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
        await Harness.PublishAsync(reopened, notice);

        await HeldAsync(previous.JourneyId, previous.PersonId, EscalationNotices.Key(previous.JourneyId, notice));
        await Harness.QuietAsync(previous.JourneyId, history);
        await DeliveredOnceAsync(previous.JourneyId, notice);
    }

    [Fact]
    public async Task A_notice_held_before_its_referral_is_registered_under_another_journey_id_reaches_the_practice_once_it_is_and_redeliveries_add_nothing()
    {
        var script = new JourneyScript(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");
        var registration = script.Registered() with { JourneyId = Guid.NewGuid() };
        var notice = script.Escalated();
        var noticeMessage = await Harness.PublishOneAsync(notice);
        await Harness.PublishAsync(script.Submitted());
        await Harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), [noticeMessage]);
        await Task.Delay(300);
        Assert.Empty(Receiver.Transactions);

        await Harness.PublishAsync(registration);
        await HeldAsync(registration.JourneyId, script.PersonId, EscalationNotices.Key(registration.JourneyId, notice));
        await Harness.QuietAsync(registration.JourneyId, [script.Submitted(), registration, notice]);

        var noticeAgain = await Harness.PublishOneAsync(notice);
        var registrationAgain = await Harness.PublishOneAsync(registration);
        await Harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), [noticeAgain]);
        await Harness.ClaimedAsync(nameof(JourneyRegisteredConsumer), [registrationAgain]);
        await Task.Delay(300);
        await Harness.QuietAsync(registration.JourneyId, [script.Submitted(), registration, notice]);
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
        await Harness.PublishAsync(history);
        await Harness.QuietAsync(previous.JourneyId, history);
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
        await using var command = new Npgsql.NpgsqlCommand($"delete from {Harness.SchemaName}.mt_streams where id = $1", connection);
        command.Parameters.AddWithValue(ResourceIds.ReferralJourney(referralId));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task DeliveredOnceOnAsync(Guid journeyId, ReferralEscalated notice, Guid referralId)
    {
        Assert.Single(Receiver.Transactions, t => t.Sent.Contains(EscalationNotices.Key(journeyId, notice)));
        await using var session = Harness.Store.QuerySession();
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
        await Harness.PublishAsync(history);
        await Harness.QuietAsync(script.JourneyId, history);
        await RemoveLinkAsync(script.ReferralId);

        var notice = script.Escalated();
        history.Add(notice);
        await Harness.PublishAsync(notice);
        await Harness.FiledAsync(Receiver, Practice, script.JourneyId, script.PersonId, EscalationNotices.Key(script.JourneyId, notice));
        await Harness.QuietAsync(script.JourneyId, history);

        var again = await Harness.PublishOneAsync(notice);
        await Harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), [again]);
        await Harness.QuietAsync(script.JourneyId, history);
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
        await Harness.PublishAsync(reopened);
        await Harness.QuietAsync(previous.JourneyId, history);
        await RemoveLinkAsync(reReferralId);

        var notice = EscalatedUnderProposedJourney(previous, reReferralId);
        history.Add(notice);
        await Harness.PublishAsync(notice);
        await Harness.FiledAsync(Receiver, Practice, previous.JourneyId, previous.PersonId, EscalationNotices.Key(previous.JourneyId, notice));
        await Harness.QuietAsync(previous.JourneyId, history);
        await DeliveredOnceOnAsync(previous.JourneyId, notice, reReferralId);
        Assert.Empty(await Harness.DeliveriesAsync(notice.JourneyId));
    }
}
