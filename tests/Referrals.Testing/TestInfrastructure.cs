namespace Referrals.Testing;

/// <summary>
/// Entry point for tests that need the real PostgreSQL and RabbitMQ servers.
/// <list type="bullet">
/// <item>If REFERRALS_TEST_POSTGRES and REFERRALS_TEST_RABBITMQ are set (deploy/local/test.sh sets them), those
/// servers are used as they are. REFERRALS_TEST_RABBITMQ_MANAGEMENT defaults to http://&lt;amqp host&gt;:55673/.</item>
/// <item>Otherwise deploy/local/infra.sh install + start runs once per process (the script's flock serialises
/// processes) and its <c>env</c> output is used; the variables are then also set in this process.</item>
/// </list>
/// A failure throws <see cref="InfrastructureUnavailableException"/> with the script output: tests never skip and
/// never fall back to fakes.
/// </summary>
public static class TestInfrastructure
{
    public const string PostgresVariable = "REFERRALS_TEST_POSTGRES";
    public const string RabbitMqVariable = "REFERRALS_TEST_RABBITMQ";
    public const string RabbitMqManagementVariable = "REFERRALS_TEST_RABBITMQ_MANAGEMENT";
    public const int DefaultManagementPort = 55673;

    private static readonly Lazy<Task<InfrastructureEndpoints>> Started =
        new(StartOnceAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Makes sure the servers run (once per process) and returns where they are.</summary>
    public static Task<InfrastructureEndpoints> EnsureStartedAsync() => Started.Value;

    /// <summary>
    /// Builds endpoints from REFERRALS_TEST_* values, or returns null when neither PostgreSQL nor RabbitMQ is set.
    /// </summary>
    public static InfrastructureEndpoints? FromVariables(Func<string, string?> getVariable)
    {
        var postgres = NullIfBlank(getVariable(PostgresVariable));
        var rabbit = NullIfBlank(getVariable(RabbitMqVariable));
        if (postgres is null && rabbit is null)
        {
            return null;
        }

        if (postgres is null || rabbit is null)
        {
            throw new InfrastructureUnavailableException(
                $"Set both {PostgresVariable} and {RabbitMqVariable}, or neither (then deploy/local/infra.sh starts local servers).");
        }

        if (!Uri.TryCreate(rabbit, UriKind.Absolute, out var amqp) || amqp.Scheme is not ("amqp" or "amqps"))
        {
            throw new InfrastructureUnavailableException($"{RabbitMqVariable} must be an amqp:// URI, got '{rabbit}'.");
        }

        var managementText = NullIfBlank(getVariable(RabbitMqManagementVariable))
            ?? $"http://{amqp.Host}:{DefaultManagementPort}/";
        if (!Uri.TryCreate(managementText, UriKind.Absolute, out var management))
        {
            throw new InfrastructureUnavailableException(
                $"{RabbitMqManagementVariable} must be an http:// URI, got '{managementText}'.");
        }

        return new InfrastructureEndpoints(postgres, amqp, EnsureTrailingSlash(management));
    }

    private static async Task<InfrastructureEndpoints> StartOnceAsync()
    {
        var configured = FromVariables(Environment.GetEnvironmentVariable);
        if (configured is not null)
        {
            return configured;
        }

        var endpoints = await InfraScript.ForRepository().StartAsync();
        Environment.SetEnvironmentVariable(PostgresVariable, endpoints.PostgresConnectionString);
        Environment.SetEnvironmentVariable(RabbitMqVariable, endpoints.RabbitMqUri.ToString());
        Environment.SetEnvironmentVariable(RabbitMqManagementVariable, endpoints.RabbitMqManagementUri.ToString());
        return endpoints;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Uri EnsureTrailingSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
}
