namespace Referrals.Intake.People;

/// <summary>Why a journey stopped counting as open in the person index.</summary>
public enum JourneyEndReason
{
    Closed,
    NotEligible,
    Declined,
    Withdrawn,
}

/// <summary>The person's first referral: a person id is allocated for the NHS number's index entry.</summary>
public sealed record PersonIndexed(Guid IndexId, Guid PersonId, DateTimeOffset IndexedAt);

/// <summary>A referral opened a new journey for the person in a programme (naming the previous one there, if any).</summary>
public sealed record JourneyStarted(
    Guid IndexId,
    Guid PersonId,
    string ProgrammeId,
    Guid JourneyId,
    Guid ReferralId,
    Guid? PreviousJourneyId,
    DateTimeOffset StartedAt);

/// <summary>A referral arrived while the person's journey in the programme was open: it joined that journey.</summary>
public sealed record ReferralJoinedOpenJourney(
    Guid IndexId,
    Guid PersonId,
    string ProgrammeId,
    Guid JourneyId,
    Guid ReferralId,
    DateTimeOffset JoinedAt);

/// <summary>Support-plan recorded the journey under another id (it reopened the previous journey); the index follows.</summary>
public sealed record JourneyIdentityConfirmed(
    Guid IndexId,
    Guid PersonId,
    string ProgrammeId,
    Guid ProposedJourneyId,
    Guid JourneyId,
    DateTimeOffset ConfirmedAt);

/// <summary>The journey is no longer open: a later referral in the programme starts a new one.</summary>
public sealed record JourneyEnded(
    Guid IndexId,
    Guid PersonId,
    string ProgrammeId,
    Guid JourneyId,
    JourneyEndReason Reason,
    DateTimeOffset EndedAt);

/// <summary>
/// The referral that ended the journey as not eligible was brought back into scope (a team lead's override in triage):
/// the journey is open again, so a later referral in the programme joins it rather than starting a second.
/// </summary>
public sealed record JourneyResumed(
    Guid IndexId,
    Guid PersonId,
    string ProgrammeId,
    Guid JourneyId,
    Guid ReferralId,
    DateTimeOffset ResumedAt);

/// <summary>
/// The person was erased: the entry forgets them, so a later referral with the same NHS number is a new person.
/// (Issue 10 adds the <c>PersonErased</c> consumer that appends this; the fold already honours it.)
/// </summary>
public sealed record PersonIndexErased(Guid IndexId, Guid PersonId, DateTimeOffset ErasedAt);

public sealed record OpenJourney(Guid JourneyId, Guid ReferralId);

/// <summary>
/// One person in the index, keyed by a keyed hash (HMAC blind index) of their NHS number: the stream id is
/// <c>BlindIndex.ComputeGuid("nhs-number", nhs)</c>, so two referrals for the same person meet on the same stream and
/// the first writer wins. No NHS number is stored here, in plain or encrypted form.
/// </summary>
public sealed record PersonIndexEntry
{
    public Guid Id { get; init; }

    /// <summary>Null once the person has been erased.</summary>
    public Guid? PersonId { get; init; }

    /// <summary>The open journey per programme.</summary>
    public IReadOnlyDictionary<string, OpenJourney> OpenJourneys { get; init; } = new Dictionary<string, OpenJourney>();

    /// <summary>The most recent journey per programme, open or not: a new journey names it as previous.</summary>
    public IReadOnlyDictionary<string, Guid> LastJourneys { get; init; } = new Dictionary<string, Guid>();

    public static PersonIndexEntry Create(PersonIndexed e) => new() { Id = e.IndexId, PersonId = e.PersonId };

    public PersonIndexEntry Apply(PersonIndexed e) => this with { PersonId = e.PersonId };

    public PersonIndexEntry Apply(JourneyStarted e) => this with
    {
        OpenJourneys = With(OpenJourneys, e.ProgrammeId, new OpenJourney(e.JourneyId, e.ReferralId)),
        LastJourneys = With(LastJourneys, e.ProgrammeId, e.JourneyId),
    };

    public PersonIndexEntry Apply(JourneyIdentityConfirmed e) => this with
    {
        OpenJourneys = OpenJourneys.TryGetValue(e.ProgrammeId, out var open) && open.JourneyId == e.ProposedJourneyId
            ? With(OpenJourneys, e.ProgrammeId, open with { JourneyId = e.JourneyId })
            : OpenJourneys,
        LastJourneys = LastJourneys.TryGetValue(e.ProgrammeId, out var last) && last == e.ProposedJourneyId
            ? With(LastJourneys, e.ProgrammeId, e.JourneyId)
            : LastJourneys,
    };

    public PersonIndexEntry Apply(JourneyEnded e) => this with
    {
        OpenJourneys = OpenJourneys.TryGetValue(e.ProgrammeId, out var open) && open.JourneyId == e.JourneyId
            ? OpenJourneys.Where(j => j.Key != e.ProgrammeId).ToDictionary()
            : OpenJourneys,
    };

    public PersonIndexEntry Apply(JourneyResumed e) => this with
    {
        OpenJourneys = With(OpenJourneys, e.ProgrammeId, new OpenJourney(e.JourneyId, e.ReferralId)),
    };

    public PersonIndexEntry Apply(PersonIndexErased e) => new() { Id = Id };

    /// <summary>Applies one of the entry's own events (the same fold the store runs).</summary>
    public PersonIndexEntry Then(object @event) => @event switch
    {
        PersonIndexed e => Apply(e),
        JourneyStarted e => Apply(e),
        JourneyIdentityConfirmed e => Apply(e),
        JourneyEnded e => Apply(e),
        JourneyResumed e => Apply(e),
        PersonIndexErased e => Apply(e),
        _ => this,
    };

    public OpenJourney? OpenJourneyIn(string programmeId) => OpenJourneys.GetValueOrDefault(programmeId);

    public Guid? LastJourneyIn(string programmeId) => LastJourneys.TryGetValue(programmeId, out var id) ? id : null;

    private static Dictionary<string, T> With<T>(IReadOnlyDictionary<string, T> source, string key, T value) =>
        new(source) { [key] = value };
}
