using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Platforms.Aws.Tests.Clients;

/// <summary>
/// Retries and error messages, with a fault proxy between the client and moto_server that answers some calls with
/// AWS errors (or drops them) before letting the rest through to moto.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, which xunit calls after each test.")]
public sealed class AwsQueryClientFaultTests(MotoServer moto) : MotoTest(moto), IAsyncLifetime
{
    private FaultProxy _proxy = null!;
    private AwsClientFactory _viaProxy = null!;
    private ElbV2Client _elb = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _proxy = await FaultProxy.StartAsync(MotoServer.Endpoint);
        _viaProxy = Moto.Factory(_proxy.Endpoint);
        _elb = _viaProxy.CreateElbV2Client();
    }

    public override async Task DisposeAsync()
    {
        _viaProxy.Dispose();
        await _proxy.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Throttling_and_503_are_retried_until_the_call_gets_through()
    {
        _proxy.Fail("DescribeListeners", 2, 400, "ThrottlingException", "Rate exceeded");
        _proxy.Fail("DescribeListeners", 1, 503, "ServiceUnavailable", "Service is unavailable");

        var listener = (await _elb.DescribeListenersAsync(new() { ListenerArns = [Alb.ListenerArn] })).Listeners.Single();

        Assert.Equal(Alb.ListenerArn, listener.ListenerArn);
        Assert.Equal(4, _proxy.Count("DescribeListeners"));
        Assert.Equal(1, _elb.Counter.Calls("DescribeListeners"));
        Assert.Equal(4, _elb.Counter.Requests("DescribeListeners"));
    }

    [Theory]
    [InlineData(400, "Throttling")]
    [InlineData(400, "RequestLimitExceeded")]
    [InlineData(500, "InternalFailure")]
    [InlineData(500, "HealthUnavailable")]
    [InlineData(502, "BadGateway")]
    [InlineData(504, "GatewayTimeout")]
    public async Task Each_throttling_code_and_transient_status_is_retried(int status, string code)
    {
        _proxy.Fail("DescribeTargetHealth", 1, status, code, "try again");

        var health = await _elb.DescribeTargetHealthAsync(new() { TargetGroupArn = Alb.BlueArn });

        Assert.Equal(AlbEnvironment.BlueTargets.Count, health.TargetHealthDescriptions.Count);
        Assert.Equal(2, _proxy.Count("DescribeTargetHealth"));
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        _proxy.Drop("DescribeTargetHealth", 2);

        var health = await _elb.DescribeTargetHealthAsync(new() { TargetGroupArn = Alb.BlueArn });

        Assert.Equal(AlbEnvironment.BlueTargets.Count, health.TargetHealthDescriptions.Count);
        Assert.Equal(3, _proxy.Count("DescribeTargetHealth"));
    }

    [Fact]
    public async Task Access_denied_is_one_message_naming_the_action_resource_and_permission_and_is_not_retried()
    {
        _proxy.Fail(
            "ModifyListener",
            1,
            403,
            "AccessDenied",
            $"User: arn:aws:sts::{Moto.AccountId}:assumed-role/deploy/zdp is not authorized to perform: elasticloadbalancing:ModifyListener on resource: {Alb.ListenerArn}");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _elb.ModifyListenerAsync(new()
        {
            ListenerArn = Alb.ListenerArn,
            DefaultActions = [new() { Type = "forward", TargetGroupArn = Alb.GreenArn }],
        }));

        Assert.Equal(1, _proxy.Count("ModifyListener"));
        Assert.True(error.IsAccessDenied);
        Assert.Equal("AccessDenied", error.Code);
        Assert.Equal(403, error.StatusCode);
        Assert.StartsWith($"AWS denied elasticloadbalancing:ModifyListener on {Alb.ListenerArn} to the credentials from moto's dummy keys: AccessDenied: User:", error.Message);
        Assert.EndsWith($"The IAM policy of that identity needs to allow \"elasticloadbalancing:ModifyListener\" on {Alb.ListenerArn}.", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Access_denied_on_cloudwatch_names_the_cloudwatch_permission()
    {
        using var cloudWatch = Moto.Factory(_proxy.Endpoint);
        _proxy.Fail("DescribeAlarms", 1, 403, "AccessDenied", "not authorized");

        var error = await Assert.ThrowsAsync<AwsServiceException>(
            () => cloudWatch.CreateCloudWatchClient().DescribeAlarmsAsync(new() { AlarmNamePrefix = "web-" }));

        Assert.Equal("monitoring", error.Service);
        Assert.Contains("\"cloudwatch:DescribeAlarms\" on *", error.Message);
    }

    [Theory]
    [InlineData("InvalidClientTokenId", "The security token included in the request is invalid.")]
    [InlineData("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")]
    [InlineData("ExpiredToken", "The security token included in the request is expired")]
    public async Task Rejected_credentials_are_one_message_naming_where_they_came_from(string code, string message)
    {
        _proxy.Fail("DescribeLoadBalancers", 1, 403, code, message);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _elb.DescribeLoadBalancersAsync(new()));

        Assert.Equal(1, _proxy.Count("DescribeLoadBalancers"));
        Assert.True(error.IsCredentialsError);
        Assert.StartsWith($"AWS rejected the credentials from moto's dummy keys when calling elasticloadbalancing:DescribeLoadBalancers: {code}: {message}", error.Message);
    }

    [Fact]
    public async Task A_wrong_secret_key_is_one_message_without_the_echoed_request_or_any_credential_value()
    {
        var planted = Planted.Credentials();
        using var factory = Moto.Factory(_proxy.Endpoint, planted);
        _proxy.RejectSignature("DescribeListeners", 1);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => factory.CreateElbV2Client().DescribeListenersAsync(new() { ListenerArns = [Alb.ListenerArn] }));

        // The answer really did echo the session token; none of it got through.
        Assert.Contains($"x-amz-security-token:{Planted.SessionToken}", _proxy.Answered.Single());
        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.StartsWith(
            "AWS rejected the credentials from the planted keys when calling elasticloadbalancing:DescribeListeners: SignatureDoesNotMatch: "
            + "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
            error.Message);
        Assert.DoesNotContain("Canonical String", error.ToString());
        Planted.AssertNoneIn(error.Message, error.ServiceMessage, error.ToString());
    }

    [Fact]
    public void Fixed_keys_hand_their_values_to_a_masker_with_the_key_id_shortened()
    {
        var planted = Planted.Credentials();
        var reported = new List<AwsSecretValue>();

        planted.ReportSecretsTo(reported.Add);

        Assert.Equal(
            [(Planted.AccessKeyId, "AKIA…PLE7"), (Planted.SecretKey, "***"), (Planted.SessionToken, "***")],
            reported.Select(r => (r.Value, r.Replacement)).OrderBy(r => r.Replacement == "***").ThenBy(r => r.Value.Length));
        Assert.Equal(reported.OrderBy(r => r.Value, StringComparer.Ordinal), planted.KnownSecrets.OrderBy(r => r.Value, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Retries_stop_after_the_maximum_attempts_with_the_last_error()
    {
        _proxy.Fail("DescribeRules", AwsClientDefaults.MaxAttempts + 1, 400, "ThrottlingException", "Rate exceeded");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _elb.DescribeRulesAsync(new() { ListenerArn = Alb.ListenerArn }));

        Assert.Equal(AwsClientDefaults.MaxAttempts, _proxy.Count("DescribeRules"));
        Assert.Equal("ThrottlingException", error.Code);
        Assert.Contains($"Gave up after {AwsClientDefaults.MaxAttempts} attempts in ", error.Message);
        Assert.EndsWith("The call only reads, so nothing was changed.", error.Message);
    }

    [Fact]
    public async Task A_sender_error_is_not_retried()
    {
        _proxy.Fail("RegisterTargets", 1, 400, "InvalidTarget", "The target is not in a running state");

        var error = await Assert.ThrowsAsync<AwsServiceException>(
            () => _elb.RegisterTargetsAsync(new() { TargetGroupArn = Alb.BlueArn, Targets = [new() { Id = "i-0stopped" }] }));

        Assert.Equal("InvalidTarget", error.Code);
        Assert.Equal(1, _proxy.Count("RegisterTargets"));
    }

    [Fact]
    public async Task A_refused_connection_is_a_network_message_after_the_attempts()
    {
        using var nowhere = Moto.Factory(new Uri("http://127.0.0.1:1/"), maxAttempts: 2);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => nowhere.CreateElbV2Client().DescribeLoadBalancersAsync(new()));

        Assert.Equal(AwsServiceException.NoResponseCode, error.Code);
        Assert.StartsWith("elasticloadbalancing:DescribeLoadBalancers got no answer from http://127.0.0.1:1/ (Connection refused", error.Message);
        Assert.Contains("gave up after 2 attempts in ", error.Message);
        Assert.Contains("The call only reads, so nothing was changed.", error.Message);
    }

    [Fact]
    public async Task A_stalled_write_is_abandoned_after_its_attempts_and_says_that_it_may_have_landed()
    {
        // Real time, so the budgets are small: two attempts of 300 ms.
        var options = Moto.Options(_proxy.Endpoint, maxAttempts: 2) with { AttemptTimeout = TimeSpan.FromMilliseconds(300), CallTimeout = TimeSpan.FromSeconds(5) };
        using var factory = new AwsClientFactory(options, Moto.DummyCredentials);
        _proxy.Stall("ModifyListener", 2);
        var before = (await Elb.DescribeListenersAsync(new() { ListenerArns = [Alb.ListenerArn] })).Listeners.Single().DefaultActions;

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => factory.CreateElbV2Client().ModifyListenerAsync(new()
        {
            ListenerArn = Alb.ListenerArn,
            DefaultActions = [new() { Type = "forward", TargetGroupArn = Alb.GreenArn }],
        }));

        Assert.Equal(2, _proxy.Count("ModifyListener"));
        Assert.StartsWith($"elasticloadbalancing:ModifyListener got no answer from {_proxy.Endpoint}: gave up after 2 attempts in ", error.Message);
        Assert.Contains("(each attempt is abandoned after 0.3 s, the whole call after 5 s). Whether AWS applied it is not known; zdp sent nothing further.", error.Message);
        // The proxy never let it through, so here it did not land.
        Assert.Equal(before, (await Elb.DescribeListenersAsync(new() { ListenerArns = [Alb.ListenerArn] })).Listeners.Single().DefaultActions);
    }
}
