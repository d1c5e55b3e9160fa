using System.Text.RegularExpressions;

namespace Referrals.ClinicalSafety.Tests.Checker;

/// <summary>
/// docs/clinical-safety/pending-verifications.txt: the hazards whose verification may still say PENDING. One hazard id
/// per line, optionally followed by a note; '#' starts a comment; blank lines are ignored.
/// </summary>
public sealed partial record PendingAllowList(IReadOnlyList<PendingAllowList.Entry> Entries)
{
    public const string RelativePath = "docs/clinical-safety/pending-verifications.txt";

    public sealed record Entry(string HazardId, string Note, int Line);

    public bool Allows(string hazardId) => Entries.Any(e => e.HazardId == hazardId);

    public static PendingAllowList Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : new PendingAllowList([]);

    public static PendingAllowList Parse(string text)
    {
        var entries = new List<Entry>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var content = (hash >= 0 ? line[..hash] : line).Trim();
            if (content.Length == 0)
            {
                continue;
            }

            var m = EntryPattern().Match(content);
            if (!m.Success)
            {
                throw new FormatException($"{RelativePath} line {i + 1}: '{content}' does not start with a hazard id (HAZ-001).");
            }

            entries.Add(new Entry(m.Groups["id"].Value, m.Groups["note"].Value.Trim(), i + 1));
        }

        return new PendingAllowList(entries);
    }

    [GeneratedRegex(@"^(?<id>HAZ-\d{3})\b(?<note>.*)$")]
    private static partial Regex EntryPattern();
}
