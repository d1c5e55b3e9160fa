namespace Referrals.WebApp.Display;

/// <summary>A text-like form field as the NHS.UK input/textarea components show it (partials _Input and _Textarea).</summary>
public sealed record Field(string Name, string Label, string? Value = null, string? Hint = null, string Type = "text", string? Width = null,
    string? InputMode = null, string? Autocomplete = null)
{
    public string Id => Ids.For(Name);
}

public sealed record Choice(string Value, string Label, string? Hint = null);

/// <summary>A radio group (partial _Radios) or select (partial _Select).</summary>
public sealed record ChoiceField(string Name, string Legend, IReadOnlyList<Choice> Choices, string? Selected, string? Hint = null, bool Inline = false,
    bool SmallLegend = false)
{
    public string Id => Ids.For(Name);

    public static IReadOnlyList<Choice> Of(IEnumerable<string> codes) => codes.Select(c => new Choice(c, Labels.Of(c))).ToList();
}

public static class Ids
{
    /// <summary>"Input.Items[3]" → "input-items-3": the element id the error summary links to.</summary>
    public static string For(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var id = new string(chars);
        while (id.Contains("--", StringComparison.Ordinal))
        {
            id = id.Replace("--", "-", StringComparison.Ordinal);
        }

        return id.Trim('-');
    }
}
