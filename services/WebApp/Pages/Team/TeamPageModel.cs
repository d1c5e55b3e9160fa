using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.WebApp.Pages.Team;

/// <summary>
/// A team lead page. One about a single programme shows the first of their programme claims unless another of them is chosen
/// (<c>?programme=</c>), and links to itself for each of the others (<c>_ProgrammeChoice</c>).
/// </summary>
public abstract class TeamPageModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Programme { get; set; }

    public IReadOnlyList<string> Programmes => User.Programmes();

    /// <summary>
    /// The token names no programme (identity provider misconfigured or stale): a page about programmes says the account is not
    /// set up with one, as the worklist does (HAZ-002 C7), rather than reading a programme with no name or saying none wait.
    /// </summary>
    public bool NamesNoProgramme => Programmes.Count == 0;

    /// <summary>The team lead leads more than one programme: a page listing several says which each row is in.</summary>
    public bool SeveralProgrammes => Programmes.Count > 1;

    /// <summary>The programme a single-programme page shows: only ever one of the team lead's own.</summary>
    public string ShownProgramme => ProgrammeId;

    /// <summary>The team lead's programmes other than the one shown.</summary>
    public IReadOnlyList<string> OtherProgrammes => Programmes.Where(p => p != ProgrammeId).ToList();

    /// <summary>What <c>_ProgrammeChoice</c> shows: this page for each of the other programmes.</summary>
    public ProgrammeChoice Choice => new(ShownProgramme, OtherProgrammes, Request.Path);

    protected string ProgrammeId => Programme is { } p && Programmes.Contains(p) ? p : Programmes.FirstOrDefault() ?? string.Empty;
}

/// <summary>The programme a page shows, the team lead's others, and the page's path, to link to it for each of them.</summary>
public sealed record ProgrammeChoice(string Shown, IReadOnlyList<string> Others, string Path)
{
    public string LinkTo(string programme) => $"{Path}?programme={Uri.EscapeDataString(programme)}";
}
