using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.People;

/// <summary>How a referral was admitted to the index: the person, the journey, and whether it joined an open one.</summary>
public sealed record Admission(Guid PersonId, Guid JourneyId, Guid? PreviousJourneyId, bool LinkedToOpenJourney, IReadOnlyList<object> Events);

/// <summary>A journey the person has open, opened by the referral named (the previous journey as that referral named it).</summary>
public sealed record HeldJourney(string ProgrammeId, Guid JourneyId, Guid ReferralId, Guid? PreviousJourneyId);

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

    /// <summary>The refusal when an NHS number added by rectification is already indexed to someone else (says nothing of them).</summary>
    public const string HeldForAnotherPerson = "This NHS number is held for another person; the records need merging first.";

    /// <summary>
    /// A person first known without an NHS number had it added by rectification (an authorised officer traced it; never a
    /// self-referral's own word, HAZ-003 C6): the entry becomes theirs, with each journey they have open, by the events a
    /// submission writes, so the next referral for the number joins their open journey instead of opening a second. An
    /// entry already theirs needs nothing; one held for another person is refused, as two records of one person need
    /// merging, which the platform cannot do.
    /// </summary>
    public static IReadOnlyList<object> IndexTraced(PersonIndexEntry? entry, Guid indexId, Guid personId,
        IReadOnlyList<HeldJourney> openJourneys, DateTimeOffset now)
    {
        if (entry?.PersonId is { } held)
        {
            return held == personId ? [] : throw new DomainRuleException(HeldForAnotherPerson);
        }

        return
        [
            new PersonIndexed(indexId, personId, now),
            .. openJourneys.Select(j => new JourneyStarted(indexId, personId, j.ProgrammeId, j.JourneyId, j.ReferralId, j.PreviousJourneyId, now)),
        ];
    }

    /// <summary>Forgets the person (erasure, issue 10).</summary>
    public static IReadOnlyList<object> Erase(PersonIndexEntry? entry, DateTimeOffset now) =>
        entry is { PersonId: { } personId } ? [new PersonIndexErased(entry.Id, personId, now)] : [];
}
