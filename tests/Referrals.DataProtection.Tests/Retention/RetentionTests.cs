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

    /// <summary>Intake on its own schema and virtual host, a test clock, a referrer and a data protection officer.</summary>
    private sealed class IntakeOnTestClock : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _owned = [];

        // Now, not a fixed date: a referral's consent is dated today and may not be in the clock's future.
        public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

        public MessageProbe Probe { get; private set; } = null!;

        public TestBus Bus { get; private set; } = null!;

        public HttpClient Referrer { get; private set; } = null!;

        public HttpClient Officer { get; private set; } = null!;

        private DocumentStore Store { get; set; } = null!;

        public static async Task<IntakeOnTestClock> StartAsync()
        {
            var intake = new IntakeOnTestClock();
            try
            {
                await intake.StartCoreAsync();
                return intake;
            }
            catch
            {
                await intake.DisposeAsync();
                throw;
            }
        }

        private async Task StartCoreAsync()
        {
            var infrastructure = await TestInfrastructure.EnsureStartedAsync();
            var schema = Own(await IsolatedPostgresSchema.CreateAsync(infrastructure, "retention"));
            var vhost = Own(await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "retention"));
            var host = Own(new ServiceHost<intake::Program>(infrastructure, vhost.AmqpUri, schema.SchemaName, Clock, settings: Settings));
            using (var client = host.CreateClient())
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while ((await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
                {
                    Assert.True(DateTime.UtcNow < deadline, "intake did not become ready");
                    await Task.Delay(100);
                }
            }

            Store = host.Services.GetRequiredService<DocumentStore>();
            Probe = Own(await MessageProbe.CreateAsync(vhost.AmqpUri, typeof(ReferralSubmitted), typeof(PersonErased)));
            Bus = Own(await TestBus.StartAsync(vhost.AmqpUri));
            Referrer = host.ClientFor(Roles.Referrer, (ReferralsClaims.OdsCode, "B86001"));
            Officer = host.ClientFor(Roles.DataProtectionOfficer);
        }

        private T Own<T>(T disposable) where T : IAsyncDisposable
        {
            _owned.Add(disposable);
            return disposable;
        }

        public async Task<ReferralSubmitted> SubmitAsync(JsonObject form)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/referrals") { Content = JsonContent.Create(form) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            var response = await Referrer.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var referralId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("referralId").GetGuid();
            return await Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == referralId);
        }

        public Task WaitForStatusAsync(Guid referralId, string status) =>
            WaitForAsync(async () => (await Referrer.GetFromJsonAsync<JsonElement>($"/referrals/{referralId}")).GetProperty("status").GetString() == status,
                $"the referral to be {status}");

        public async Task<List<(string? Step, string? Actor)>> AuditAsync(Guid personId) =>
            (await Officer.GetFromJsonAsync<JsonElement>($"/people/{personId}/data-protection-audit")).EnumerateArray()
            .Select(s => (s.GetProperty("step").GetString(), s.GetProperty("actor").GetString())).ToList();

        public Task<bool> IsErasedAsync(Guid personId) => Store.IsErasedAsync(personId);

        public async ValueTask DisposeAsync()
        {
            Referrer?.Dispose();
            Officer?.Dispose();
            for (var i = _owned.Count - 1; i >= 0; i--)
            {
                await _owned[i].DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_referral_past_its_retention_period_is_shredded_once_on_a_test_clock()
    {
        await using var intake = await IntakeOnTestClock.StartAsync();
        var submitted = await intake.SubmitAsync(ReferralForms.GpReferral());
        var referralId = submitted.ReferralId;
        // Triage finds the person not eligible: the referral ends, and its retention (10 days for a referral) starts.
        await intake.Bus.PublishAsync(new ReferralTriaged(referralId, submitted.JourneyId, submitted.PersonId, submitted.ProgrammeId, false,
            ["Outside the catchment"], "Try the local community hub", 2, [], Tier.LinkWorker, Priority.Routine, false, 1, intake.Clock.GetUtcNow())
        {
            Source = new EventSource(Guid.NewGuid(), 1),
        });
        await intake.WaitForStatusAsync(referralId, "NotEligible");

        intake.Clock.Advance(TimeSpan.FromDays(9));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(await intake.IsErasedAsync(submitted.PersonId));
        Assert.Empty(intake.Probe.All<PersonErased>());

        intake.Clock.Advance(TimeSpan.FromDays(2));
        var erased = await intake.Probe.WaitForAsync<PersonErased>(m => m.PersonId == submitted.PersonId, TimeSpan.FromSeconds(30));
        Assert.True(await intake.IsErasedAsync(submitted.PersonId));

        // Later still, and the timer's message delivered again: nothing more happens.
        await intake.Bus.PublishAsync(new RetentionPeriodEnded(referralId, submitted.PersonId, "Referral"));
        intake.Clock.Advance(TimeSpan.FromDays(400));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(intake.Probe.All<PersonErased>(), m => m.PersonId == submitted.PersonId);
        Assert.Equal([("RetentionPeriodEnded", "retention-policy"), ("ErasureExecuted", "retention-policy")], await intake.AuditAsync(submitted.PersonId));
        var erasure = await intake.Officer.GetFromJsonAsync<JsonElement>($"/erasure-requests/{erased.ErasureRequestId}");
        Assert.Equal(("Retention", "Executed"), (erasure.GetProperty("origin").GetString(), erasure.GetProperty("state").GetString()));
        var status = await intake.Referrer.GetFromJsonAsync<JsonElement>($"/referrals/{referralId}");
        Assert.Equal(JsonValueKind.Null, status.TryGetProperty("person", out var person) ? person.ValueKind : JsonValueKind.Null);
        // The referrer sees the referral kept with its status, and why it names nobody.
        Assert.Equal("NotEligible", status.GetProperty("status").GetString());
        Assert.Equal(erased.ErasedAt, status.GetProperty("personalDataErasedAt").GetDateTimeOffset());
        Assert.Equal(erased.ErasedAt, status.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_care_record_whose_period_a_corrected_date_of_birth_moved_past_its_timer_is_checked_again_and_shredded_when_the_new_period_ends()
    {
        await using var intake = await IntakeOnTestClock.StartAsync();

        // An adult's referral becomes a care record: triaged, registered, agreed with a link worker, closed. Its timer is
        // set for the end of the care-record period (100 days).
        var form = ReferralForms.GpReferral();
        var submitted = await intake.SubmitAsync(form);
        var (triage, journey, now) = (Guid.NewGuid(), Guid.NewGuid(), intake.Clock.GetUtcNow());
        await intake.Bus.PublishAsync(new ReferralTriaged(submitted.ReferralId, submitted.JourneyId, submitted.PersonId, submitted.ProgrammeId, true, [],
            null, 2, [], Tier.LinkWorker, Priority.Routine, false, 1, now) { Source = new EventSource(triage, 1) });
        await intake.Bus.PublishAsync(new JourneyRegistered(submitted.JourneyId, submitted.PersonId, submitted.ReferralId, submitted.ProgrammeId,
            submitted.RegisteredPracticeOds, submitted.Referrer, submitted.Needs, Tier.LinkWorker, Priority.Routine, true, false,
            submitted.Consent!.SharingScope, now) { Source = new EventSource(journey, 1) });
        await intake.Bus.PublishAsync(new PersonAgreedToSocialPrescribing(submitted.JourneyId, submitted.PersonId, submitted.ProgrammeId, 1, "lw-7", now)
        {
            Source = new EventSource(journey, 2),
        });
        await intake.Bus.PublishAsync(new JourneyClosed(submitted.JourneyId, submitted.PersonId, submitted.ProgrammeId, ClosureReason.GoalsMet, null, now)
        {
            Source = new EventSource(journey, 3),
        });
        await intake.WaitForStatusAsync(submitted.ReferralId, "Closed");

        // The date of birth was wrong: the person was 16 when care ended, so the record is a child's, kept until the 25th
        // birthday. Nothing sets the old timer again.
        var bornOn = DateOnly.FromDateTime(now.UtcDateTime).AddYears(-16).AddDays(-30);
        var person = (JsonObject)form["person"]!.DeepClone();
        person["dateOfBirth"] = bornOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var rectified = await intake.Officer.PostAsJsonAsync($"/people/{submitted.PersonId}/rectification", new JsonObject { ["person"] = person });
        Assert.Equal(HttpStatusCode.OK, rectified.StatusCode);

        async Task<List<string?>> StepsAsync() => [.. (await intake.AuditAsync(submitted.PersonId)).Select(s => s.Step)];
        intake.Clock.Advance(TimeSpan.FromDays(101));
        await WaitForAsync(async () => (await StepsAsync()).Contains("RetentionDeferred"), "the old timer to fire and defer");
        Assert.False(await intake.IsErasedAsync(submitted.PersonId));

        // The deferral set a timer of its own for the new end of the period: a day after the 25th birthday, the person is erased.
        var twentyFifth = new DateTimeOffset(bornOn.AddYears(25).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        intake.Clock.Advance(twentyFifth - intake.Clock.GetUtcNow() - TimeSpan.FromDays(1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(await intake.IsErasedAsync(submitted.PersonId));
        intake.Clock.Advance(TimeSpan.FromDays(2));
        await intake.Probe.WaitForAsync<PersonErased>(m => m.PersonId == submitted.PersonId, TimeSpan.FromSeconds(30));
        Assert.True(await intake.IsErasedAsync(submitted.PersonId));
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
