using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Deploy.Practice;
using Referrals.EventStore;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Tests.Support;
using Referrals.ServiceDefaults.Messaging;
using Referrals.Testing;

namespace Referrals.GpRecords.Tests.Ordering;

/// <summary>
/// HAZ-013 C1 for gp-records. Support-plan's facts and intake's details reach gp-records on separate queues: a fact older
/// than one already recorded (a lower version of the same source stream) is ignored, and a correction of the person's
/// details that arrives before gp-records has recorded the person is retried until it has, then applied.
/// </summary>
public sealed class MessageOrderTests : IAsyncLifetime
{
    private const string Practice = "B82001";

    private PracticeFhirReceiver _receiver = null!;
    private GpRecordsHarness _harness = null!;

    private IDocumentStore Store => _harness.Store;

    /// <summary>
    /// gp-records with the platform's default message retry intervals (MessagingOptions) rather than the short test ones,
    /// so a message that arrives before its prerequisite has the real window in which to be retried, however busy the test
    /// machine is.
    /// </summary>
    public async Task InitializeAsync()
    {
        _receiver = await PracticeFhirReceiver.StartAsync();
        var intervals = MessagingOptions.DefaultRetryIntervalsMilliseconds;
        _harness = await GpRecordsHarness.StartAsync(_receiver, [Practice], settings: Enumerable.Range(0, intervals.Count).ToDictionary(
            i => $"Messaging:RetryIntervalsMilliseconds:{i}", i => (string?)intervals[i].ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<GpJourney?> JourneyAsync(Guid journeyId)
    {
        await using var session = Store.QuerySession();
        return await session.Events.AggregateStreamAsync<GpJourney>(journeyId);
    }

    private async Task<PatientRecord?> PatientAsync(Guid personId)
    {
        await using var session = Store.QuerySession();
        return await session.Events.AggregateStreamAsync<PatientRecord>(personId);
    }

    [Fact]
    public async Task A_what_matters_update_with_a_lower_source_version_than_the_one_recorded_is_ignored()
    {
        var script = new JourneyScript(Practice);
        await _harness.Bus.PublishAsync(script.Submitted());
        await _harness.Bus.PublishAsync(script.Registered() with { Source = new EventSource(script.JourneyId, 1) });
        var current = new WhatMattersRecorded(script.JourneyId, script.PersonId, "Back to the allotment, and sorting out the flat",
            [NeedCategory.LonelinessOrIsolation, NeedCategory.Housing], script.At(4)) { Source = new EventSource(script.JourneyId, 7) };
        await _harness.Bus.PublishAsync(current);
        await Eventually.TrueAsync(async () => (await JourneyAsync(script.JourneyId))?.Facts.ContainsKey("what-matters") == true,
            "the current what-matters to be recorded");

        // An earlier version of what matters (version 5 of the same journey stream) arrives late, e.g. after a retry.
        var stale = await _harness.Bus.PublishAsync(new WhatMattersRecorded(script.JourneyId, script.PersonId, "Back to the allotment",
            [NeedCategory.LonelinessOrIsolation], script.At(2)) { Source = new EventSource(script.JourneyId, 5) });
        await Inbox.WaitUntilAppliedAsync(_harness.SchemaName, stale);

        var recorded = Assert.IsType<WhatMattersRecorded>((await JourneyAsync(script.JourneyId))!.Facts["what-matters"]);
        Assert.Equal(new EventSource(script.JourneyId, 7), recorded.Source);
        Assert.Equal([NeedCategory.LonelinessOrIsolation, NeedCategory.Housing], recorded.Needs);
        Assert.Equal(current.WhatMatters, recorded.WhatMatters);
    }

    [Fact]
    public async Task Details_rectified_before_gp_records_has_recorded_the_person_are_applied_once_it_has()
    {
        var script = new JourneyScript(Practice);
        var submitted = script.Submitted();
        var corrected = submitted.Person! with { GivenName = "Alexandra", Phone = "07700 900123" };
        var rectification = await _harness.Bus.PublishAsync(new PersonDetailsRectified(script.PersonId, corrected, "dpo-1", script.At(3))
        {
            Source = new EventSource(Guid.NewGuid(), 2),
        });

        // The correction overtook the referral: it is tried, cannot be applied, and is not claimed as done.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Null(await PatientAsync(script.PersonId));
        Assert.False(await Inbox.HasAppliedAsync(_harness.SchemaName, rectification));

        await _harness.Bus.PublishAsync(submitted);

        await Eventually.TrueAsync(async () => (await PatientAsync(script.PersonId))?.Details?.GivenName == "Alexandra",
            "the correction to be retried and applied once the person is recorded", TimeSpan.FromSeconds(30));
        var patient = (await PatientAsync(script.PersonId))!;
        Assert.Equal("07700 900123", patient.Details!.Phone);
        Assert.Equal(Practice, patient.RegisteredPracticeOds);
        Assert.True(await Inbox.HasAppliedAsync(_harness.SchemaName, rectification));
    }

    [Fact]
    public async Task A_correction_that_overtook_the_referral_by_longer_than_the_in_process_retries_waits_and_is_applied_once_the_referral_arrives()
    {
        // The test hosts' short retries (under 4 s) and a one-second wait between rounds, so the correction has spent its
        // retries long before the referral comes: before the waiting queue, it failed into the error queue here.
        await using var harness = await GpRecordsHarness.StartAsync(_receiver, [Practice]);
        var script = new JourneyScript(Practice);
        var submitted = script.Submitted();
        var corrected = submitted.Person! with { GivenName = "Alexandra" };
        var rectification = await harness.Bus.PublishAsync(new PersonDetailsRectified(script.PersonId, corrected, "dpo-1", script.At(3))
        {
            Source = new EventSource(Guid.NewGuid(), 2),
        });

        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.False(await Inbox.HasAppliedAsync(harness.SchemaName, rectification));
        await harness.Bus.PublishAsync(submitted);

        await Eventually.TrueAsync(async () =>
            {
                await using var session = harness.Store.QuerySession();
                return (await session.Events.AggregateStreamAsync<PatientRecord>(script.PersonId))?.Details?.GivenName == "Alexandra";
            },
            "the waiting correction to come back and be applied once the person is recorded", TimeSpan.FromSeconds(30));
        Assert.True(await Inbox.HasAppliedAsync(harness.SchemaName, rectification));
    }
}
