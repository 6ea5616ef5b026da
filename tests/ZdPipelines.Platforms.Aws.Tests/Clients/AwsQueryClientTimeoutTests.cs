using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Platforms.Aws.Tests.Clients;

/// <summary>
/// How long a call may take: each attempt is bounded, and so is the whole call with its retries, well inside the
/// 2-minute lease a deployment holds meanwhile. Waits run on a fake clock, so these tests take no real seconds.
/// </summary>
public sealed partial class AwsQueryClientTimeoutTests
{
    /// <summary>The engine's lease (EngineDefaults.LeaseDuration): a call must give up well before it.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    [GeneratedRegex(@"gave up after (\d+) attempts in ([\d.]+) s", RegexOptions.IgnoreCase)]
    private static partial Regex GaveUp();

    [Fact]
    public async Task An_endpoint_that_accepts_and_never_answers_is_given_up_within_the_call_budget_with_one_message()
    {
        await using var silent = new SilentEndpoint();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // The production defaults: only the endpoint is the test's.
        var options = new AwsClientOptions { Region = Moto.Region, EndpointUrl = silent.Endpoint };
        using var factory = new AwsClientFactory(options, Moto.DummyCredentials, time, null, randomizer: () => 0.5);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => RunOnFakeClock(time, factory.CreateElbV2Client().DescribeListenersAsync(new() { ListenerArns = ["arn:l"] })));

        Assert.Equal(AwsServiceException.NoResponseCode, error.Code);
        Assert.StartsWith($"elasticloadbalancing:DescribeListeners got no answer from {silent.Endpoint}: gave up after ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "(each attempt is abandoned after 10 s, the whole call after 45 s). The call only reads, so nothing was changed. Check the network and the region or endpoint URL.",
            error.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        var (attempts, took) = Parse(error.Message);
        // Every attempt reached the endpoint, but on a loaded machine the fake clock can abandon the last one while its
        // connection is still being accepted.
        Assert.InRange(silent.Accepted, attempts - 1, attempts);
        Assert.InRange(attempts, 2, AwsClientDefaults.MaxAttempts);
        // The fake clock is moved in steps while continuations catch up; on a loaded machine it may run past the budget a
        // little before the call sees it, so the bound is the budget plus one attempt, well under the lease.
        Assert.InRange(took, AwsClientDefaults.CallTimeout, AwsClientDefaults.CallTimeout + AwsClientDefaults.AttemptTimeout);
        Assert.True(took < Lease);
    }

    [Fact]
    public async Task Throttling_is_retried_only_until_the_call_budget_runs_out_even_with_attempts_left()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var handler = new ScriptedHandler([.. Enumerable.Repeat(() => ScriptedHandler.Error(HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded"), AwsClientDefaults.MaxAttemptsLimit)]);
        var options = new AwsClientOptions
        {
            Region = Moto.Region,
            EndpointUrl = new Uri("http://127.0.0.1:1/"),
            MaxAttempts = AwsClientDefaults.MaxAttemptsLimit,
            RetryBaseDelay = TimeSpan.FromSeconds(5),
        };
        using var factory = new AwsClientFactory(options, Moto.DummyCredentials, time, handler, randomizer: () => 0.5);

        var error = await Assert.ThrowsAsync<AwsServiceException>(
            () => RunOnFakeClock(time, factory.CreateElbV2Client().ModifyListenerAsync(new() { ListenerArn = "arn:l", DefaultActions = [] })));

        Assert.Equal("ThrottlingException", error.Code);
        Assert.Contains("elasticloadbalancing:ModifyListener on arn:l failed: ThrottlingException: Rate exceeded", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Whether AWS applied it is not known; zdp sent nothing further.", error.Message, StringComparison.Ordinal);
        var (attempts, took) = Parse(error.Message);
        Assert.Equal(handler.Requests.Count, attempts);
        Assert.True(attempts < AwsClientDefaults.MaxAttemptsLimit, $"{attempts} attempts: the budget, not the attempt count, should have ended it");
        // The fake clock is moved in steps while continuations catch up; on a loaded machine it may run past the budget a
        // little before the call sees it, so the bound is the budget plus one attempt, well under the lease.
        Assert.InRange(took, AwsClientDefaults.CallTimeout, AwsClientDefaults.CallTimeout + AwsClientDefaults.AttemptTimeout);
    }

    [Fact]
    public void The_call_budget_cannot_be_shorter_than_one_attempt()
    {
        var options = new AwsClientOptions { Region = Moto.Region, AttemptTimeout = TimeSpan.FromSeconds(30), CallTimeout = TimeSpan.FromSeconds(10) };

        Assert.Contains("CallTimeout", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_budget_lets_a_renewal_fail_once_and_the_next_still_start_inside_the_lease()
    {
        // The engine renews every quarter lease. A renewal that starts a quarter lease after the last one and uses the
        // whole budget is followed, a quarter lease later, by one that must still start before the lease (less the lease
        // rule's clock-skew allowance) runs out: 30 + 45 + 30 = 105 s < 110 s.
        Assert.True(Lease / 4 + AwsClientDefaults.CallTimeout + Lease / 4 < Lease - ZdPipelines.Platforms.Aws.Alb.AlbLeaseSlots.ClockSkewAllowance);
        Assert.True(AwsClientDefaults.AttemptTimeout * 2 < AwsClientDefaults.CallTimeout, "a silent endpoint must get at least one retry");
    }

    /// <summary>Moves the fake clock in small steps until <paramref name="call"/> ends, letting each step's continuations run.</summary>
    private static async Task<T> RunOnFakeClock<T>(FakeTimeProvider time, Task<T> call)
    {
        var start = time.GetUtcNow();
        while (!call.IsCompleted && time.GetUtcNow() - start < Lease * 2)
        {
            await Task.WhenAny(call, Task.Delay(2));
            time.Advance(Step);
        }

        return await call;
    }

    private static (int Attempts, TimeSpan Took) Parse(string message)
    {
        var match = GaveUp().Match(message);
        Assert.True(match.Success, message);
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)));
    }
}
