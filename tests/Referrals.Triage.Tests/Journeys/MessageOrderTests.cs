using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.Testing;
using Referrals.Triage.Referrals;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.Journeys;

/// <summary>
/// Triage with the retry intervals it runs with in production (appsettings.json), so a message that arrives before its
/// prerequisite has the real window in which to be retried, however busy the test machine is.
/// </summary>
public sealed class ProductionRetryHost : IAsyncLifetime
{
    public TriageHost Triage { get; private set; } = null!;

    public async Task InitializeAsync() => Triage = await TriageHost.StartAsync(prefix: "triage_order", settings: new Dictionary<string, string?>
    {
        ["Messaging:RetryIntervalsMilliseconds:0"] = "100",
        ["Messaging:RetryIntervalsMilliseconds:1"] = "500",
        ["Messaging:RetryIntervalsMilliseconds:2"] = "1000",
        ["Messaging:RetryIntervalsMilliseconds:3"] = "2000",
        ["Messaging:RetryIntervalsMilliseconds:4"] = "5000",
        ["Messaging:RetryIntervalsMilliseconds:5"] = "10000",
    });

    public async Task DisposeAsync() => await Triage.DisposeAsync();
}

/// <summary>
/// HAZ-013 C1 for triage. Support-plan's and intake's messages reach triage on separate queues, so a message can arrive
/// before the one it depends on (it is retried until that one is in) or after a later one from the same source stream
/// (it must not undo or misapply it). Every message here carries the source stream and version the relay would give it.
/// </summary>
public sealed class MessageOrderTests(ProductionRetryHost host) : IClassFixture<ProductionRetryHost>
{
    /// <summary>Long enough for the early message's first attempts to have failed, well inside the retry window.</summary>
    private static readonly TimeSpan EarlyMessageHasBeenTried = TimeSpan.FromSeconds(1);

    private TriageHost Triage => host.Triage;

    private static JourneyRegistered Registered(ReferralSubmitted s, Guid journeyId, long version, bool reopened = false) =>
        new(journeyId, s.PersonId, s.ReferralId, s.ProgrammeId, s.RegisteredPracticeOds, s.Referrer, s.Needs, Tier.LinkWorker, Priority.Routine,
            true, false, ConsentScope.Full, DateTimeOffset.UtcNow)
        {
            Reopened = reopened,
            Source = new EventSource(journeyId, version),
        };

    private static JourneyClosed Closed(ReferralSubmitted s, Guid journeyId, long version) =>
        new(journeyId, s.PersonId, s.ProgrammeId, ClosureReason.GoalsMet, null, DateTimeOffset.UtcNow) { Source = new EventSource(journeyId, version) };

    private static ContactRecorded Contact(ReferralSubmitted s, Guid journeyId, long version) =>
        new(journeyId, s.PersonId, Guid.NewGuid(), ContactKind.Phone, ContactOutcome.Attended, 20, "sos-1", DateTimeOffset.UtcNow)
        {
            Source = new EventSource(journeyId, version),
        };

    private async Task<Referral?> ReferralAsync(Guid referralId)
    {
        await using var session = Triage.Store.QuerySession();
        return await session.LoadAsync<Referral>(referralId);
    }

    /// <summary>A person referred, registered by support-plan on their journey (version 1), then re-referred in the window.</summary>
    private async Task<(ReferralSubmitted First, ReferralSubmitted Second, Guid Journey)> ReReferredAsync()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var first = Fixtures.Referral(programme.ProgrammeId, "F11001");
        await Triage.PublishAndWaitAsync<ReferralAssigned>(first, a => a.ReferralId == first.ReferralId);
        var journey = first.JourneyId;
        await Triage.PublishAsync(Registered(first, journey, version: 1));
        await TriageHost.EventuallyAsync(async () => (await ReferralAsync(first.ReferralId))?.RegisteredJourneyId == journey,
            because: "the first referral should be linked to its journey");

        var second = Fixtures.Referral(programme.ProgrammeId, "F11001", previousJourneyId: journey) with { PersonId = first.PersonId };
        await Triage.PublishAndWaitAsync<ReferralAssigned>(second, a => a.ReferralId == second.ReferralId);
        return (first, second, journey);
    }

    [Fact]
    public async Task A_journey_registered_before_its_referral_is_triaged_is_linked_once_triage_has_it()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "F11002");
        var registration = await Triage.PublishAsync(Registered(submitted, submitted.JourneyId, version: 1));

        // The registration overtook the submission: it is tried, cannot be applied, and is not claimed as done.
        await Task.Delay(EarlyMessageHasBeenTried);
        Assert.Null(await ReferralAsync(submitted.ReferralId));
        Assert.False(await Inbox.HasAppliedAsync(Triage.Schema.SchemaName, registration));

        await Triage.PublishAndWaitAsync<ReferralAssigned>(submitted, a => a.ReferralId == submitted.ReferralId);

        await TriageHost.EventuallyAsync(async () => (await ReferralAsync(submitted.ReferralId))?.RegisteredJourneyId == submitted.JourneyId,
            because: "the registration should be retried and applied once the referral is triaged");
        Assert.True(await Inbox.HasAppliedAsync(Triage.Schema.SchemaName, registration));
    }

    [Fact]
    public async Task A_withdrawal_that_arrives_before_its_referral_is_triaged_is_applied_once_triage_has_it()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "F11003");
        var withdrawal = await Triage.PublishAsync(new ReferralWithdrawn(submitted.ReferralId, submitted.JourneyId, submitted.PersonId, "Moved away.",
            DateTimeOffset.UtcNow) { Source = new EventSource(submitted.ReferralId, 2) });

        await Task.Delay(EarlyMessageHasBeenTried);
        Assert.Null(await ReferralAsync(submitted.ReferralId));
        Assert.False(await Inbox.HasAppliedAsync(Triage.Schema.SchemaName, withdrawal));

        await Triage.PublishAsync(submitted);

        await TriageHost.EventuallyAsync(async () => (await ReferralAsync(submitted.ReferralId))?.Status == ReferralStatus.Withdrawn,
            because: "the withdrawal should be retried and applied once the referral is triaged");
        var referral = (await ReferralAsync(submitted.ReferralId))!;
        Assert.NotNull(referral.WithdrawnAt);
        Assert.Null(referral.AssignedWorkerId);
    }

    [Fact]
    public async Task A_closure_that_arrives_before_the_journey_is_known_to_triage_is_applied_once_it_is()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "F11004");
        var closure = await Triage.PublishAsync(Closed(submitted, submitted.JourneyId, version: 3));

        await Task.Delay(EarlyMessageHasBeenTried);
        Assert.Null(await ReferralAsync(submitted.ReferralId));
        Assert.False(await Inbox.HasAppliedAsync(Triage.Schema.SchemaName, closure));

        await Triage.PublishAndWaitAsync<ReferralAssigned>(submitted, a => a.ReferralId == submitted.ReferralId);

        await TriageHost.EventuallyAsync(async () => (await ReferralAsync(submitted.ReferralId))?.Status == ReferralStatus.Closed,
            because: "the closure should be retried and applied once the referral is triaged");
        Assert.Null((await ReferralAsync(submitted.ReferralId))!.AssignedWorkerId);
    }

    [Fact]
    public async Task A_closure_of_the_earlier_episode_arriving_after_the_journey_was_reopened_closes_the_earlier_referral_not_the_new_one()
    {
        var (first, second, journey) = await ReReferredAsync();
        // Support-plan closed the journey (version 8), then reopened it for the re-referral (version 10). Triage's closure
        // queue lags: the reopening is applied first, and the closure (a lower version of the same stream) comes after.
        await Triage.PublishAsync(Registered(second, journey, version: 10, reopened: true));
        await TriageHost.EventuallyAsync(async () => (await ReferralAsync(second.ReferralId))?.RegisteredJourneyId == journey,
            because: "the re-referral should be linked to the reopened journey");

        await Triage.PublishAsync(Closed(first, journey, version: 8));

        await TriageHost.EventuallyAsync(async () =>
                (await ReferralAsync(first.ReferralId))?.ClosedAt is not null || (await ReferralAsync(second.ReferralId))?.ClosedAt is not null,
            because: "the late closure should be applied to one of the referrals");
        Assert.Equal(ReferralStatus.Closed, (await ReferralAsync(first.ReferralId))!.Status);
        var reopened = (await ReferralAsync(second.ReferralId))!;
        Assert.Null(reopened.ClosedAt);
        Assert.Equal(ReferralStatus.Offered, reopened.Status);
        Assert.NotNull(reopened.AssignedWorkerId);

        // The reopened episode's own closure (a later version) still closes the re-referral.
        await Triage.PublishAsync(Closed(second, journey, version: 14));
        await TriageHost.EventuallyAsync(async () => (await ReferralAsync(second.ReferralId))?.Status == ReferralStatus.Closed,
            because: "the reopened episode's closure should close the re-referral");
    }

    [Fact]
    public async Task A_contact_of_the_earlier_episode_arriving_after_the_journey_was_reopened_does_not_meet_the_new_referrals_first_contact()
    {
        var (first, second, journey) = await ReReferredAsync();
        await Triage.PublishAsync(Closed(first, journey, version: 8));
        await TriageHost.EventuallyAsync(async () => (await ReferralAsync(first.ReferralId))?.Status == ReferralStatus.Closed,
            because: "the first episode's closure");
        await Triage.PublishAsync(Registered(second, journey, version: 10, reopened: true));
        await TriageHost.EventuallyAsync(async () => (await ReferralAsync(second.ReferralId))?.RegisteredJourneyId == journey,
            because: "the re-referral should be linked to the reopened journey");

        // A contact recorded in the first episode (version 5) reaches triage only now.
        await Triage.PublishAsync(Contact(first, journey, version: 5));

        await TriageHost.EventuallyAsync(async () =>
                (await ReferralAsync(first.ReferralId))?.FirstContactAt is not null || (await ReferralAsync(second.ReferralId))?.FirstContactAt is not null,
            because: "the late contact should be applied to one of the referrals");
        Assert.NotNull((await ReferralAsync(first.ReferralId))!.FirstContactAt);
        var reopened = (await ReferralAsync(second.ReferralId))!;
        Assert.Null(reopened.FirstContactAt);
        Assert.NotNull(reopened.ServiceLevelDueAt);
    }
}
