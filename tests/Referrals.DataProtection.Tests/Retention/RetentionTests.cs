extern alias intake;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.Deploy.Journeys;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing;
using Referrals.Testing.Hosting;

namespace Referrals.DataProtection.Tests.Retention;

/// <summary>Intake in-process on a test clock, with short retention periods, so time can pass a record's period.</summary>
public sealed class RetentionTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Intake:Webhooks:SecretKey"] = "dGVzdC13ZWJob29rLXNpZ25pbmcta2V5LTMyLWJ5dGVzIQ==",
        ["Intake:Programmes:north-leeds:Practices:0"] = "B86001",
        ["Intake:Retention:Referral"] = "10.00:00:00",
        ["Intake:Retention:CareRecord"] = "100.00:00:00",
    };

    private static async Task<IsErased> WaitUntilReadyAsync(ServiceHost<intake::Program> host)
    {
        using var client = host.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "intake did not become ready");
            await Task.Delay(100);
        }

        var store = host.Services.GetRequiredService<DocumentStore>();
        return id => store.IsErasedAsync(id);
    }

    private delegate Task<bool> IsErased(Guid personId);

    [Fact]
    public async Task A_referral_past_its_retention_period_is_shredded_once_on_a_test_clock()
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        await using var schema = await IsolatedPostgresSchema.CreateAsync(infrastructure, "retention");
        await using var vhost = await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "retention");
        // Now, not a fixed date: the referral's consent is dated today and may not be in the clock's future.
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var host = new ServiceHost<intake::Program>(infrastructure, vhost.AmqpUri, schema.SchemaName, clock, settings: Settings);
        var isErased = await WaitUntilReadyAsync(host);
        await using var probe = await MessageProbe.CreateAsync(vhost.AmqpUri, typeof(ReferralSubmitted), typeof(PersonErased));
        await using var bus = await TestBus.StartAsync(vhost.AmqpUri);

        using var referrer = host.ClientFor(Roles.Referrer, (ReferralsClaims.OdsCode, "B86001"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/referrals") { Content = JsonContent.Create(ReferralForms.GpReferral()) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await referrer.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var referralId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("referralId").GetGuid();
        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == referralId);
        // Triage finds the person not eligible: the referral ends, and its retention (10 days for a referral) starts.
        await bus.PublishAsync(new ReferralTriaged(referralId, submitted.JourneyId, submitted.PersonId, submitted.ProgrammeId, false,
            ["Outside the catchment"], "Try the local community hub", 2, [], Tier.LinkWorker, Priority.Routine, false, 1, clock.GetUtcNow())
        {
            Source = new EventSource(Guid.NewGuid(), 1),
        });
        using var officer = host.ClientFor(Roles.DataProtectionOfficer);
        await WaitForAsync(async () => (await referrer.GetFromJsonAsync<JsonElement>($"/referrals/{referralId}"))
            .GetProperty("status").GetString() == "NotEligible", "the referral to end");

        clock.Advance(TimeSpan.FromDays(9));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(await isErased(submitted.PersonId));
        Assert.Empty(probe.All<PersonErased>());

        clock.Advance(TimeSpan.FromDays(2));
        var erased = await probe.WaitForAsync<PersonErased>(m => m.PersonId == submitted.PersonId, TimeSpan.FromSeconds(30));
        Assert.True(await isErased(submitted.PersonId));

        // Later still, and the timer's message delivered again: nothing more happens.
        await bus.PublishAsync(new RetentionPeriodEnded(referralId, submitted.PersonId, "Referral"));
        clock.Advance(TimeSpan.FromDays(400));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(probe.All<PersonErased>(), m => m.PersonId == submitted.PersonId);
        var steps = (await officer.GetFromJsonAsync<JsonElement>($"/people/{submitted.PersonId}/data-protection-audit")).EnumerateArray()
            .Select(s => (Step: s.GetProperty("step").GetString(), Actor: s.GetProperty("actor").GetString())).ToList();
        Assert.Equal([("RetentionPeriodEnded", "retention-policy"), ("ErasureExecuted", "retention-policy")], steps);
        var erasure = await officer.GetFromJsonAsync<JsonElement>($"/erasure-requests/{erased.ErasureRequestId}");
        Assert.Equal(("Retention", "Executed"), (erasure.GetProperty("origin").GetString(), erasure.GetProperty("state").GetString()));
        var status = await referrer.GetFromJsonAsync<JsonElement>($"/referrals/{referralId}");
        Assert.Equal(JsonValueKind.Null, status.TryGetProperty("person", out var person) ? person.ValueKind : JsonValueKind.Null);
    }

    [Fact]
    public async Task A_care_record_whose_period_a_corrected_date_of_birth_moved_past_its_timer_is_checked_again_and_shredded_when_the_new_period_ends()
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        await using var schema = await IsolatedPostgresSchema.CreateAsync(infrastructure, "retention");
        await using var vhost = await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "retention");
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var host = new ServiceHost<intake::Program>(infrastructure, vhost.AmqpUri, schema.SchemaName, clock, settings: Settings);
        var isErased = await WaitUntilReadyAsync(host);
        await using var probe = await MessageProbe.CreateAsync(vhost.AmqpUri, typeof(ReferralSubmitted), typeof(PersonErased));
        await using var bus = await TestBus.StartAsync(vhost.AmqpUri);

        // An adult's referral becomes a care record: triaged, registered, agreed with a link worker, closed. Its timer is
        // set for the end of the care-record period (100 days).
        using var referrer = host.ClientFor(Roles.Referrer, (ReferralsClaims.OdsCode, "B86001"));
        var form = ReferralForms.GpReferral();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/referrals") { Content = JsonContent.Create(form) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var referralId = (await (await referrer.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("referralId").GetGuid();
        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == referralId);
        var (triage, journey, now) = (Guid.NewGuid(), Guid.NewGuid(), clock.GetUtcNow());
        await bus.PublishAsync(new ReferralTriaged(referralId, submitted.JourneyId, submitted.PersonId, submitted.ProgrammeId, true, [], null, 2, [],
            Tier.LinkWorker, Priority.Routine, false, 1, now) { Source = new EventSource(triage, 1) });
        await bus.PublishAsync(new JourneyRegistered(submitted.JourneyId, submitted.PersonId, referralId, submitted.ProgrammeId, submitted.RegisteredPracticeOds,
            submitted.Referrer, submitted.Needs, Tier.LinkWorker, Priority.Routine, true, false, submitted.Consent.SharingScope, now) { Source = new EventSource(journey, 1) });
        await bus.PublishAsync(new PersonAgreedToSocialPrescribing(submitted.JourneyId, submitted.PersonId, submitted.ProgrammeId, 1, "lw-7", now)
        {
            Source = new EventSource(journey, 2),
        });
        await bus.PublishAsync(new JourneyClosed(submitted.JourneyId, submitted.PersonId, submitted.ProgrammeId, ClosureReason.GoalsMet, null, now)
        {
            Source = new EventSource(journey, 3),
        });
        await WaitForAsync(async () => (await referrer.GetFromJsonAsync<JsonElement>($"/referrals/{referralId}"))
            .GetProperty("status").GetString() == "Closed", "the journey to close");

        // The date of birth was wrong: the person was 16 when care ended, so the record is a child's, kept until the 25th
        // birthday. Nothing sets the old timer again.
        var bornOn = DateOnly.FromDateTime(now.UtcDateTime).AddYears(-16).AddDays(-30);
        using var officer = host.ClientFor(Roles.DataProtectionOfficer);
        var person = (JsonObject)form["person"]!.DeepClone();
        person["dateOfBirth"] = bornOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var rectified = await officer.PostAsJsonAsync($"/people/{submitted.PersonId}/rectification", new JsonObject { ["person"] = person });
        Assert.Equal(HttpStatusCode.OK, rectified.StatusCode);

        async Task<List<string?>> StepsAsync() => (await officer.GetFromJsonAsync<JsonElement>($"/people/{submitted.PersonId}/data-protection-audit"))
            .EnumerateArray().Select(s => s.GetProperty("step").GetString()).ToList();
        clock.Advance(TimeSpan.FromDays(101));
        await WaitForAsync(async () => (await StepsAsync()).Contains("RetentionDeferred"), "the old timer to fire and defer");
        Assert.False(await isErased(submitted.PersonId));

        // The deferral set a timer of its own for the new end of the period: a day after the 25th birthday, the person is erased.
        var twentyFifth = new DateTimeOffset(bornOn.AddYears(25).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        clock.Advance(twentyFifth - clock.GetUtcNow() - TimeSpan.FromDays(1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(await isErased(submitted.PersonId));
        clock.Advance(TimeSpan.FromDays(2));
        await probe.WaitForAsync<PersonErased>(m => m.PersonId == submitted.PersonId, TimeSpan.FromSeconds(30));
        Assert.True(await isErased(submitted.PersonId));
        Assert.Equal(["DetailsRectified", "RetentionDeferred", "RetentionPeriodEnded", "ErasureExecuted"], await StepsAsync());
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
