namespace Referrals.ClinicalSafety.Tests.Checker;

/// <summary>A GitHub-flavoured markdown pipe table: a header row, a delimiter row, then body rows.</summary>
public sealed record MarkdownTable(IReadOnlyList<string> Header, IReadOnlyList<MarkdownTable.Row> Rows, int HeaderLine)
{
    public sealed record Row(IReadOnlyList<string> Cells, int Line);

    /// <summary>Every table in the text. Cells are trimmed; <c>\|</c> inside a cell is a literal pipe.</summary>
    public static IReadOnlyList<MarkdownTable> ReadAll(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var tables = new List<MarkdownTable>();
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (!IsRow(lines[i]) || !IsDelimiter(lines[i + 1]))
            {
                continue;
            }

            var header = SplitRow(lines[i]);
            var rows = new List<Row>();
            var j = i + 2;
            for (; j < lines.Length && IsRow(lines[j]); j++)
            {
                rows.Add(new Row(SplitRow(lines[j]), j + 1));
            }

            tables.Add(new MarkdownTable(header, rows, i + 1));
            i = j - 1;
        }

        return tables;
    }

    private static bool IsRow(string line) => line.TrimStart().StartsWith('|');

    private static bool IsDelimiter(string line) =>
        IsRow(line) && SplitRow(line).All(cell => cell.Length > 0 && cell.All(c => c is '-' or ':' or ' '));

    public static IReadOnlyList<string> SplitRow(string line)
    {
        var text = line.Trim();
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] == '|')
            {
                current.Append('|');
                i++;
            }
            else if (c == '|')
            {
                cells.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        cells.Add(current.ToString().Trim());
        // A row "| a | b |" splits into "", "a", "b", "": drop the empty edges the outer pipes make.
        if (text.StartsWith('|'))
        {
            cells.RemoveAt(0);
        }

        if (text.EndsWith('|') && !text.EndsWith("\\|", StringComparison.Ordinal) && cells.Count > 0)
        {
            cells.RemoveAt(cells.Count - 1);
        }

        return cells;
    }
}
