using System.Net;
using Npgsql;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.AccessAudit;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.AccessAudit;

/// <summary>Who may read and write a journey, and the append-only access audit of every read and write.</summary>
public sealed class AccessTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task A_link_worker_reads_and_writes_only_their_own_caseload()
    {
        var mine = ReferralCase.New();
        var theirs = ReferralCase.New(mine.ProgrammeId);
        var myJourney = await _scenario.OpenAndAgreeAsync(mine);
        var theirJourney = await _scenario.OpenAndAgreeAsync(theirs);
        using var me = _scenario.Worker(mine);

        Assert.Equal(myJourney.JourneyId, (await me.Get<JourneyView>($"/journeys/{myJourney.JourneyId}")).JourneyId);
        await me.Send(HttpMethod.Get, $"/journeys/{theirJourney.JourneyId}").Problem(HttpStatusCode.Forbidden);
        await me.Send(HttpMethod.Get, $"/journeys/{theirJourney.JourneyId}/timeline").Problem(HttpStatusCode.Forbidden);
        await me.Post($"/journeys/{theirJourney.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 5 })
            .Problem(HttpStatusCode.Forbidden);
        var caseload = await me.Get<List<JourneySummary>>("/caseload");
        Assert.Equal([myJourney.JourneyId], caseload.Select(j => j.JourneyId).ToArray());
        Assert.Equal("Alex Example", caseload[0].PersonName);

        // Nothing was written to the other journey.
        Assert.Equal(theirJourney.Version, (await _scenario.WaitForJourneyAsync(theirJourney.JourneyId, theirs.ProgrammeId, _ => true)).Version);
    }

    [Fact]
    public async Task A_team_lead_reads_and_writes_within_their_programme_only()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        using var otherLead = _scenario.TeamLead("prog-elsewhere");

        await lead.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "IndirectWork", outcome = "Attended", durationMinutes = 15 }).Ok();
        await otherLead.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}").Problem(HttpStatusCode.Forbidden);
        await otherLead.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 5 })
            .Problem(HttpStatusCode.Forbidden);
        await otherLead.Send(HttpMethod.Get, $"/journeys?programme={c.ProgrammeId}").Problem(HttpStatusCode.Forbidden);
        Assert.Empty((await otherLead.Get<List<JourneySummary>>($"/link-workers/{c.WorkerId}/caseload")));
        Assert.Single(await lead.Get<List<JourneySummary>>($"/link-workers/{c.WorkerId}/caseload"));
    }

    [Fact]
    public async Task Other_roles_and_anonymous_callers_cannot_reach_journeys()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        using var referrer = fixture.Host.ClientFor(Roles.Referrer, (ReferralsClaims.OdsCode, "B82005"));
        using var anonymous = fixture.Host.AnonymousClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await referrer.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}")).StatusCode);
    }

    [Fact]
    public async Task Every_read_and_write_is_audited_and_reads_never_change_the_journeys_version()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        using var stranger = _scenario.Worker("lw-stranger", c.ProgrammeId);
        var before = await fixture.Service<AccessAuditLog>().ForJourneyAsync(journey.JourneyId, CancellationToken.None);

        var (_, firstTag) = await worker.GetWithETag<JourneyView>($"/journeys/{journey.JourneyId}");
        worker.DefaultRequestHeaders.Add(AccessAuditLog.PurposeHeader, "supervision preparation");
        await worker.Get<SupportPlan.Timeline.TimelineView>($"/journeys/{journey.JourneyId}/timeline");
        worker.DefaultRequestHeaders.Remove(AccessAuditLog.PurposeHeader);
        var (_, secondTag) = await worker.GetWithETag<JourneyView>($"/journeys/{journey.JourneyId}");
        await worker.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 10 }).Ok();
        await stranger.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}").Problem(HttpStatusCode.Forbidden);

        Assert.Equal(firstTag, secondTag);
        await using (var session = fixture.Store.QuerySession())
        {
            Assert.Equal(journey.Version + 1, (await session.Events.FetchStreamStateAsync(journey.JourneyId))!.Version);
        }

        var entries = (await fixture.Service<AccessAuditLog>().ForJourneyAsync(journey.JourneyId, CancellationToken.None)).Skip(before.Count).ToList();
        Assert.Equal(
            [
                (AccessKind.Read, "GetJourney", true), (AccessKind.Read, "GetJourneyTimeline", true), (AccessKind.Read, "GetJourney", true),
                (AccessKind.Write, "RecordContact", true), (AccessKind.Read, "GetJourney", false),
            ],
            entries.Select(e => (e.Access, e.Operation, e.Allowed)).ToArray());
        Assert.Equal("supervision preparation", entries[1].Purpose);
        Assert.Equal("assigned link worker", entries[0].Basis);
        Assert.All(entries, e => Assert.Equal(fixture.Clock.UtcNow, e.At));
        Assert.Contains(Roles.LinkWorker, entries[0].Roles);
        Assert.NotEqual(entries[0].UserId, entries[4].UserId);

        // Team leads of the programme (and data protection officers) can read the audit; link workers cannot.
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        Assert.True((await lead.Get<List<AccessAuditEntry>>($"/journeys/{journey.JourneyId}/access-audit")).Count >= entries.Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}/access-audit")).StatusCode);
    }

    [Fact]
    public async Task The_access_audit_is_append_only()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        await lead.Get<JourneyView>($"/journeys/{journey.JourneyId}");

        await using var connection = new NpgsqlConnection(fixture.Infrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { "update {0}.access_audit set allowed = false", "delete from {0}.access_audit", "truncate {0}.access_audit" })
        {
            await using var command = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, fixture.Schema), connection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Lists_record_an_access_for_every_journey_they_show()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        using var worker = _scenario.Worker(c);

        await worker.Get<List<JourneySummary>>("/caseload");

        var entries = await fixture.Service<AccessAuditLog>().ForJourneyAsync(journey.JourneyId, CancellationToken.None);
        Assert.Contains(entries, e => e is { Operation: "ListCaseload", Access: AccessKind.Read, Allowed: true });
    }

    [Fact]
    public async Task The_subject_access_export_shows_who_read_or_changed_the_person_s_journeys()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        using var worker = _scenario.Worker(c);
        await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        await worker.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 10 }).Ok();
        var audited = await fixture.Service<AccessAuditLog>().ForJourneyAsync(journey.JourneyId, CancellationToken.None);
        var other = await _scenario.OpenAsync(ReferralCase.New());

        using var officer = fixture.Host.ClientFor(Roles.DataProtectionOfficer);
        var export = await officer.Get<System.Text.Json.Nodes.JsonObject>($"/people/{c.PersonId}/personal-data");

        var entries = export["otherRecords"]!["accessAudit"]!.AsArray();
        Assert.Equal(audited.Select(e => e.Id), entries.Select(e => e!["id"]!.GetValue<long>()));
        Assert.All(entries, e => Assert.Equal(journey.JourneyId, e!["journeyId"]!.GetValue<Guid>()));
        Assert.Contains(entries, e => e!["operation"]!.GetValue<string>() == "RecordContact" && e["access"]!.GetValue<string>() == "Write");
        Assert.DoesNotContain(entries, e => e!["journeyId"]!.GetValue<Guid>() == other.JourneyId);
    }
}
