using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using Referrals.Testing;

namespace Referrals.Platform.Tests;

/// <summary>The shared servers every test project uses (started by test.sh or on first use).</summary>
public sealed class SharedInfrastructureTests
{
    [Fact]
    public async Task Postgres_accepts_the_referrals_login_as_a_superuser_on_the_referrals_database()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();

        await using var connection = new NpgsqlConnection(endpoints.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select current_user, current_database(), (select rolsuper from pg_roles where rolname = current_user), " +
            "current_setting('server_version_num')::int, current_setting('max_connections')::int",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal("referrals", reader.GetString(0));
        Assert.Equal("referrals", reader.GetString(1));
        Assert.True(reader.GetBoolean(2));
        Assert.InRange(reader.GetInt32(3), 150000, 159999);
        Assert.True(reader.GetInt32(4) >= 400);
    }

    [Fact]
    public async Task RabbitMq_accepts_amqp_connections_from_the_referrals_administrator()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();

        var factory = new ConnectionFactory { Uri = endpoints.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync(exclusive: true, autoDelete: true);

        Assert.True(connection.IsOpen);
        Assert.StartsWith("amq.gen-", queue.QueueName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RabbitMq_management_api_answers_and_has_the_shovel_plugins_for_moving_error_messages()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();
        using var management = RabbitManagementClient.Create(endpoints);

        using var whoami = await management.GetJsonAsync("api/whoami");
        using var overview = await management.GetJsonAsync("api/overview");
        using var shovels = await management.GetJsonAsync("api/shovels");

        Assert.Equal("referrals", whoami.RootElement.GetProperty("name").GetString());
        Assert.Contains("administrator", whoami.RootElement.GetProperty("tags").ToString(), StringComparison.Ordinal);
        Assert.StartsWith("3.10", overview.RootElement.GetProperty("rabbitmq_version").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, shovels.RootElement.ValueKind);
    }
}
