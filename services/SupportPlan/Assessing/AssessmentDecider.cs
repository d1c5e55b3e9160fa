using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Assessing;

public sealed record RecordWhatMatters(string Narrative);

public sealed record RecordStrengths(IReadOnlyList<string> Strengths);

public sealed record RecordBarriers(IReadOnlyList<Barrier> Barriers, string? Note);

public sealed record IdentifyNeed(NeedDomain Domain, NeedPriority Priority, string? Description);

public sealed record ReprioritiseNeed(NeedPriority Priority);

public sealed record ResolveNeed(string? Note);

/// <summary>
/// The holistic assessment, which changes over time: the "what matters to you" narrative, strengths, barriers, and needs
/// across the domains. Adding, reprioritising and resolving a need are separate events. Narrative first: only the words are
/// required, never a questionnaire.
/// </summary>
public static class AssessmentDecider
{
    private const int MaxItems = 30;

    public static IReadOnlyList<object> WhatMatters(Journey journey, RecordWhatMatters command, string by, DateTimeOffset now)
    {
        new Validation().Required(command.Narrative, "narrative", Validation.Narrative).ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "record what matters");
        return journey.WhatMatters == command.Narrative ? [] : [new WhatMattersRecorded(journey.Id, journey.PersonId, command.Narrative, by, now)];
    }

    public static IReadOnlyList<object> Strengths(Journey journey, RecordStrengths command, string by, DateTimeOffset now)
    {
        var validation = new Validation().Check(command.Strengths is { Count: <= MaxItems }, "strengths", $"Up to {MaxItems} strengths.");
        for (var i = 0; i < (command.Strengths?.Count ?? 0); i++)
        {
            validation.Required(command.Strengths![i], $"strengths[{i}]", Validation.Text);
        }

        validation.ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "record strengths");
        return [new StrengthsRecorded(journey.Id, journey.PersonId, command.Strengths, by, now)];
    }

    public static IReadOnlyList<object> Barriers(Journey journey, RecordBarriers command, string by, DateTimeOffset now)
    {
        var validation = new Validation().Check(command.Barriers is not null, "barriers", "List the barriers (an empty list means none).")
            .Optional(command.Note, "note", Validation.Text);
        for (var i = 0; i < (command.Barriers?.Count ?? 0); i++)
        {
            validation.Defined(command.Barriers![i], $"barriers[{i}]");
        }

        validation.ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "record barriers");
        return [new BarriersRecorded(journey.Id, journey.PersonId, command.Barriers!.Distinct().ToList(), command.Note, by, now)];
    }

    public static IReadOnlyList<object> Identify(Journey journey, IdentifyNeed command, Guid needId, string by, DateTimeOffset now)
    {
        new Validation().Defined(command.Domain, "domain").Defined(command.Priority, "priority")
            .Optional(command.Description, "description", Validation.Text).ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "identify a need");
        return [new NeedIdentified(journey.Id, journey.PersonId, needId, command.Domain, command.Priority, command.Description, by, now)];
    }

    public static IReadOnlyList<object> Reprioritise(Journey journey, Guid needId, ReprioritiseNeed command, string by, DateTimeOffset now)
    {
        new Validation().Defined(command.Priority, "priority").ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "reprioritise a need");
        var need = OpenNeed(journey, needId);
        return need.Priority == command.Priority ? [] : [new NeedReprioritised(journey.Id, needId, command.Priority, by, now)];
    }

    public static IReadOnlyList<object> Resolve(Journey journey, Guid needId, ResolveNeed command, string by, DateTimeOffset now)
    {
        new Validation().Optional(command.Note, "note", Validation.Text).ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "resolve a need");
        OpenNeed(journey, needId);
        return [new NeedResolved(journey.Id, journey.PersonId, needId, command.Note, by, now)];
    }

    private static Need OpenNeed(Journey journey, Guid needId)
    {
        var need = journey.Needs.Find(n => n.NeedId == needId) ?? throw new JourneyPartNotFoundException("need");
        return need.IsOpen ? need : throw new DomainRuleException("This need is already resolved.");
    }
}
