namespace Referrals.ClinicalSafety.Tests.Checker;

/// <summary>One thing wrong with the hazard log, named by the hazard it concerns.</summary>
public sealed record Finding(string HazardId, string Problem)
{
    public override string ToString() => $"{HazardId}: {Problem}";
}

/// <summary>A hazard the log must cover, recognised by phrases that must all appear in one hazard's Hazard cell.</summary>
public sealed record RequiredHazard(string Description, params string[] Phrases)
{
    public bool IsCoveredBy(Hazard hazard) =>
        Phrases.All(p => hazard.Title.Contains(p, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Checks a repository's hazard log against its test sources and its allow-list of pending verifications. Each check
/// returns findings (empty when the log is true) so the tests can print every problem at once.
/// </summary>
public sealed class HazardLogChecker
{
    private HazardLogChecker(string root, IReadOnlyList<Hazard> hazards, TestCatalogue catalogue, PendingAllowList allowList)
    {
        Root = root;
        Hazards = hazards;
        Catalogue = catalogue;
        AllowList = allowList;
    }

    public string Root { get; }

    public IReadOnlyList<Hazard> Hazards { get; }

    public TestCatalogue Catalogue { get; }

    public PendingAllowList AllowList { get; }

    /// <summary>Reads docs/clinical-safety/hazard-log.md, the allow-list beside it, and every test under tests/.</summary>
    public static HazardLogChecker Open(string root) => new(
        root,
        HazardLog.Load(Path.Combine(root, HazardLog.RelativePath)),
        TestCatalogue.Scan(Path.Combine(root, "tests"), root),
        PendingAllowList.Load(Path.Combine(root, PendingAllowList.RelativePath)));

    /// <summary>Every named test must exist (exactly one match), must not be skipped, and must cite a real control label.</summary>
    public IReadOnlyList<Finding> UnprovenVerifications()
    {
        var findings = new List<Finding>();
        foreach (var hazard in Hazards)
        {
            if (hazard.Verifications.Count == 0)
            {
                findings.Add(new Finding(hazard.Id, "has no verification at all"));
            }

            var labels = hazard.ControlLabels;
            foreach (var verification in hazard.Verifications)
            {
                if (verification.Control is { } control && !labels.Contains(control))
                {
                    findings.Add(new Finding(hazard.Id, $"'{verification}' cites control {control}, which the Controls cell does not list"));
                }

                if (verification.Test is not { } reference)
                {
                    continue;
                }

                var matches = Catalogue.Resolve(reference).DistinctBy(t => t.FullName).ToList();
                if (matches.Count == 0)
                {
                    findings.Add(new Finding(hazard.Id, $"names {reference}, which is no [Fact] or [Theory] under tests/"));
                }
                else if (matches.Count > 1)
                {
                    findings.Add(new Finding(hazard.Id,
                        $"names {reference}, which matches {matches.Count} tests ({string.Join(", ", matches.Select(m => m.FullName))}): qualify it"));
                }
                else if (matches[0].IsSkipped)
                {
                    findings.Add(new Finding(hazard.Id, $"names {reference}, which is skipped and so proves nothing ({matches[0].File}:{matches[0].Line})"));
                }
            }
        }

        return findings;
    }

    /// <summary>
    /// A PENDING verification is allowed only for a hazard the allow-list names, and every allow-list entry must name a
    /// hazard that is still pending: a stale entry fails too, so the list shrinks as the service tests land.
    /// </summary>
    public IReadOnlyList<Finding> PendingProblems()
    {
        var findings = new List<Finding>();
        foreach (var hazard in Hazards.Where(h => h.HasPendingVerification && !AllowList.Allows(h.Id)))
        {
            var first = hazard.Verifications.First(v => v.IsPending);
            findings.Add(new Finding(hazard.Id,
                $"has a PENDING verification ('{first.Pending}') but {PendingAllowList.RelativePath} does not list it"));
        }

        foreach (var entry in AllowList.Entries)
        {
            var hazard = Hazards.FirstOrDefault(h => h.Id == entry.HazardId);
            if (hazard is null)
            {
                findings.Add(new Finding(entry.HazardId, $"is listed in {PendingAllowList.RelativePath} (line {entry.Line}) but is not in the hazard log"));
            }
            else if (!hazard.HasPendingVerification)
            {
                findings.Add(new Finding(entry.HazardId,
                    $"is listed in {PendingAllowList.RelativePath} (line {entry.Line}) but nothing in it is PENDING any more: remove the entry"));
            }
        }

        foreach (var duplicate in AllowList.Entries.GroupBy(e => e.HazardId).Where(g => g.Count() > 1))
        {
            findings.Add(new Finding(duplicate.Key, $"is listed {duplicate.Count()} times in {PendingAllowList.RelativePath}"));
        }

        return findings;
    }

    /// <summary>Each risk value must be the matrix's value for its severity and likelihood.</summary>
    public IReadOnlyList<Finding> RiskProblems(RiskMatrix matrix)
    {
        var findings = new List<Finding>();
        foreach (var h in Hazards)
        {
            var initial = matrix.Risk(h.InitialSeverity, h.InitialLikelihood);
            if (h.InitialRisk != initial)
            {
                findings.Add(new Finding(h.Id, $"initial risk {h.InitialRisk}, but {h.InitialSeverity} × {h.InitialLikelihood} is {initial}"));
            }

            var residual = matrix.Risk(h.ResidualSeverity, h.ResidualLikelihood);
            if (h.ResidualRisk != residual)
            {
                findings.Add(new Finding(h.Id, $"residual risk {h.ResidualRisk}, but {h.ResidualSeverity} × {h.ResidualLikelihood} is {residual}"));
            }
        }

        return findings;
    }

    /// <summary>Every hazard names cause, effect, harm and labelled controls, and its residual risk is no higher than its initial risk.</summary>
    public IReadOnlyList<Finding> ControlProblems()
    {
        var findings = new List<Finding>();
        foreach (var h in Hazards)
        {
            foreach (var (name, value) in new[] { ("Hazard", h.Title), ("Cause(s)", h.Causes), ("Effect", h.Effect), ("Harm", h.Harm) })
            {
                if (string.IsNullOrWhiteSpace(value) || value.Trim() is "-" or "—")
                {
                    findings.Add(new Finding(h.Id, $"the {name} cell is empty"));
                }
            }

            if (h.ControlLabels.Count == 0)
            {
                findings.Add(new Finding(h.Id, "lists no controls (C1, C2, … at the start of each)"));
            }

            if (h.ResidualRisk > h.InitialRisk)
            {
                findings.Add(new Finding(h.Id, $"residual risk {h.ResidualRisk} is higher than its initial risk {h.InitialRisk}"));
            }

            if (h.ResidualSeverity > h.InitialSeverity)
            {
                findings.Add(new Finding(h.Id, $"residual severity {h.ResidualSeverity} is worse than its initial severity {h.InitialSeverity}"));
            }
        }

        return findings;
    }

    /// <summary>A hazard is Open exactly while a verification is PENDING; Open hazards cannot be Controlled, Closed or Transferred.</summary>
    public IReadOnlyList<Finding> StatusProblems() =>
        Hazards.Where(h => h.HasPendingVerification != (h.Status == HazardStatus.Open))
            .Select(h => new Finding(h.Id, h.HasPendingVerification
                ? $"is {h.Status} but a verification is still PENDING: it must be Open"
                : "is Open but no verification is PENDING: make it Controlled (or Closed/Transferred once accepted)"))
            .ToList();

    /// <summary>The required hazards no row covers.</summary>
    public IReadOnlyList<RequiredHazard> Uncovered(IEnumerable<RequiredHazard> required) =>
        required.Where(r => !Hazards.Any(r.IsCoveredBy)).ToList();
}
