namespace Referrals.EventStore;

/// <summary>
/// Functions every store creates in its schema, which document conditions and computed indexes may call by their bare
/// names: the session and the migration qualify them with the store's schema.
/// </summary>
public static partial class StoreFunctions
{
    /// <summary>
    /// <c>mt_immutable_timestamptz(text)</c>: a JSON timestamp as <c>timestamptz</c>, declared immutable so an index can
    /// hold it (PostgreSQL's own cast is only stable, because text without an offset is read in the session's time zone).
    /// The store writes every <see cref="DateTimeOffset"/> with its offset, so the result never depends on the session.
    /// Marten creates the same function for the same reason.
    /// </summary>
    public const string ImmutableTimestamp = "mt_immutable_timestamptz";

    internal static string Ddl(string schema) => $"""
        create or replace function {schema}.{ImmutableTimestamp}(value text) returns timestamptz
        language sql immutable parallel safe as $fn$ select value::timestamptz $fn$;
        """;

    internal static string Qualify(string sql, string schema) =>
        sql.Contains(ImmutableTimestamp, StringComparison.Ordinal) ? BareCall().Replace(sql, $"{schema}.{ImmutableTimestamp}(") : sql;

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w.""])mt_immutable_timestamptz\s*\(")]
    private static partial System.Text.RegularExpressions.Regex BareCall();
}
