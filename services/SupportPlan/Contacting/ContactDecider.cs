using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Contacting;

/// <summary>Record a contact: phone, video, face to face, group session, supported visit or indirect work, or a failed attempt.</summary>
public sealed record RecordContact(
    ContactKind Kind,
    ContactOutcome Outcome,
    int DurationMinutes,
    DateTimeOffset? OccurredAt,
    string? Venue,
    string? Note);

/// <summary>
/// Contacts, and the dormancy rule: a journey with no contact with the person for the configured weeks becomes dormant (never
/// closed automatically, the door stays open); contact with the person reactivates it. Failed attempts (did not attend,
/// unable to contact) and indirect work are recorded but are not contact with the person.
/// </summary>
public static class ContactDecider
{
    public const int MaxDurationMinutes = 12 * 60;

    public static IReadOnlyList<object> Record(Journey journey, RecordContact command, Guid contactId, string by, DateTimeOffset now)
    {
        new Validation()
            .Defined(command.Kind, "kind")
            .Defined(command.Outcome, "outcome")
            .Check(command.DurationMinutes is >= 0 and <= MaxDurationMinutes, "durationMinutes", $"Minutes from 0 to {MaxDurationMinutes}.")
            .Check(command.Outcome != ContactOutcome.Attended || command.DurationMinutes > 0, "durationMinutes", "An attended contact lasts at least a minute.")
            .Check(!(command.Kind == ContactKind.HomeVisit && command.Outcome == ContactOutcome.Attended), "kind",
                "Attended home visits are recorded by checking in on arrival and out on leaving (lone working).")
            .Optional(command.Venue, "venue", Validation.ShortText)
            .Optional(command.Note, "note", Validation.Narrative)
            .ThrowIfAny();
        JourneyRules.RequireWorked(journey, "record a contact");
        var at = JourneyRules.When(command.OccurredAt, now, "occurredAt");
        return WithReactivation(journey,
            new ContactRecorded(journey.Id, journey.PersonId, contactId, command.Kind, command.Outcome, command.DurationMinutes, command.Venue,
                command.Note, by, at), now);
    }

    /// <summary>The contact, and the reactivation it brings when it is contact with a dormant journey's person.</summary>
    public static IReadOnlyList<object> WithReactivation(Journey journey, ContactRecorded contact, DateTimeOffset now)
    {
        var withPerson = contact is { Outcome: ContactOutcome.Attended } && contact.Kind != ContactKind.IndirectWork;
        return journey.Status == JourneyStatus.Dormant && withPerson
            ? [contact, new JourneyReactivated(journey.Id, contact.ContactId, now)]
            : [contact];
    }

    /// <summary>
    /// The dormancy timer fired. The journey goes dormant only if it is still open or active, nobody has made contact since the
    /// timer was set, and the configured time has really passed since the last contact with the person or the last reactivation,
    /// whichever is later.
    /// </summary>
    public static IReadOnlyList<object> CheckDormancy(Journey journey, DateTimeOffset noContactSinceWhenSet, DateTimeOffset now, JourneyPolicy policy) =>
        journey is { Status: JourneyStatus.Open or JourneyStatus.Active, NoContactSince: { } last } &&
        last == noContactSinceWhenSet &&
        JourneyEffects.DormancyDue(journey, policy) is { } due &&
        now >= due
            ? [new JourneyWentDormant(journey.Id, last, now)]
            : [];
}
