namespace Referrals.Intake.People;

/// <summary>How a referral was admitted to the index: the person, the journey, and whether it joined an open one.</summary>
public sealed record Admission(Guid PersonId, Guid JourneyId, Guid? PreviousJourneyId, bool LinkedToOpenJourney, IReadOnlyList<object> Events);

/// <summary>Pure decisions over one person's index entry.</summary>
public static class PersonIndexDecider
{
    /// <summary>
    /// Admits a referral: a new person gets an id and a journey; a person with an open journey in the programme joins
    /// it (never a second open journey); otherwise a new journey opens, naming the previous one in the programme.
    /// </summary>
    public static Admission Admit(PersonIndexEntry? entry, Guid indexId, string programmeId, Guid referralId,
        Guid newPersonId, Guid newJourneyId, DateTimeOffset now)
    {
        if (entry?.PersonId is not { } personId)
        {
            // A first referral, or the first after the person was erased: the previous journey was forgotten with them.
            return new Admission(newPersonId, newJourneyId, null, false,
            [
                new PersonIndexed(indexId, newPersonId, now),
                new JourneyStarted(indexId, newPersonId, programmeId, newJourneyId, referralId, null, now),
            ]);
        }

        if (entry.OpenJourneyIn(programmeId) is { } open)
        {
            return new Admission(personId, open.JourneyId, null, true,
                [new ReferralJoinedOpenJourney(indexId, personId, programmeId, open.JourneyId, referralId, now)]);
        }

        var previous = entry.LastJourneyIn(programmeId);
        return new Admission(personId, newJourneyId, previous, false,
            [new JourneyStarted(indexId, personId, programmeId, newJourneyId, referralId, previous, now)]);
    }

    /// <summary>Ends the programme's open journey if it is the one named; anything else is already settled.</summary>
    public static IReadOnlyList<object> EndJourney(PersonIndexEntry? entry, string programmeId, Guid journeyId,
        JourneyEndReason reason, DateTimeOffset now) =>
        entry is { PersonId: { } personId } && entry.OpenJourneyIn(programmeId)?.JourneyId == journeyId
            ? [new JourneyEnded(entry.Id, personId, programmeId, journeyId, reason, now)]
            : [];

    /// <summary>
    /// A referral that ended its journey as not eligible is live again: the journey opens again, unless the person has
    /// another open journey in the programme by now (then there is nothing to resume into; the caller reports it).
    /// </summary>
    public static IReadOnlyList<object> ResumeJourney(PersonIndexEntry? entry, string programmeId, Guid journeyId, Guid referralId,
        DateTimeOffset now) =>
        entry is { PersonId: { } personId } && entry.OpenJourneyIn(programmeId) is null
            ? [new JourneyResumed(entry.Id, personId, programmeId, journeyId, referralId, now)]
            : [];

    /// <summary>Follows support-plan's journey id when it differs from the one intake proposed.</summary>
    public static IReadOnlyList<object> ConfirmJourney(PersonIndexEntry? entry, string programmeId, Guid proposedJourneyId,
        Guid journeyId, DateTimeOffset now)
    {
        if (entry is not { PersonId: { } personId } || proposedJourneyId == journeyId)
        {
            return [];
        }

        var concerned = entry.OpenJourneyIn(programmeId)?.JourneyId == proposedJourneyId ||
                        entry.LastJourneyIn(programmeId) == proposedJourneyId;
        return concerned ? [new JourneyIdentityConfirmed(entry.Id, personId, programmeId, proposedJourneyId, journeyId, now)] : [];
    }

    /// <summary>Forgets the person (erasure, issue 10).</summary>
    public static IReadOnlyList<object> Erase(PersonIndexEntry? entry, DateTimeOffset now) =>
        entry is { PersonId: { } personId } ? [new PersonIndexErased(entry.Id, personId, now)] : [];
}
