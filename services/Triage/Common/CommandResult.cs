namespace Referrals.Triage.Common;

public enum CommandFailure
{
    NotFound,
    Forbidden,
}

/// <summary>The outcome of a command handler: the new state, or why the caller cannot have it (404/403).</summary>
public readonly record struct CommandResult<T>(T? Value, CommandFailure? Failure) where T : class
{
    public static CommandResult<T> Ok(T value) => new(value, null);

    public static CommandResult<T> NotFound => new(null, CommandFailure.NotFound);

    public static CommandResult<T> Forbidden => new(null, CommandFailure.Forbidden);

    public static implicit operator CommandResult<T>(T value) => Ok(value);
}
