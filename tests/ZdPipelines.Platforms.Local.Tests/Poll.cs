using System.Diagnostics;
using Xunit.Sdk;

namespace ZdPipelines.Platforms.Local.Tests;

/// <summary>
/// Waits on real servers: health checks, drains and restarts happen on the real clock here, so tests
/// poll a condition until a deadline instead of sleeping a fixed time.
/// </summary>
internal static class Poll
{
    /// <summary>Far above what any condition needs (a few health intervals of 100 ms), so only a real fault trips it.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(20);

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Deadline)
            {
                throw new XunitException($"Timed out after {Deadline.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(Step);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > Deadline)
            {
                throw new XunitException($"Timed out after {Deadline.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(Step);
        }
    }
}
