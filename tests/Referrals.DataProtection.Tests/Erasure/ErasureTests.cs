using System.Net;
using System.Text.Json;
using Referrals.Contracts.Intake;
using Referrals.Testing.Hosting;
using static Referrals.DataProtection.Tests.DataProtectionPlatform;

namespace Referrals.DataProtection.Tests.Erasure;

[Collection(PlatformCollection.Name)]
public sealed class ErasureTests(DataProtectionPlatform platform)
{
    private static readonly string[] Services = ["intake", "triage", "support-plan", "gp-records"];

    private Task<System.Text.Json.JsonElement> HeldEverywhereAsync(Person person) =>
        platform.WaitForPackageAsync(person.PersonId, p =>
                Holds(Part(p, "intake"), person.Canary) && Holds(Part(p, "support-plan"), person.Canary) &&
                Holds(Part(p, "gp-records"), person.Canary) && Part(p, "triage").GetProperty("events").GetArrayLength() > 0,
            "the person's data in every service");

    [Fact]
    public async Task An_approved_erasure_leaves_the_canary_in_no_store_and_no_queue_and_other_journeys_are_untouched()
    {
        var person = await platform.ReferAndOpenAsync();
        var other = await platform.ReferAndOpenAsync();
        await platform.RunToClosureAsync(person);
        await platform.Client.JourneyCommandAsync(other.JourneyId, other.Worker, "agreement", null);
        await HeldEverywhereAsync(person);
        await HeldEverywhereAsync(other);
        // A message of each person waits in an error queue, as a failed delivery would leave it.
        await platform.DeadLetterAsync("triage-referral-submitted_error", person.PersonId, $"{{\"message\":{{\"personId\":\"{person.PersonId}\",\"familyName\":\"{person.Canary}\"}}}}");
        await platform.DeadLetterAsync("triage-referral-submitted_error", other.PersonId, $"{{\"message\":{{\"personId\":\"{other.PersonId}\",\"familyName\":\"{other.Canary}\"}}}}");
        Assert.Contains("triage-referral-submitted_error", await platform.QueuesHoldingAsync(person.Canary));

        var requestId = await platform.RequestErasureAsync(person.PersonId, platform.Client.WorkerToken(person.Worker));
        var review = await platform.ReviewAsync(requestId, new { decision = "Approve", reason = "Consent withdrawn; no exemption applies" });
        Assert.Equal("Approved", review.GetProperty("state").GetString());

        var package = await platform.WaitForPackageAsync(person.PersonId,
            p => Services.All(s => Part(p, s).GetProperty("erased").GetBoolean()), "every service to erase the person");
        Assert.DoesNotContain(person.Canary, package.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.All(await platform.KeysDestroyedAsync(person.PersonId), k => Assert.True(k.Value, $"{k.Key} still holds the person's key"));
        Assert.Empty(await platform.TablesHoldingAsync(person.Canary));
        Assert.Empty(await platform.TablesHoldingAsync(person.NhsNumber));
        Assert.Empty(await platform.QueuesHoldingAsync(person.Canary));
        Assert.Equal(["triage-referral-submitted_error"], await platform.QueuesHoldingAsync(other.Canary));

        var (status, request) = await platform.SendAsync(HttpMethod.Get, platform.Platform.Addresses.Intake, $"/erasure-requests/{requestId}", OfficerToken());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Executed", request.GetProperty("state").GetString());
        // The referrer still sees its referral and what became of it, marked erased, naming nobody.
        var (_, referral) = await platform.SendAsync(HttpMethod.Get, platform.Platform.Addresses.Intake, $"/referrals/{person.ReferralId}",
            platform.Client.ReferrerToken(Practice));
        Assert.Equal("Closed", referral.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, referral.GetProperty("personalDataErasedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, referral.GetProperty("person").ValueKind);
        var steps = (await platform.AuditAsync(person.PersonId)).EnumerateArray().Select(s => s.GetProperty("step").GetString()).ToList();
        Assert.Equal(["ErasureRequested", "ErasureApproved", "ErasureExecuted"], steps.Where(s => s!.StartsWith("Erasure", StringComparison.Ordinal)));

        // The other person's journey carries on, with their data intact everywhere.
        var untouched = await platform.SubjectAccessAsync(other.PersonId);
        Assert.All(Services, s => Assert.False(Part(untouched, s).GetProperty("erased").GetBoolean()));
        Assert.True(Holds(Part(untouched, "intake"), other.Canary) && Holds(Part(untouched, "support-plan"), other.Canary) &&
                    Holds(Part(untouched, "gp-records"), other.Canary));
        var journey = await platform.Client.JourneyAsync(other.JourneyId, other.Worker);
        Assert.Contains(other.Canary, journey.GetRawText(), StringComparison.Ordinal);
        await platform.Client.JourneyCommandAsync(other.JourneyId, other.Worker, "contacts",
            new { kind = "FaceToFaceCommunity", outcome = "Attended", durationMinutes = 15, venue = "Library" });
    }

    [Fact]
    public async Task A_replayed_erasure_changes_nothing_in_any_service()
    {
        var person = await platform.ReferAndOpenAsync();
        await HeldEverywhereAsync(person);
        var requestId = await platform.RequestErasureAsync(person.PersonId, platform.Client.ReferrerToken(Practice));
        await platform.ReviewAsync(requestId, new { decision = "Approve", reason = "Objection upheld" });
        var erased = await platform.WaitForPackageAsync(person.PersonId,
            p => Services.All(s => Part(p, s).GetProperty("erased").GetBoolean()), "every service to erase the person");

        // The same erasure again, as a replayed message with a new id would bring it.
        await using (var bus = await TestBus.StartAsync(platform.Platform.VirtualHost.AmqpUri))
        {
            await bus.PublishAsync(new PersonErased(person.PersonId, requestId, DateTimeOffset.UtcNow));
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await platform.SubjectAccessAsync(person.PersonId);
        Assert.All(Services, s => Assert.True(Part(after, s).GetProperty("erased").GetBoolean()));
        // gp-records records the erasure on the patient once; the others only shred again, which changes nothing.
        Assert.Single(Part(after, "gp-records").GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "patient_erased");
        var intakeSteps = (await platform.AuditAsync(person.PersonId)).EnumerateArray().Select(s => s.GetProperty("step").GetString());
        Assert.Single(intakeSteps, s => s == "ErasureExecuted");
        // Nobody failed on the replay: no erasure message waits in an error queue.
        Assert.DoesNotContain(await platform.QueuesHoldingAsync(person.PersonId.ToString()), q => q.EndsWith("_error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_an_officer_reviews_and_a_refused_erasure_records_the_legal_ground_and_erases_nothing()
    {
        var person = await platform.ReferAndOpenAsync();
        await HeldEverywhereAsync(person);
        var requestId = await platform.RequestErasureAsync(person.PersonId, platform.Client.WorkerToken(person.Worker));
        var (byWorker, _) = await platform.SendAsync(HttpMethod.Post, platform.Platform.Addresses.Intake, $"/erasure-requests/{requestId}/review",
            platform.Client.TeamLeadToken(Programme), new { decision = "Approve", reason = "Not mine to decide" });
        Assert.Equal(HttpStatusCode.Forbidden, byWorker);

        var review = await platform.ReviewAsync(requestId,
            new { decision = "Refuse", reason = "Care record within its statutory retention period", legalGround = "LegalObligation" });

        Assert.Equal("Refused", review.GetProperty("state").GetString());
        Assert.Equal("LegalObligation", review.GetProperty("legalGround").GetString());
        var audit = (await platform.AuditAsync(person.PersonId)).EnumerateArray().Last();
        Assert.Equal(("ErasureRefused", "LegalObligation", "dpo-1"),
            (audit.GetProperty("step").GetString(), audit.GetProperty("outcome").GetString(), audit.GetProperty("actor").GetString()));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var package = await platform.SubjectAccessAsync(person.PersonId);
        Assert.All(Services, s => Assert.False(Part(package, s).GetProperty("erased").GetBoolean()));
        Assert.True(Holds(Part(package, "intake"), person.Canary) && Holds(Part(package, "support-plan"), person.Canary) &&
                    Holds(Part(package, "gp-records"), person.Canary));
        Assert.All(await platform.KeysDestroyedAsync(person.PersonId), k => Assert.NotEqual(true, k.Value));

        var (again, _) = await platform.SendAsync(HttpMethod.Post, platform.Platform.Addresses.Intake, $"/erasure-requests/{requestId}/review",
            OfficerToken("dpo-2"), new { decision = "Approve", reason = "Second thoughts" });
        Assert.Equal(HttpStatusCode.Conflict, again);
    }
}
