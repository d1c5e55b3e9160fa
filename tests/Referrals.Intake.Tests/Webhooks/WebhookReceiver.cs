using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Referrals.Intake.Tests.Webhooks;

public sealed record ReceivedWebhook(string Path, string? Id, string? Timestamp, string? Signature, string Body, DateTimeOffset At, int Answered);

/// <summary>
/// A real HTTP endpoint (Kestrel on a free loopback port) standing in for a referrer's webhook receiver. It records every
/// request and answers with the status codes it is told to, then 200. (Production webhooks must be https and public; intake
/// refuses plain http and loopback unless Intake:Webhooks:AllowInsecureHttp and AllowPrivateAddresses are set, as they are
/// for these tests.)
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _answers = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Path.Value ?? "/";
            var status = receiver._answers.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next : 200;
            receiver._received.Enqueue(new ReceivedWebhook(path, context.Request.Headers["webhook-id"], context.Request.Headers["webhook-timestamp"],
                context.Request.Headers["webhook-signature"], body, DateTimeOffset.UtcNow, status));
            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    /// <summary>The next requests to <paramref name="path"/> are answered with these codes, in order.</summary>
    public void AnswerWith(string path, params int[] statusCodes) => _answers[path] = new ConcurrentQueue<int>(statusCodes);

    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(string path, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var received = Received.Where(r => r.Path == path).ToList();
            if (received.Count >= count)
            {
                return received;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{received.Count} of {count} webhook requests arrived at {path}.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
