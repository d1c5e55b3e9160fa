using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.RectifyingDetails;

/// <summary>The corrections per referral, and the message that tells every other service.</summary>
public sealed record RectificationDecision(IReadOnlyList<PersonDetailsCorrected> Events, PersonDetailsRectified? Message)
{
    /// <summary>The person-index events when the rectification added the NHS number; none otherwise.</summary>
    public IReadOnlyList<object> PersonIndexEvents { get; init; } = [];

    /// <summary>Each referral not yet naming the entry the person was indexed under.</summary>
    public IReadOnlyList<ReferralPersonIndexed> ReferralsIndexed { get; init; } = [];
}

/// <summary>The person-index entry for an NHS number the rectification adds, as read under its lock (null: none yet).</summary>
public sealed record IndexEntryRead(Guid IndexId, PersonIndexEntry? Entry);

public static class RectifyDetailsDecider
{
    /// <summary>
    /// The NHS number the rectification adds: the command names one and none is held for the person (a self-referral
    /// made without it, traced later). The caller reads its person-index entry, under the entry's lock, before deciding.
    /// </summary>
    public static string? AddedNhsNumber(IReadOnlyList<Referral> referrals, RectifyDetails command) =>
        command.Person.NhsNumber is { } nhs && referrals.All(r => r.Person?.NhsNumber is null) ? nhs : null;

    /// <summary>
    /// Every referral of the person takes the corrected details; the other services are told once. The NHS number keys the
    /// person index, so a number held cannot be changed here (a wrong NHS number is a different person: withdraw and refer
    /// again; the entry of the number held is left as it is); left out, it is kept. Details already as corrected decide
    /// nothing. A number added where none was held indexes the person under it with their open journeys
    /// (<see cref="PersonIndexDecider.IndexTraced"/>; <paramref name="index"/> is its entry), so the next referral for the
    /// number joins them rather than opening a second record; held for another person, it is refused and nothing changes.
    /// </summary>
    public static RectificationDecision Decide(IReadOnlyList<Referral> referrals, bool erased, RectifyDetails command, DateTimeOffset now,
        IndexEntryRead? index = null)
    {
        if (referrals.Count == 0)
        {
            throw new DomainRuleException("No person with this id is known.");
        }

        if (erased)
        {
            throw new DomainRuleException("The person's personal data has been erased; there is nothing to correct.");
        }

        var nhsNumber = referrals.Select(r => r.Person?.NhsNumber).FirstOrDefault(n => n is not null);
        if (command.Person.NhsNumber is { } corrected && nhsNumber is not null && corrected != nhsNumber)
        {
            throw RequestValidationException.For("person.nhsNumber",
                "The NHS number cannot be changed by rectification: it identifies the person. Withdraw and refer again.");
        }

        IReadOnlyList<object> indexEvents = [];
        IReadOnlyList<ReferralPersonIndexed> indexed = [];
        if (AddedNhsNumber(referrals, command) is not null)
        {
            if (index is null)
            {
                throw new ArgumentException("The person-index entry of an NHS number being added must be read first.", nameof(index));
            }

            indexEvents = PersonIndexDecider.IndexTraced(index.Entry, index.IndexId, command.PersonId, OpenJourneys(referrals), now);
            indexed = referrals
                .Where(r => r.PersonIndexId != index.IndexId)
                .OrderBy(r => r.SubmittedAt)
                .Select(r => new ReferralPersonIndexed(r.Id, command.PersonId, index.IndexId, now))
                .ToList();
        }

        var details = command.Person with { NhsNumber = command.Person.NhsNumber ?? nhsNumber };
        var events = referrals
            .Where(r => r.Person != details)
            .OrderBy(r => r.SubmittedAt)
            .Select(r => new PersonDetailsCorrected(r.Id, command.PersonId, details, command.RectifiedBy, now))
            .ToList();
        return events.Count == 0
            ? new RectificationDecision([], null)
            : new RectificationDecision(events, new PersonDetailsRectified(command.PersonId, details, command.RectifiedBy, now))
            {
                PersonIndexEvents = indexEvents,
                ReferralsIndexed = indexed,
            };
    }

    /// <summary>
    /// The journeys the person has open, as the index would hold them had the person been indexed from the start: a
    /// journey is open from the referral that opened it until that referral is closed, declined or not eligible, or is
    /// withdrawn before the person started with a worker. One per programme (the latest), as the index keeps.
    /// </summary>
    private static List<HeldJourney> OpenJourneys(IReadOnlyList<Referral> referrals) => referrals
        .Where(r => !r.LinkedToOpenJourney && !r.IsFinished && !(r.Withdrawn && !r.JourneyOpenedBySupportPlan))
        .GroupBy(r => r.ProgrammeId)
        .Select(g => g.MaxBy(r => r.SubmittedAt)!)
        .OrderBy(r => r.SubmittedAt)
        .Select(r => new HeldJourney(r.ProgrammeId, r.JourneyId, r.Id, r.PreviousJourneyId))
        .ToList();
}
