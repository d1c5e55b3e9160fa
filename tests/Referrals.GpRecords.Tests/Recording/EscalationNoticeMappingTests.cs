using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Recording;

/// <summary>Triage's escalation notice to the registered practice (HAZ-002), mapped like the safeguarding entry.</summary>
public sealed class EscalationNoticeMappingTests
{
    private readonly JourneyScript _script = new("A81001", Contracts.ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");

    private static IReadOnlyList<MappedResource> Notices(IEnumerable<MappedResource> resources) =>
        resources.Where(r => r.Full is Observation o && o.Code.Text == JourneyRecordMapper.EscalationNoticeText).ToList();

    [Fact]
    public void A_practice_notice_is_a_restricted_observation_with_the_statement_step_sent_and_acknowledge_by_times_valid_in_both_scopes()
    {
        var acknowledgeBy = _script.At(0, 4);
        var notice = _script.Escalated(step: 3, acknowledgeBy: acknowledgeBy, outsideRotaHours: false);
        var mapped = Assert.Single(Notices(Map(_script, [_script.Submitted(), _script.Registered(), notice])));
        var observation = Assert.IsType<Observation>(mapped.Full);

        Assert.Equal(ResourceIds.EscalationNotice(_script.JourneyId, _script.EscalationId, 3), observation.Id);
        var label = Assert.Single(observation.Meta!.Security);
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R"), (label.System, label.Code));
        Assert.Empty(observation.Code.Coding);
        Assert.Equal(ObservationStatus.Final, observation.Status);
        Assert.Equal("Patient/" + ResourceIds.Patient(_script.PersonId), observation.Subject!.Reference);
        Assert.Equal(JourneyScript.EscalationStatementText, observation.ValueString);
        Assert.Equal(FhirDateTime.FromDateTimeOffset(notice.EscalatedAt), observation.EffectiveDateTime);
        Assert.Equal(3, observation.Component.Single(c => c.Code.Text == "Escalation step").ValueInteger);
        Assert.Equal(FhirDateTime.FromDateTimeOffset(acknowledgeBy), observation.Component.Single(c => c.Code.Text == "Acknowledge by").ValueDateTime);
        Assert.False(observation.Component.Single(c => c.Code.Text == "Sent outside the link worker service's duty hours").ValueBoolean);
        Assert.Equal([JourneyScript.EscalationIndicator], observation.Component.Where(c => c.Code.Text == "Indicator").Select(c => c.ValueString));
        Assert.Empty(observation.Note);

        var full = FhirJson.Serialize(mapped.Full);
        Emitted.AssertValid(full);
        Emitted.AssertValid(FhirJson.Serialize(mapped.Coded!));
        foreach (var text in new[] { JourneyScript.ReasonText, JourneyScript.WhatMattersText, "Dr Referrer", "AGENCY-CITIZENS-ADVICE" })
        {
            Assert.DoesNotContain(text, full, StringComparison.Ordinal);
        }

        // The coded rendering is the same but for the indicators (see the test below).
        observation.Component.RemoveAll(c => c.Code.Text == "Indicator");
        Assert.Equal(FhirJson.Serialize(observation), FhirJson.Serialize(mapped.Coded!));
    }

    /// <summary>
    /// HAZ-006: triage copies a worker's free-text safeguarding indicators into the notice, alongside its configured labels,
    /// and the notice does not say which is which, so a coded-only practice gets none of them; the notice still says that
    /// possible risk was escalated.
    /// </summary>
    [Fact]
    public void A_coded_only_practice_notice_leaves_out_the_indicators_a_worker_may_have_typed_which_the_full_one_carries()
    {
        const string workerIndicator = "Partner takes her bank card and shouts when drunk";
        var notice = _script.Escalated() with { Indicators = ["Safeguarding concern raised by a worker", workerIndicator] };
        var mapped = Assert.Single(Notices(Map(_script, [_script.Registered(ConsentScope.CodedOnly), notice])));

        var coded = FhirJson.Serialize(mapped.Coded!);
        Assert.DoesNotContain(workerIndicator, coded, StringComparison.Ordinal);
        Assert.DoesNotContain(((Observation)mapped.Coded!).Component, c => c.Code.Text == "Indicator");
        Assert.Contains(JourneyRecordMapper.EscalationNoticeText, coded, StringComparison.Ordinal);
        Assert.Contains(JourneyScript.EscalationStatementText, coded, StringComparison.Ordinal);
        Emitted.AssertValid(coded);
        Assert.Equal([workerIndicator, "Safeguarding concern raised by a worker"],
            ((Observation)mapped.Full).Component.Where(c => c.Code.Text == "Indicator").Select(c => c.ValueString));
    }

    [Fact]
    public void A_notice_without_an_acknowledge_by_time_says_none_was_asked_of_the_practice_and_validates()
    {
        var mapped = Assert.Single(Notices(Map(_script, [_script.Registered(), _script.Escalated()])));
        var observation = Assert.IsType<Observation>(mapped.Full);
        var acknowledgeBy = observation.Component.Single(c => c.Code.Text == "Acknowledge by");
        Assert.Null(acknowledgeBy.ValueDateTime);
        Assert.Equal("not-applicable", Assert.Single(acknowledgeBy.DataAbsentReason!.Coding).Code);
        Assert.True(observation.Component.Single(c => c.Code.Text == "Sent outside the link worker service's duty hours").ValueBoolean);
        Emitted.AssertValid(FhirJson.Serialize(mapped.Full));
    }

    [Fact]
    public void Each_step_notified_to_the_practice_is_its_own_observation()
    {
        var notices = Notices(Map(_script, [_script.Registered(), _script.Escalated(step: 1), _script.Escalated(step: 4)]));
        Assert.Equal(
            [ResourceIds.EscalationNotice(_script.JourneyId, _script.EscalationId, 1), ResourceIds.EscalationNotice(_script.JourneyId, _script.EscalationId, 4)],
            notices.Select(n => n.Full.Id));
    }

    [Fact]
    public void Notices_to_the_duty_worker_team_lead_or_referrer_map_to_nothing_beside_the_practice_s_own()
    {
        var resources = Map(_script,
        [
            _script.Registered(), _script.Escalated(EscalationRecipientKind.DutyWorker, 1, _script.At(0, 3), false),
            _script.Escalated(EscalationRecipientKind.Referrer, 1), _script.Escalated(EscalationRecipientKind.TeamLead, 2, _script.At(0, 4), false),
            _script.Escalated(step: 3, outsideRotaHours: false),
        ]);
        var observation = Assert.Single(resources.Select(r => r.Full).OfType<Observation>());
        Assert.Equal(ResourceIds.EscalationNotice(_script.JourneyId, _script.EscalationId, 3), observation.Id);
        Assert.Equal(Map(_script, [_script.Registered()]).Count + 1, resources.Count);
    }

    [Fact]
    public void A_notice_for_a_journey_not_yet_registered_maps_to_nothing_until_the_registration_arrives()
    {
        Assert.Empty(Map(_script, [_script.Escalated()]));
        Assert.Single(Notices(Map(_script, [_script.Escalated(), _script.Registered()])));
    }
}
