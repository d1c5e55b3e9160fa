using Referrals.Testing;

namespace Referrals.Platform.Tests;

public sealed class TestInfrastructureVariablesTests
{
    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void No_variables_means_the_local_servers_are_started_by_the_script()
    {
        Assert.Null(TestInfrastructure.FromVariables(Variables()));
    }

    [Fact]
    public void Management_uri_defaults_to_port_55673_on_the_amqp_host()
    {
        var endpoints = TestInfrastructure.FromVariables(Variables(
            (TestInfrastructure.PostgresVariable, "Host=db;Port=5432;Username=u;Password=p;Database=d"),
            (TestInfrastructure.RabbitMqVariable, "amqp://user:secret@broker.local:5672/")));

        Assert.NotNull(endpoints);
        Assert.Equal(new Uri("http://broker.local:55673/"), endpoints.RabbitMqManagementUri);
        Assert.Equal("user", endpoints.RabbitMqUserName);
        Assert.Equal("secret", endpoints.RabbitMqPassword);
    }

    [Fact]
    public void Explicit_management_uri_is_used_as_given()
    {
        var endpoints = TestInfrastructure.FromVariables(Variables(
            (TestInfrastructure.PostgresVariable, "Host=db"),
            (TestInfrastructure.RabbitMqVariable, "amqp://u:p@broker:5672/"),
            (TestInfrastructure.RabbitMqManagementVariable, "http://mgmt:15672")));

        Assert.Equal(new Uri("http://mgmt:15672/"), endpoints!.RabbitMqManagementUri);
    }

    [Fact]
    public void Setting_only_one_of_the_server_variables_fails_loudly()
    {
        var error = Assert.Throws<InfrastructureUnavailableException>(() => TestInfrastructure.FromVariables(Variables(
            (TestInfrastructure.PostgresVariable, "Host=db"))));

        Assert.Contains(TestInfrastructure.RabbitMqVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_lines_printed_by_infra_env_are_parsed()
    {
        var parsed = InfraScript.ParseExports(
            "export REFERRALS_TEST_POSTGRES='Host=127.0.0.1;Port=55432;Username=referrals;Password=referrals;Database=referrals'\n" +
            "export REFERRALS_TEST_RABBITMQ='amqp://referrals:referrals@127.0.0.1:55672/'\n" +
            "noise line\n" +
            "export REFERRALS_TEST_RABBITMQ_MANAGEMENT=http://127.0.0.1:55673/\n");

        Assert.Equal("Host=127.0.0.1;Port=55432;Username=referrals;Password=referrals;Database=referrals", parsed["REFERRALS_TEST_POSTGRES"]);
        Assert.Equal("amqp://referrals:referrals@127.0.0.1:55672/", parsed["REFERRALS_TEST_RABBITMQ"]);
        Assert.Equal("http://127.0.0.1:55673/", parsed["REFERRALS_TEST_RABBITMQ_MANAGEMENT"]);
    }

    [Fact]
    public void Repository_root_is_the_folder_holding_the_solution()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, RepositoryPaths.SolutionFileName)));
        Assert.True(File.Exists(RepositoryPaths.InfraScript));
    }
}
