using System.Diagnostics.CodeAnalysis;

namespace Referrals.EventStore.Tests.TestEvents;

[AttributeUsage(AttributeTargets.Property)]
public sealed class PersonalDataAttribute : Attribute;

public sealed record TripStarted(Guid TripId, string Destination);
public sealed record TripLegAdded(Guid TripId, int Miles);
public sealed record TripEnded(Guid TripId);
public sealed record TripCancelled(Guid TripId);

/// <summary>An immutable aggregate folded by convention.</summary>
public sealed record Trip(Guid Id, string Destination, int Miles, bool Ended, long Version)
{
    public static Trip Create(TripStarted e) => new(e.TripId, e.Destination, 0, false, 0);
    public Trip Apply(TripLegAdded e) => this with { Miles = Miles + e.Miles };
    public Trip Apply(TripEnded _) => this with { Ended = true };
    public static bool ShouldDelete(TripCancelled _) => true;
}

/// <summary>The same fold under another document type, so an async copy can be compared with the inline one.</summary>
public sealed record TripCopy(Guid Id, string Destination, int Miles, bool Ended, long Version)
{
    public static TripCopy Create(TripStarted e) => new(e.TripId, e.Destination, 0, false, 0);
    public TripCopy Apply(TripLegAdded e) => this with { Miles = Miles + e.Miles };
    public TripCopy Apply(TripEnded _) => this with { Ended = true };
}

/// <summary>Counts trips per destination across streams.</summary>
public sealed record DestinationTally(string Id, int Trips, int Miles);

public sealed class DestinationTallyProjection : MultiStreamProjection<DestinationTally, string>
{
    public DestinationTallyProjection()
    {
        Identity<TripStarted>(e => e.Destination);
    }

    [SuppressMessage("Performance", "CA1822", Justification = "Convention method")]
    public DestinationTally Create(TripStarted e) => new(e.Destination, 1, 0);

    [SuppressMessage("Performance", "CA1822", Justification = "Convention method")]
    public DestinationTally Apply(TripStarted e, DestinationTally tally) => tally with { Trips = tally.Trips + 1 };
}

public sealed record PersonDetails(string Name, string Phone);

public sealed record PersonReferred(
    Guid PersonId,
    [property: PersonalData] PersonDetails? Details,
    [property: PersonalData] string? WhatMatters,
    string Programme);

public sealed record PersonContacted(Guid PersonId, [property: PersonalData] string? Note);

/// <summary>A read model carrying personal data.</summary>
public sealed record PersonCard(Guid Id, Guid PersonId, [property: PersonalData] string? Name, string Programme, int Contacts)
{
    public static PersonCard Create(PersonReferred e) => new(e.PersonId, e.PersonId, e.Details?.Name, e.Programme, 0);
    public PersonCard Apply(PersonContacted _) => this with { Contacts = Contacts + 1 };
}

public sealed record PersonNotified(Guid PersonId, [property: PersonalData] string? Name, EventSourceRef? Source = null);

public sealed record EventSourceRef(Guid StreamId, long Version);

public sealed record ReminderDue(Guid TripId, string Reason);

public sealed record OrderedMessage(Guid StreamId, int Index, EventSourceRef? Source = null);
