using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Referrals.Testing;

namespace Referrals.Platform.Tests;

/// <summary>
/// docker-compose.yml cannot be run here (no Docker engine), so its shape is checked: parsed with PyYAML
/// (Debian's python3-yaml; deploy/local/test.sh installs it when missing) and compared with infra.sh.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] ServiceEnvironment =
        ["ConnectionStrings__Postgres", "ConnectionStrings__RabbitMq", "OTEL_EXPORTER_OTLP_ENDPOINT", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT"];

    public static TheoryData<string, string, int> Services => new()
    {
        { "intake", "Intake", 5101 },
        { "triage", "Triage", 5102 },
        { "support-plan", "SupportPlan", 5103 },
        { "gp-records", "GpRecords", 5104 },
        { "web-app", "WebApp", 5100 },
    };

    private static readonly Lazy<JsonElement> Compose = new(() => ParseYaml(Path.Combine(RepositoryPaths.Root, "docker-compose.yml")));

    private static readonly Lazy<string> InfraScriptText = new(() => File.ReadAllText(RepositoryPaths.InfraScript));

    [Fact]
    public void Compose_defines_the_brokers_the_collector_the_four_services_and_the_web_app()
    {
        var names = Compose.Value.GetProperty("services").EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["gp-records", "intake", "otel-collector", "postgres", "rabbitmq", "support-plan", "triage", "web-app"], names);
        Assert.Equal("postgres:15", Service("postgres").GetProperty("image").GetString());
        Assert.Equal("rabbitmq:3.10-management", Service("rabbitmq").GetProperty("image").GetString());
        Assert.StartsWith("otel/opentelemetry-collector", Service("otel-collector").GetProperty("image").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres", "REFERRALS_PG_PORT", 5432)]
    [InlineData("rabbitmq", "REFERRALS_AMQP_PORT", 5672)]
    [InlineData("rabbitmq", "REFERRALS_RABBIT_MGMT_PORT", 15672)]
    public void Host_ports_of_the_brokers_match_the_local_infra_script(string service, string scriptVariable, int containerPort)
    {
        var match = Regex.Match(InfraScriptText.Value, $@"\$\{{{scriptVariable}:-(?<port>\d+)\}}");
        Assert.True(match.Success, $"infra.sh has no default for {scriptVariable}");

        Assert.Contains($"{match.Groups["port"].Value}:{containerPort}", Ports(service));
    }

    [Fact]
    public void Broker_credentials_match_what_infra_env_prints()
    {
        var postgres = Service("postgres").GetProperty("environment");
        var intakeEnvironment = Service("intake").GetProperty("environment");

        Assert.Equal("referrals", postgres.GetProperty("POSTGRES_USER").GetString());
        Assert.Equal("referrals", postgres.GetProperty("POSTGRES_PASSWORD").GetString());
        Assert.Equal("referrals", postgres.GetProperty("POSTGRES_DB").GetString());
        Assert.Contains("Username=referrals;Password=referrals;Database=referrals", intakeEnvironment.GetProperty("ConnectionStrings__Postgres").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("amqp://referrals:referrals@rabbitmq:5672/", intakeEnvironment.GetProperty("ConnectionStrings__RabbitMq").GetString(), StringComparison.Ordinal);
        Assert.Contains("Username=referrals;Password=referrals;Database=referrals", InfraScriptText.Value.Replace("%s", "referrals", StringComparison.Ordinal), StringComparison.Ordinal);
        var rabbitConfig = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "docker", "rabbitmq", "20-referrals.conf"));
        Assert.Contains("default_user = referrals", rabbitConfig, StringComparison.Ordinal);
        Assert.Contains("rabbitmq_shovel_management", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "docker", "rabbitmq", "enabled_plugins")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Each_service_is_built_from_the_shared_dockerfile_with_its_project_folder(string service, string folder, int hostPort)
    {
        var build = Service(service).GetProperty("build");

        Assert.Equal(".", build.GetProperty("context").GetString());
        Assert.Equal("deploy/docker/Dockerfile", build.GetProperty("dockerfile").GetString());
        Assert.Equal(folder, build.GetProperty("args").GetProperty("SERVICE").GetString());
        Assert.Equal([$"{hostPort}:8080"], Ports(service));
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "deploy", "docker", "Dockerfile")));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Each_service_gets_the_connection_settings_a_ready_healthcheck_and_waits_for_healthy_brokers(string service, string folder, int hostPort)
    {
        _ = (folder, hostPort);
        var definition = Service(service);
        var environment = definition.GetProperty("environment");
        var dependsOn = definition.GetProperty("depends_on");

        foreach (var name in ServiceEnvironment)
        {
            Assert.True(environment.TryGetProperty(name, out _), $"{service} lacks {name}");
        }

        Assert.Equal("http://otel-collector:4317", environment.GetProperty("OTEL_EXPORTER_OTLP_ENDPOINT").GetString());
        Assert.Equal("http://+:8080", environment.GetProperty("ASPNETCORE_URLS").GetString());
        Assert.Contains("/health/ready", definition.GetProperty("healthcheck").GetProperty("test").ToString(), StringComparison.Ordinal);
        Assert.Equal("service_healthy", dependsOn.GetProperty("postgres").GetProperty("condition").GetString());
        Assert.Equal("service_healthy", dependsOn.GetProperty("rabbitmq").GetProperty("condition").GetString());
        Assert.True(dependsOn.TryGetProperty("otel-collector", out _));
    }

    [Fact]
    public void Dockerfile_publishes_the_named_service_with_the_sdk_and_runs_it_on_aspnet()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "docker", "Dockerfile"));

        Assert.Contains("ARG SERVICE", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("services/${SERVICE}/Referrals.${SERVICE}.csproj", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Collector_receives_otlp_on_the_port_the_services_export_to()
    {
        var collector = ParseYaml(Path.Combine(RepositoryPaths.Root, "deploy", "otel", "collector.yaml"));
        var grpc = collector.GetProperty("receivers").GetProperty("otlp").GetProperty("protocols").GetProperty("grpc");

        Assert.EndsWith(":4317", grpc.GetProperty("endpoint").GetString(), StringComparison.Ordinal);
        Assert.Contains("4317:4317", Ports("otel-collector"));
        foreach (var pipeline in new[] { "traces", "metrics", "logs" })
        {
            Assert.True(collector.GetProperty("service").GetProperty("pipelines").TryGetProperty(pipeline, out _), pipeline);
        }
    }

    private static JsonElement Service(string name) => Compose.Value.GetProperty("services").GetProperty(name);

    private static List<string> Ports(string service) =>
        Service(service).GetProperty("ports").EnumerateArray().Select(p => p.GetString() ?? string.Empty).ToList();

    /// <summary>YAML to JSON through PyYAML (safe_load, which also resolves anchors and merge keys).</summary>
    private static JsonElement ParseYaml(string path)
    {
        const string Script = "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sys.stdout)";
        var errors = new List<string>();
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            var startInfo = new ProcessStartInfo(python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add(Script);
            startInfo.ArgumentList.Add(path);
            try
            {
                using var process = Process.Start(startInfo)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                process.WaitForExit();
                if (process.ExitCode == 0)
                {
                    using var document = JsonDocument.Parse(stdout.Result);
                    return document.RootElement.Clone();
                }

                errors.Add($"{python}: {stderr.Result}");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                errors.Add($"{python}: {e.Message}");
            }
        }

        throw new InvalidOperationException(
            "Could not parse YAML with PyYAML; install Debian's python3-yaml (deploy/local/test.sh does).\n" + string.Join('\n', errors));
    }
}
