using System.Globalization;
using Referrals.ServiceDefaults.Problems;
using Referrals.SharedKernel;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LoneWorking;

/// <summary>
/// The worker arrived for a home visit and expects to leave by <see cref="ExpectedEnd"/>. <see cref="IdempotencyKey"/>, made
/// once per check-in (the web app makes it when it shows the form), makes a resend of the same check-in apply once.
/// </summary>
public sealed record CheckInHomeVisit(DateTimeOffset ExpectedEnd, Guid? IdempotencyKey = null);

/// <summary>The worker left. Outcome defaults to attended (nobody home: did not attend).</summary>
public sealed record CheckOutHomeVisit(ContactOutcome? Outcome, string? Note);

/// <summary>
/// Lone working on home visits. Check-in arms a durable timer for the expected end (plus grace); check-out disarms it and
/// records the visit as a contact, even on a journey a withdrawal closed during the visit. If the timer fires first, the overdue alert is raised for the team lead - once per visit,
/// whatever the timer or the broker redeliver, because the decision looks at the visit's recorded state.
/// </summary>
public static class LoneWorkingDecider
{
    public static readonly TimeSpan LongestVisit = TimeSpan.FromHours(12);

    /// <summary>
    /// The id of the visit a check-in sent with <paramref name="idempotencyKey"/> makes: the same for every resend of it. Derived
    /// with the journey and the worker, so that a key (the client's, so anything) never names another journey's or worker's
    /// visit, nor the check-out timer keyed by a visit id; and with the expected end, so that a check-in sent again under a used
    /// key with a corrected end is a different check-in, never answered with the first one's timer (HAZ-008).
    /// </summary>
    public static Guid VisitIdOf(Guid journeyId, string workerId, Guid idempotencyKey, DateTimeOffset expectedEnd) =>
        NameBasedGuid.Create(string.Create(CultureInfo.InvariantCulture,
            $"support-plan:home-visit-check-in\n{journeyId:N}\n{workerId}\n{idempotencyKey:N}\n{expectedEnd.UtcTicks}"));

    /// <summary>
    /// A check-in whose visit is still checked in with the same expected end is a resend of it (the answer was lost to a
    /// timeout, or the button was pressed twice): nothing new is recorded, and it is answered as the first was. A check-in is
    /// never answered as done without an open visit whose timer is the one sent: if that visit was checked out since (the form
    /// reached again by Back for a new visit), or ends at another time, it is refused (409) and the worker checks in again.
    /// Otherwise one visit at a time on a journey, as before.
    /// </summary>
    public static IReadOnlyList<object> CheckIn(Journey journey, CheckInHomeVisit command, Guid visitId, string workerId, DateTimeOffset now)
    {
        if (journey.Visits.Find(v => v.VisitId == visitId) is { } sent)
        {
            return !sent.IsOpen
                ? throw new DomainRuleException("This check-in was already made and its visit has been checked out since, so nothing was " +
                    "recorded now and no alert is set. Reload the check-in page and check in again.")
                : sent.ExpectedEnd == command.ExpectedEnd
                    ? []
                    : throw new DomainRuleException("This check-in was already made with another expected end, so nothing was changed. " +
                        "Reload the journey to see the visit you are checked in to.");
        }

        new Validation()
            .Check(command.IdempotencyKey != Guid.Empty, "idempotencyKey", "The idempotency key, when sent, is a new UUID for each check-in.")
            .Check(command.ExpectedEnd > now, "expectedEnd", "The expected end must be later than now.")
            .Check(command.ExpectedEnd <= now + LongestVisit, "expectedEnd", "A home visit is expected to end within 12 hours.")
            .ThrowIfAny();
        JourneyRules.RequireWorked(journey, "check in to a home visit");
        if (journey.OpenVisit is { } open)
        {
            throw new DomainRuleException(string.Equals(open.LinkWorkerId, workerId, StringComparison.Ordinal)
                ? string.Create(CultureInfo.InvariantCulture,
                    $"You are still checked in to a home visit on this journey, expected to end at {TimeZoneInfo.ConvertTime(open.ExpectedEnd, SharedKernel.UkTime.Zone):HH:mm} (UK time); check out of it first.")
                : "Another worker is still checked in to a home visit on this journey. Only they can check out of it; " +
                  "ask your team lead if it needs following up.");
        }

        return [new HomeVisitCheckedIn(journey.Id, visitId, workerId, command.ExpectedEnd, now)];
    }

    /// <summary>
    /// Check-out always works for the worker who checked in - even on a journey closed or reassigned meanwhile, and whatever
    /// else changed: the worker's safety comes first. Nobody else checks out their visit before its alert is dealt with: that
    /// would cancel the timer and silence the alert while they may still be in the home. A team lead who has acknowledged
    /// the overdue alert (taken charge of it, and so of finding the worker) may then check the visit out on their behalf,
    /// so that a visit the worker could not close does not block the journey for good.
    /// </summary>
    /// <param name="workerId">Who is checking out, as <see cref="JourneyAccess.HomeVisitWorker"/> names them at check-in.</param>
    /// <param name="teamLead">Whether the caller is a team lead of the journey's programme.</param>
    /// <param name="by">Who recorded the visit's contact (the user id).</param>
    public static IReadOnlyList<object> CheckOut(Journey journey, Guid visitId, CheckOutHomeVisit command, Guid contactId, string workerId, bool teamLead,
        string by, DateTimeOffset now)
    {
        new Validation()
            .Check(command.Outcome is null or ContactOutcome.Attended or ContactOutcome.DidNotAttend, "outcome",
                "A home visit is attended, or did not attend (nobody home).")
            .Optional(command.Note, "note", Validation.Narrative)
            .ThrowIfAny();
        var visit = journey.Visits.Find(v => v.VisitId == visitId) ?? throw new JourneyPartNotFoundException("home visit");
        if (!string.Equals(visit.LinkWorkerId, workerId, StringComparison.Ordinal) && !(teamLead && visit.AlertAcknowledgedAt is not null))
        {
            throw new DomainRuleException("Only the worker who checked in to this home visit can check out of it. " +
                "If they cannot, a team lead takes charge of its overdue alert and can then check it out.");
        }

        if (!visit.IsOpen)
        {
            throw new DomainRuleException("This home visit is already checked out.");
        }

        var minutes = (int)Math.Clamp(Math.Ceiling((now - visit.CheckedInAt).TotalMinutes), 1, ContactDecider.MaxDurationMinutes);
        var checkedOut = new HomeVisitCheckedOut(journey.Id, visitId, now);

        // Recorded on a journey closed meanwhile too (a referrer's withdrawal cannot wait for check-out): the visit happened, and
        // only its check-out knows how it went and how long it took.
        var contact = new ContactRecorded(journey.Id, journey.PersonId, contactId, ContactKind.HomeVisit, command.Outcome ?? ContactOutcome.Attended,
            minutes, "Home", command.Note, by, visit.CheckedInAt);
        return [checkedOut, .. ContactDecider.WithReactivation(journey, contact, now)];
    }

    /// <summary>The check-out timer fired: raise the alert if the visit is still checked in and no alert was raised yet.</summary>
    public static IReadOnlyList<object> CheckOverdue(Journey journey, Guid visitId, DateTimeOffset now) =>
        journey.Visits.Find(v => v.VisitId == visitId) is { IsOpen: true, OverdueAlertRaisedAt: null } visit && now >= visit.ExpectedEnd
            ? [new LoneWorkingCheckOutOverdue(journey.Id, visitId, visit.LinkWorkerId, visit.ExpectedEnd, now)]
            : [];

    /// <summary>
    /// When the check-out timer fired but this host's clock has not reached the expected end (clocks of hosts differ a
    /// little): the time to check again, so the alert is never lost; null when there is nothing to check again.
    /// </summary>
    public static DateTimeOffset? CheckAgainAt(Journey journey, Guid visitId, DateTimeOffset now) =>
        journey.Visits.Find(v => v.VisitId == visitId) is { IsOpen: true, OverdueAlertRaisedAt: null } visit && now < visit.ExpectedEnd
            ? visit.ExpectedEnd
            : null;

    public static IReadOnlyList<object> AcknowledgeAlert(Journey journey, Guid visitId, string by, DateTimeOffset now)
    {
        var visit = journey.Visits.Find(v => v.VisitId == visitId) ?? throw new JourneyPartNotFoundException("home visit");
        if (!visit.AlertOutstanding)
        {
            throw new DomainRuleException("This visit has no outstanding overdue alert.");
        }

        return [new LoneWorkingAlertAcknowledged(journey.Id, visitId, by, now)];
    }
}
