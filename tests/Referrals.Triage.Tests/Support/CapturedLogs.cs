using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Referrals.Triage.Tests.Support;

/// <summary>The warnings and errors the hosted service logs, with their structured values, for tests of what is logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Where(p => p.Key != "{OriginalFormat}").ToDictionary(p => p.Key, p => p.Value)
                : [];
            logs._entries.Enqueue(new CapturedLog(logLevel, category, formatter(state, exception), values));
        }
    }
}

public sealed record CapturedLog(LogLevel Level, string Category, string Message, IReadOnlyDictionary<string, object?> Values);
