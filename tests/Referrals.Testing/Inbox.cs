using Npgsql;

namespace Referrals.Testing;

/// <summary>
/// A service's inbox, read directly: a consumer marks a message done there in the transaction that applies it, so a
/// message that is not in the inbox has not been applied (it is waiting for a retry, or was never consumed).
/// </summary>
public static class Inbox
{
    public static async Task<bool> HasAppliedAsync(string schema, Guid messageId)
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        await using var connection = new NpgsqlConnection(infrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select exists (select 1 from {schema}.mt_inbox where message_id = $1)", connection);
        command.Parameters.AddWithValue(messageId);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until the message is marked done, failing after <paramref name="timeout"/> (30 s by default).</summary>
    public static async Task WaitUntilAppliedAsync(string schema, Guid messageId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await HasAppliedAsync(schema, messageId))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Message {messageId} was not applied in time.");
            }

            await Task.Delay(50);
        }
    }
}
