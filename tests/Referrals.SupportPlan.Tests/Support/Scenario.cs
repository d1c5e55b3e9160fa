using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;
using Referrals.Testing;
using Referrals.Testing.Hosting;

namespace Referrals.SupportPlan.Tests.Support;

/// <summary>One referral's identities, as intake and triage would name them.</summary>
public sealed record ReferralCase(Guid ReferralId, Guid JourneyId, Guid PersonId, string ProgrammeId, string WorkerId)
{
    public static ReferralCase New(string? programme = null, Guid? personId = null) => new(Guid.NewGuid(), Guid.CreateVersion7(),
        personId ?? Guid.NewGuid(), programme ?? "prog-" + Guid.NewGuid().ToString("N")[..8], "lw-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>A re-referral of the same person in the same programme, naming this journey as the previous one.</summary>
    public ReferralCase ReReferral() => this with { ReferralId = Guid.NewGuid(), JourneyId = Guid.CreateVersion7() };
}

/// <summary>Drives journeys through the real service: upstream messages on the bus, HTTP as a worker or team lead.</summary>
public sealed class Scenario(SupportPlanHost fixture)
{
    /// <summary>A team lead's override as triage publishes it, at <paramref name="version"/> of triage's referral stream.</summary>
    public TriageOverridden Overridden(ReferralCase c, Priority priority, long version, Tier tier = Tier.PsychosocialLinkWorker, string? reason = null,
        Guid? journeyId = null) =>
        new(c.ReferralId, journeyId ?? c.JourneyId, c.PersonId, tier, priority, reason ?? "Lives alone and struggling", "tl-7", fixture.Clock.UtcNow)
        {
            Source = new EventSource(c.ReferralId, version),
        };

    /// <summary>The events of type <typeparamref name="T"/> on a stream (a journey's or a referral's), in order.</summary>
    public async Task<IReadOnlyList<T>> EventsOnAsync<T>(Guid streamId)
    {
        await using var session = fixture.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(streamId)).Select(e => e.Data).OfType<T>().ToList();
    }

    public static ReferralSubmitted Submitted(ReferralCase c, Guid? previousJourneyId = null, DateTimeOffset? submittedAt = null,
        ConsentScope scope = ConsentScope.Full, string? district = "LS6", IReadOnlyList<NeedCategory>? needs = null) => new(
        c.ReferralId, c.JourneyId, c.PersonId, previousJourneyId, c.ProgrammeId, "B82005",
        new Referrer(ReferrerKind.GpPractice, "B82005", "Dr Example", "GP", "0113 000 0000"),
        new PersonDetails("9912003888", "Alex", "Example", new DateOnly(1960, 4, 1), "LS6 1AA", "07700 900000", null, ContactMethod.Phone, null, null),
        65, district, true, false, needs ?? [NeedCategory.LonelinessOrIsolation, NeedCategory.Housing], "Feeling isolated since moving",
        "Getting out and meeting people", new RiskAnswers(false, false, false, false), null, Urgency.Routine,
        new ConsentRecord(ConsentAuthority.Person, "the person", submittedAt ?? TestClock.DefaultStart, "referrer", scope),
        submittedAt ?? TestClock.DefaultStart);

    public static ReferralTriaged Triaged(ReferralCase c, bool eligible = true, Priority priority = Priority.Routine, long? sourceVersion = null,
        DateTimeOffset? at = null) =>
        new(c.ReferralId, c.JourneyId, c.PersonId, c.ProgrammeId, eligible, eligible ? [] : ["Out of area"], eligible ? null : "Local advice line", 3,
            ["isolation"], Tier.LinkWorker, priority, false, 1, at ?? TestClock.DefaultStart)
        {
            Source = sourceVersion is { } v ? new EventSource(Guid.NewGuid(), v) : null,
        };

    public static AssignmentAccepted Accepted(ReferralCase c, Guid? assignmentId = null, string? worker = null, DateTimeOffset? at = null) =>
        new(assignmentId ?? Guid.NewGuid(), c.ReferralId, c.JourneyId, c.PersonId, null, c.ProgrammeId, worker ?? c.WorkerId, at ?? TestClock.DefaultStart);

    public HttpClient TeamLead(string programme) =>
        fixture.Host.ClientFor(Roles.TeamLead, (ReferralsClaims.Programme, programme));

    public HttpClient Worker(ReferralCase c) => Worker(c.WorkerId, c.ProgrammeId);

    public HttpClient Worker(string workerId, string programme) =>
        fixture.Host.ClientFor(Roles.LinkWorker, (ReferralsClaims.LinkWorkerId, workerId), (ReferralsClaims.Programme, programme));

    /// <summary>Waits until the team lead sees the journey in the wanted state.</summary>
    public async Task<JourneyView> WaitForJourneyAsync(Guid journeyId, string programme, Func<JourneyView, bool> until, TimeSpan? timeout = null)
    {
        using var lead = TeamLead(programme);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await lead.Send(HttpMethod.Get, $"/journeys/{journeyId}");
            if (response.IsSuccessStatusCode)
            {
                var journey = System.Text.Json.JsonSerializer.Deserialize<JourneyView>(await response.Content.ReadAsStringAsync(), Api.Json)!;
                if (until(journey))
                {
                    return journey;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Journey {journeyId} did not reach the expected state ({(int)response.StatusCode}).");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Submission, triage and acceptance: the journey opens for the case's worker.</summary>
    public async Task<JourneyView> OpenAsync(ReferralCase c, Guid? previousJourneyId = null, DateTimeOffset? submittedAt = null,
        ConsentScope scope = ConsentScope.Full)
    {
        await fixture.Bus.PublishAsync(Submitted(c, previousJourneyId, submittedAt ?? fixture.Clock.UtcNow, scope));
        await fixture.Bus.PublishAsync(Triaged(c, at: fixture.Clock.UtcNow));
        await fixture.Bus.PublishAsync(Accepted(c, at: fixture.Clock.UtcNow));
        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);
        return await WaitForJourneyAsync(registered.JourneyId, c.ProgrammeId, j => j.Status is JourneyStatus.Open or JourneyStatus.Active);
    }

    /// <summary>Opens the journey and records the person's agreement: it is active.</summary>
    public async Task<JourneyView> OpenAndAgreeAsync(ReferralCase c)
    {
        var journey = await OpenAsync(c);
        using var worker = Worker(c);
        await worker.Post($"/journeys/{journey.JourneyId}/agreement", new { }).Ok();
        return await WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.Active);
    }
}
