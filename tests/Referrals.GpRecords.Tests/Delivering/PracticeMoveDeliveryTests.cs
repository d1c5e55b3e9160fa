using System.Net;
using System.Text.Json.Nodes;
using Referrals.Contracts.GpRecords;
using Referrals.Contracts.Intake;
using Referrals.Deploy.Practice;
using Referrals.Fhir;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>The person registers with another practice mid-journey (HAZ-004 C4): what is not yet sent, and everything later, goes there.</summary>
public sealed class PracticeMoveDeliveryTests : PracticeDeliveryTest
{
    private const string OldPractice = "G81001";
    private const string NewPractice = "H82002";
    private const string Unreachable = "J83003";
    private readonly TestClock _clock = new();

    protected override Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver) =>
        GpRecordsHarness.StartAsync(receiver, [OldPractice, NewPractice], _clock, [1_000, 2_000, 4_000]);

    private Task HeldAsync(string practice, params string[] keys) =>
        Eventually.TrueAsync(() => Task.FromResult(keys.All(k => Receiver.StoreBySenderIdOf(practice).ContainsKey(k))), string.Join(", ", keys) + " at " + practice);

    private int SentTo(string practice, JourneyScript script) =>
        Receiver.Transactions.Count(t => t.Practice == practice && t.BundleJson.Contains(script.NhsNumber, StringComparison.Ordinal));

    private static RegisteredPracticeChanged Moved(JourneyScript script, string practice) =>
        new(script.PersonId, practice, "team-lead-1", script.At(1, 12));

    [Fact]
    public async Task After_the_person_moves_later_entries_go_to_the_new_practice_only_and_it_reads_the_whole_journey()
    {
        var script = new JourneyScript(OldPractice);
        await Harness.PublishAsync(script.Submitted(), script.Registered());
        var serviceRequest = "ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId);
        await HeldAsync(OldPractice, serviceRequest);
        await Harness.QuietAsync(script.JourneyId, [script.Registered()], _clock);
        var sentBefore = SentTo(OldPractice, script);

        // The move and the later facts come on queues of their own and can overtake each other; what is asserted here is
        // where entries go once the move is known (facts produced before it went, rightly, to the practice then known).
        var move = await Harness.PublishOneAsync(Moved(script, NewPractice));
        await Harness.ClaimedAsync(nameof(RegisteredPracticeChangedConsumer), [move]);
        await Harness.PublishAsync(script.Opened(), script.Agreed());
        var agreement = "Procedure/" + ResourceIds.AgreementProcedure(script.JourneyId, script.ReferralId);
        await HeldAsync(NewPractice, agreement);
        await Harness.QuietAsync(script.JourneyId, [script.Registered(), script.Opened(), script.Agreed()], _clock);

        Assert.Equal(sentBefore, SentTo(OldPractice, script));
        Assert.DoesNotContain(agreement, Receiver.StoreBySenderIdOf(OldPractice).Keys);
        var patient = Assert.Single(Receiver.StoreBySenderIdOf(NewPractice), r => r.Key.StartsWith("Patient/", StringComparison.Ordinal));
        Assert.Contains(NewPractice, JsonNode.Parse(patient.Value.Json)!["generalPractitioner"]!.ToJsonString(), StringComparison.Ordinal);
        var told = await Harness.Probe.WaitForAsync<GpMessageSent>(m => m.JourneyId == script.JourneyId && m.Kind == JourneyRecordMapper.AgreementMessage);
        Assert.Equal(NewPractice, told.PracticeOds);
        foreach (var transaction in Receiver.Transactions)
        {
            Emitted.AssertValid(transaction.BundleJson);
        }

        // The FHIR API follows the person too: the new practice reads the journey, including what went to the old one.
        var patientId = ResourceIds.Patient(script.PersonId);
        using var now = Harness.Host.ClientFor(Roles.ClinicalSystem, (ReferralsClaims.OdsCode, NewPractice));
        var everything = JsonNode.Parse(await now.GetStringAsync($"/fhir/Patient/{patientId}/$everything"))!;
        var ids = everything["entry"]!.AsArray().Select(e => e!["resource"]!["resourceType"]!.GetValue<string>() + "/" + e["resource"]!["id"]!.GetValue<string>());
        Assert.Contains(serviceRequest, ids);
        Assert.Contains(serviceRequest, await SearchAsync(now, "ServiceRequest"));
        using var before = Harness.Host.ClientFor(Roles.ClinicalSystem, (ReferralsClaims.OdsCode, OldPractice));
        Assert.Equal(HttpStatusCode.NotFound, (await before.GetAsync($"/fhir/Patient/{patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await before.GetAsync("/fhir/" + serviceRequest)).StatusCode);
        Assert.DoesNotContain(serviceRequest, await SearchAsync(before, "ServiceRequest"));
    }

    [Fact]
    public async Task After_a_move_the_new_practice_is_sent_every_resource_its_entries_refer_to()
    {
        var script = new JourneyScript(OldPractice);
        object[] first = [script.Submitted(), script.Registered()];
        await Harness.PublishAsync(first);
        await Harness.QuietAsync(script.JourneyId, first, _clock);

        var move = await Harness.PublishOneAsync(Moved(script, NewPractice));
        await Harness.ClaimedAsync(nameof(RegisteredPracticeChangedConsumer), [move]);
        object[] later = [script.Opened(), script.Agreed(), script.Contact()];
        await Harness.PublishAsync(later);
        await Harness.QuietAsync(script.JourneyId, [.. first, .. later], _clock);

        var sent = Receiver.StoreBySenderIdOf(NewPractice);
        Assert.Contains("Encounter/" + ResourceIds.Encounter(script.JourneyId, script.ContactId), sent.Keys);
        Assert.Contains("ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId), sent.Keys);
        // References resolve to the ids the practice assigned. Documents are left out: what their own entries refer to is theirs to hold.
        var store = Receiver.StoreOf(NewPractice);
        var dangling = store.Where(r => !r.Key.StartsWith("Bundle/", StringComparison.Ordinal))
            .SelectMany(r => References(JsonNode.Parse(r.Value.Json)).Select(reference => (r.Key, reference)))
            .Where(x => System.Text.RegularExpressions.Regex.IsMatch(x.reference, "^[A-Za-z]+/[^/]+$") && !store.ContainsKey(x.reference))
            .Select(x => x.Key + " -> " + x.reference);
        Assert.Empty(dangling);
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "reference" && p.Value is JsonValue v && v.TryGetValue<string>(out var r) ? [r] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };

    [Fact]
    public async Task A_later_referral_naming_another_practice_moves_nothing_the_named_practice_reads_nothing_and_entries_still_go_to_the_registered_one()
    {
        var script = new JourneyScript(OldPractice);
        await Harness.PublishAsync(script.Submitted(), script.Registered());
        await HeldAsync(OldPractice, "ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId));

        // Another referral for the same person (another programme), naming another practice, as intake publishes it. Its
        // newer phone number is recorded; its practice is not, and the difference is counted for the team to check.
        var programme = "programme-" + Guid.NewGuid().ToString("N");
        using var differs = new CounterProbe("referrals.gp_referral_practice_differs", programme);
        var other = await Harness.PublishOneAsync(script.Submitted() with
        {
            ReferralId = Guid.CreateVersion7(), JourneyId = Guid.CreateVersion7(), ProgrammeId = programme, RegisteredPracticeOds = NewPractice,
            Person = script.Submitted().Person! with { Phone = "07700 900123" }, SubmittedAt = script.At(1, 12),
        });
        await Harness.ClaimedAsync(nameof(ReferralSubmittedConsumer), [other]);
        await Eventually.TrueAsync(() => Task.FromResult(differs.Total == 1), "the differing practice to be counted");

        await Harness.PublishAsync(script.Opened(), script.Agreed());
        var agreement = "Procedure/" + ResourceIds.AgreementProcedure(script.JourneyId, script.ReferralId);
        await HeldAsync(OldPractice, agreement);
        await Harness.QuietAsync(script.JourneyId, [script.Registered(), script.Opened(), script.Agreed()], _clock);
        Assert.Equal(0, SentTo(NewPractice, script));

        var patientId = ResourceIds.Patient(script.PersonId);
        using var named = Harness.Host.ClientFor(Roles.ClinicalSystem, (ReferralsClaims.OdsCode, NewPractice));
        Assert.Equal(HttpStatusCode.NotFound, (await named.GetAsync($"/fhir/Patient/{patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await named.GetAsync($"/fhir/Patient/{patientId}/$everything")).StatusCode);
        var search = JsonNode.Parse(await named.GetStringAsync($"/fhir/Patient?identifier={FhirSystems.NhsNumber}|{script.NhsNumber}"))!;
        Assert.Equal(0, search["total"]!.GetValue<int>());
        using var registered = Harness.Host.ClientFor(Roles.ClinicalSystem, (ReferralsClaims.OdsCode, OldPractice));
        Assert.Equal(HttpStatusCode.OK, (await registered.GetAsync($"/fhir/Patient/{patientId}")).StatusCode);
        var patient = (await PatientAsync(script))!;
        Assert.Equal(("07700 900123", OldPractice), (patient.Details!.Phone, patient.RegisteredPracticeOds));
    }

    /// <summary>The ids a practice-wide search (no patient) finds.</summary>
    private static async Task<IReadOnlyList<string>> SearchAsync(HttpClient client, string type) =>
        [.. (JsonNode.Parse(await client.GetStringAsync("/fhir/" + type))!["entry"]?.AsArray() ?? [])
            .Select(e => e!["resource"]!["resourceType"]!.GetValue<string>() + "/" + e["resource"]!["id"]!.GetValue<string>())];

    [Fact]
    public async Task A_correction_recorded_before_an_earlier_move_leaves_the_person_at_the_new_practice()
    {
        var script = new JourneyScript(OldPractice);
        await Harness.PublishAsync(script.Submitted());
        await Eventually.TrueAsync(async () => await PatientAsync(script) is not null, "the person to be recorded");
        var correction = await Harness.PublishOneAsync(new PersonDetailsRectified(script.PersonId, script.Submitted().Person! with { Phone = "07700 900123" },
            "dpo-1", script.At(3)));
        await Harness.ClaimedAsync(nameof(PersonDetailsRectifiedConsumer), [correction]);

        var move = await Harness.PublishOneAsync(Moved(script, NewPractice));
        await Harness.ClaimedAsync(nameof(RegisteredPracticeChangedConsumer), [move]);

        var patient = (await PatientAsync(script))!;
        Assert.Equal(("07700 900123", NewPractice), (patient.Details!.Phone, patient.RegisteredPracticeOds));
    }

    private async Task<PatientRecord?> PatientAsync(JourneyScript script)
    {
        await using var session = Harness.Store.QuerySession();
        return await session.Events.AggregateStreamAsync<PatientRecord>(script.PersonId);
    }

    /// <summary>A journey whose first delivery is retrying at a practice with no endpoint when the person moves to the new practice.</summary>
    private async Task<JourneyScript> MoveWhileTheFirstDeliveryRetriesAsync()
    {
        var script = new JourneyScript(Unreachable);
        await Harness.PublishAsync(script.Submitted(), script.Registered());
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)).FirstOrDefault() is { State: DeliveryState.Retrying },
            "the first delivery to be retrying at a practice with no endpoint");

        var move = await Harness.PublishOneAsync(Moved(script, NewPractice));
        await Harness.ClaimedAsync(nameof(RegisteredPracticeChangedConsumer), [move]);
        return script;
    }

    [Fact]
    public async Task A_delivery_retrying_at_the_old_practice_when_the_person_moves_is_superseded_by_the_whole_journey_sent_to_the_new_one()
    {
        var script = await MoveWhileTheFirstDeliveryRetriesAsync();
        await Eventually.TrueAsync(async () =>
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            var all = await Harness.DeliveriesAsync(script.JourneyId);
            return all.Count == 2 && all.All(d => d.State is DeliveryState.Filed or DeliveryState.Withheld);
        }, "the retrying delivery to be superseded, and the one after it filed");

        // The move's production carries every resource of the journey, so the retrying delivery is not sent on its own.
        var deliveries = await Harness.DeliveriesAsync(script.JourneyId);
        Assert.Equal([DeliveryState.Withheld, DeliveryState.Filed], deliveries.Select(d => d.State));
        Assert.Equal(NewPractice, deliveries[1].PracticeOds);
        Assert.Contains("ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId), Receiver.StoreBySenderIdOf(NewPractice).Keys);
        var accepted = await Harness.Probe.WaitForAsync<GpRecordDeliveryAccepted>(a => a.JourneyId == script.JourneyId);
        Assert.Equal(NewPractice, accepted.PracticeOds);
    }

    [Fact]
    public async Task A_delivery_retrying_when_the_person_moves_is_withheld_in_the_moves_own_transaction_before_anything_is_queued_for_the_new_practice()
    {
        var script = await MoveWhileTheFirstDeliveryRetriesAsync();
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)) is [{ State: DeliveryState.Withheld }, { State: DeliveryState.Filed }],
            "the retrying delivery to be withheld, and the complete one filed at the new practice");

        // Withheld before the complete delivery was queued: no step in between (a due retry) could send it alone to the new practice.
        await Harness.AssertSupersededBeforeTheCompleteDeliveryAsync(script.JourneyId);
    }

    [Fact]
    public async Task A_delivery_parked_at_the_practice_the_person_left_does_not_hold_back_the_whole_journey_sent_to_the_new_one()
    {
        var script = new JourneyScript(OldPractice);
        await Harness.PublishAsync(script.Submitted(), script.Registered());
        await Harness.QuietAsync(script.JourneyId, [script.Registered()], _clock);

        // The old practice rejects the next delivery (the person has just deregistered there): parked.
        Receiver.RejectWhen = json => json.Contains(script.NhsNumber, StringComparison.Ordinal);
        await Harness.PublishAsync(script.Opened());
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)) is [_, { State: DeliveryState.Parked }],
            "the second delivery to be parked at the old practice");
        Receiver.RejectWhen = null;

        var move = await Harness.PublishOneAsync(Moved(script, NewPractice));
        await Harness.ClaimedAsync(nameof(RegisteredPracticeChangedConsumer), [move]);
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)) is [_, { State: DeliveryState.Withheld }, { State: DeliveryState.Filed }],
            "the parked delivery to be superseded and the whole journey filed at the new practice, with no replay");

        Assert.Equal(NewPractice, (await Harness.DeliveriesAsync(script.JourneyId))[2].PracticeOds);
        Assert.Contains("ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId), Receiver.StoreBySenderIdOf(NewPractice).Keys);
    }
}
