using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;

namespace Referrals.GpRecords.Tests.Support;

/// <summary>Upstream events of one person's journey, with fixed ids and times (test data builder).</summary>
public sealed class JourneyScript
{
    private static int s_nhsSeed = 100_000;

    public JourneyScript(string practice, ReferrerKind referrerKind = ReferrerKind.GpPractice, string? referrerOrganisation = null)
    {
        Practice = practice;
        Referrer = new Referrer(referrerKind, referrerOrganisation ?? practice, "Dr Referrer", "GP", null);
        NhsNumber = NextNhsNumber();
    }

    public Guid JourneyId { get; } = Guid.NewGuid();
    public Guid PersonId { get; } = Guid.NewGuid();
    public Guid ReferralId { get; } = Guid.NewGuid();
    public Guid ContactId { get; } = Guid.NewGuid();
    public Guid SecondContactId { get; } = Guid.NewGuid();
    public Guid BaselineId { get; } = Guid.NewGuid();
    public Guid ClosingMeasureId { get; } = Guid.NewGuid();
    public Guid Ons4Id { get; } = Guid.NewGuid();
    public Guid PamId { get; } = Guid.NewGuid();
    public Guid WemwbsId { get; } = Guid.NewGuid();
    public Guid GoalId { get; } = Guid.NewGuid();
    public Guid ConnectionId { get; } = Guid.NewGuid();
    public Guid ConcernId { get; } = Guid.NewGuid();
    public Guid EscalationId { get; } = Guid.NewGuid();
    public string Practice { get; }
    public Referrer Referrer { get; }
    public string NhsNumber { get; }
    public DateTimeOffset T0 { get; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public const string WhatMattersText = "Getting back to the allotment with my neighbour";
    public const string GoalText = "Walk to the allotment twice a week";
    public const string DeclineReasonText = "Too busy caring for my husband";
    public const string SafeguardingDetailsText = "Worried about the son's visits";
    public const string ReasonText = "Lonely since bereavement";
    public const string EscalationIndicator = "Suicidal ideation (referral)";
    public const string EscalationStatementText =
        "This referral shows possible risk and arrived outside the link worker service's duty hours. The social prescribing link worker " +
        "service is not a crisis service and cannot act on this now. The case needs your action: if the person is in immediate danger " +
        "call 999; for urgent mental health help call NHS 111 and choose the mental health option.";

    public DateTimeOffset At(int days, int hours = 0) => T0.AddDays(days).AddHours(hours);

    public ReferralSubmitted Submitted() => new(ReferralId, JourneyId, PersonId, null, "programme-1", Practice, Referrer,
        new PersonDetails(NhsNumber, "Alex", "Example", new DateOnly(1950, 3, 14), "LS1 4AB", null, null, ContactMethod.Phone, null, null),
        75, "LS1", true, false, [NeedCategory.LonelinessOrIsolation], ReasonText, WhatMattersText,
        new RiskAnswers(false, false, false, false), null, Urgency.Routine,
        new ConsentRecord(ConsentAuthority.Person, "Alex Example", At(0), "Dr Referrer", ConsentScope.Full), At(0));

    public JourneyRegistered Registered(ConsentScope scope = ConsentScope.Full) => new(JourneyId, PersonId, ReferralId, "programme-1", Practice, Referrer,
        [NeedCategory.LonelinessOrIsolation, NeedCategory.MentalWellbeing], Tier.LinkWorker, Priority.Routine, true, false, scope, At(0, 1));

    /// <summary>Registered as triage found it: not eligible (support-plan records the journey, and nobody works it).</summary>
    public JourneyRegistered RegisteredNotEligible() => Registered() with { Eligible = false };

    /// <summary>A team lead's override after registration, as support-plan publishes it (version 2 on, of the journey's stream).</summary>
    public ReferralRetriaged Retriaged(bool eligible, int hours = 3, Priority priority = Priority.Routine, long version = 2) =>
        new(JourneyId, PersonId, ReferralId, "programme-1", eligible, Tier.LinkWorker, priority, false, At(0, hours))
        {
            Source = new EventSource(JourneyId, version),
        };

    public JourneyOpened Opened() => new(JourneyId, PersonId, ReferralId, "programme-1", "worker-1", false, 1, At(1));

    public PersonAgreedToSocialPrescribing Agreed() => new(JourneyId, PersonId, "programme-1", 1, "worker-1", At(2));

    public SocialPrescribingDeclined Declined() => new(JourneyId, PersonId, "programme-1", DeclineReasonText, At(2));

    public ContactRecorded Contact() => new(JourneyId, PersonId, ContactId, ContactKind.Phone, ContactOutcome.Attended, 30, "worker-1", At(2, 1));

    public ContactRecorded SecondContact() => new(JourneyId, PersonId, SecondContactId, ContactKind.HomeVisit, ContactOutcome.Attended, 60, "worker-1", At(9));

    public WhatMattersRecorded WhatMatters() => new(JourneyId, PersonId, WhatMattersText, [NeedCategory.LonelinessOrIsolation], At(2, 2));

    public SupportPlanAgreed Plan() => new(JourneyId, PersonId, [new GoalSummary(GoalId, GoalText, new DateOnly(2026, 3, 1), "Active")],
        new DateOnly(2026, 2, 1), At(3));

    public CommunityConnectionMade Connection() => new(JourneyId, PersonId, ConnectionId, "Chapeltown Allotment Society", ConnectionKind.OnwardReferral,
        ConnectionOutcome.Attended, At(5));

    public OutcomeMeasured SwemwbsBaseline() => new(JourneyId, PersonId, BaselineId, Instrument.Swemwbs, MeasurementPoint.Baseline, 16.36m, 16, null, null,
        null, null, At(2, 3));

    public OutcomeMeasured SwemwbsClosing() => new(JourneyId, PersonId, ClosingMeasureId, Instrument.Swemwbs, MeasurementPoint.Closing, 21.54m, 24, null, null,
        5.18m, true, At(20));

    public OutcomeMeasured Wemwbs() => new(JourneyId, PersonId, WemwbsId, Instrument.Wemwbs, MeasurementPoint.Baseline, 41m, 41, null, null, null, null, At(2, 4));

    public OutcomeMeasured Pam() => new(JourneyId, PersonId, PamId, Instrument.Pam, MeasurementPoint.Baseline, 52.9m, null, 2, null, null, null, At(2, 5));

    public OutcomeMeasured Ons4() => new(JourneyId, PersonId, Ons4Id, Instrument.Ons4, MeasurementPoint.Baseline, null, null, null, new Ons4Scores(4, 5, 6, 7),
        null, null, At(2, 6));

    public JourneyWentDormant Dormant() => new(JourneyId, PersonId, At(9), At(16));

    public JourneyReactivated Reactivated() => new(JourneyId, PersonId, At(18));

    public SafeguardingConcernRaised Safeguarding() => new(ConcernId, JourneyId, PersonId, ReferralId, "programme-1", false, ["FinancialAbuse"],
        SafeguardingDetailsText, "worker-1", At(10));

    /// <summary>Triage's notice of one escalation step to one recipient (the practice by its ODS code, the referrer by its organisation).</summary>
    public ReferralEscalated Escalated(EscalationRecipientKind kind = EscalationRecipientKind.RegisteredPractice, int step = 1,
        DateTimeOffset? acknowledgeBy = null, bool outsideRotaHours = true) =>
        new(EscalationId, ReferralId, JourneyId, PersonId, "programme-1", step, kind, kind switch
            {
                EscalationRecipientKind.RegisteredPractice => Practice,
                EscalationRecipientKind.Referrer => Referrer.OrganisationId,
                EscalationRecipientKind.TeamLead => "tl-1",
                _ => "lw-duty-1",
            }, [EscalationIndicator], acknowledgeBy, outsideRotaHours, EscalationStatementText, At(0, 2).AddMinutes(15 * step));

    /// <summary>The referrer withdrew the referral, after triage's escalation.</summary>
    public ReferralWithdrawn Withdrawn() => new(ReferralId, JourneyId, PersonId, "No longer needed", At(0, 3));

    public ConsentScopeChanged ConsentChanged(ConsentScope scope, bool withdrawn = false, int day = 11) =>
        new(JourneyId, PersonId, scope, withdrawn, "Changed their mind", At(day));

    public JourneyClosed Closed() => new(JourneyId, PersonId, "programme-1", ClosureReason.GoalsMet,
        new ClosingSummary(WhatMattersText, [new GoalSummary(GoalId, GoalText, new DateOnly(2026, 3, 1), "Achieved")],
            [new ConnectionSummary("Chapeltown Allotment Society", ConnectionKind.OnwardReferral, ConnectionOutcome.Attended)],
            [new OutcomeChange(Instrument.Swemwbs, 16.36m, 21.54m, 5.18m, true)]), At(21));

    /// <summary>A whole journey, from referral to closure.</summary>
    public IReadOnlyList<object> FullHistory() =>
    [
        Submitted(), Registered(), Opened(), Agreed(), Contact(), WhatMatters(), SwemwbsBaseline(), Wemwbs(), Pam(), Ons4(), Plan(), Connection(),
        SecondContact(), Safeguarding(), Dormant(), Reactivated(), SwemwbsClosing(), Closed(),
    ];

    /// <summary>A valid NHS number (Modulus 11) unique within the test run.</summary>
    public static string NextNhsNumber()
    {
        while (true)
        {
            var stem = (Interlocked.Increment(ref s_nhsSeed) + 940_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            var sum = 0;
            for (var i = 0; i < 9; i++)
            {
                sum += (stem[i] - '0') * (10 - i);
            }

            var check = 11 - (sum % 11);
            if (check == 11)
            {
                check = 0;
            }

            if (check != 10)
            {
                return stem + check.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
