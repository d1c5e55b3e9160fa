namespace Referrals.WebApp.Display;

/// <summary>
/// The order fields appear on the page, so the error summary lists problems in that order. The page body renders before
/// its layout (where the summary is), so each field records itself as it renders.
/// </summary>
public static class FieldOrder
{
    private static readonly object Key = new();

    public static void Record(HttpContext context, string name)
    {
        if (context.Items[Key] is not List<string> names)
        {
            context.Items[Key] = names = [];
        }

        names.Add(name);
    }

    /// <summary>Errors about the whole form first, then fields in page order, then anything else.</summary>
    public static int Position(HttpContext context, string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return -1;
        }

        var index = context.Items[Key] is List<string> names ? names.IndexOf(name) : -1;
        return index < 0 ? int.MaxValue : index;
    }
}
