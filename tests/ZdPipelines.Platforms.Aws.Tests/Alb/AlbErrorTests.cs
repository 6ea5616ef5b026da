using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;
using ElbAction = ZdPipelines.Platforms.Aws.Clients.Action;

namespace ZdPipelines.Platforms.Aws.Tests.Alb;

/// <summary>Each mistake or refusal by AWS is one message that names the resource and the fix, and nothing on the load balancer changes.</summary>
public sealed class AlbErrorTests(MotoServer moto) : AlbTestBed(moto)
{
    private const string BlueGreen = """
        strategy:
          blueGreen: { bake: 0s }

        """;

    [Fact]
    public async Task A_listener_that_does_not_exist_is_named_with_its_spec_field_and_changes_nothing()
    {
        var wrong = Alb.ListenerArn[..^16] + "0123456789abcdef";
        var spec = Spec(BlueGreen, listenerArn: wrong);
        var before = await ListenerActionsAsync();

        var error = await Assert.ThrowsAsync<PlatformException>(() => Platform(spec).VerifyAsync(CancellationToken.None));

        Assert.Equal($"listener {wrong} (platform.awsAlb.listenerArn) was not found in {Moto.Region}. Fix: check the ARN and the region; `aws elbv2 describe-listeners --listener-arns {wrong}` must find it.", error.Message);
        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.Equal(before, await ListenerActionsAsync());
    }

    [Fact]
    public async Task A_missing_target_group_is_named_with_its_place_in_the_list_and_changes_nothing()
    {
        var missing = Alb.GreenArn[..^16] + "0123456789abcdef";
        var spec = Spec(BlueGreen, groups: [Alb.BlueArn, missing]);
        var before = await ListenerActionsAsync();

        var error = await Assert.ThrowsAsync<PlatformException>(() => Platform(spec).VerifyAsync(CancellationToken.None));

        Assert.StartsWith($"target group {missing} (platform.awsAlb.targetGroupArns[1]) was not found in {Moto.Region}.", error.Message, StringComparison.Ordinal);
        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.Equal(before, await ListenerActionsAsync());
        Assert.Empty(await TagsAsync(Alb.ListenerArn));
    }

    [Fact]
    public async Task A_listener_forwarding_to_a_group_outside_the_spec_is_refused_before_any_change()
    {
        var spec = Spec(BlueGreen, groups: [Alb.GreenArn, await OtherGroupAsync()]);

        var error = await Assert.ThrowsAsync<PlatformException>(() => Platform(spec).VerifyAsync(CancellationToken.None));

        Assert.Contains("forwards to target group web-blue", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: list the target group that serves today", error.Message, StringComparison.Ordinal);
        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task Rolling_on_a_listener_that_forwards_to_two_groups_is_refused_as_unsuitable_before_any_change()
    {
        var split = new ElbAction
        {
            Type = "forward",
            ForwardConfig = new ForwardActionConfig
            {
                TargetGroups = [new TargetGroupTuple { TargetGroupArn = Alb.BlueArn, Weight = 90 }, new TargetGroupTuple { TargetGroupArn = Alb.GreenArn, Weight = 10 }],
            },
        };
        await Elb.ModifyListenerAsync(new() { ListenerArn = Alb.ListenerArn, DefaultActions = [split] });
        var spec = Spec("""
            strategy:
              rolling: { batchSize: 1 }

            """, twoGroups: false);
        var before = await WeightsAsync();

        var error = await Assert.ThrowsAsync<PlatformException>(() => Platform(spec).VerifyAsync(CancellationToken.None));

        Assert.StartsWith($"the rolling strategy works inside one target group, but {Alb.ListenerArn} forwards to 2 (web-blue, web-green).", error.Message, StringComparison.Ordinal);
        Assert.Equal(PlatformErrorKind.Unsuitable, error.Kind);
        Assert.Equal(before, await WeightsAsync());
        Assert.Empty(await TagsAsync(Alb.ListenerArn));
    }

    [Fact]
    public async Task Credentials_AWS_rejects_give_one_message_naming_their_source_and_change_nothing()
    {
        await using var proxy = await FaultProxy.StartAsync(MotoServer.Endpoint);
        using var factory = Moto.Factory(proxy.Endpoint, ZdPipelines.Platforms.Aws.Clients.AwsCredentialsSource.FromKeys("AKIDEXAMPLE", "wrong", description: "the test's keys"));
        proxy.Fail("DescribeListeners", 1, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        var spec = Spec(BlueGreen);
        var before = await ListenerActionsAsync();

        var error = await Assert.ThrowsAsync<PlatformException>(() => Platform(spec, factory.CreateElbV2Client()).VerifyAsync(CancellationToken.None));

        Assert.StartsWith("AWS rejected the credentials from the test's keys when calling elasticloadbalancing:DescribeListeners: InvalidClientTokenId", error.Message, StringComparison.Ordinal);
        Assert.Single(error.Message.Split(". Check", StringSplitOptions.None).Skip(1));
        Assert.Equal(before, await ListenerActionsAsync());
    }

    [Fact]
    public async Task A_wrong_secret_key_reaches_the_user_without_the_session_token_AWS_echoed()
    {
        await using var proxy = await FaultProxy.StartAsync(MotoServer.Endpoint);
        using var factory = Moto.Factory(proxy.Endpoint, Planted.Credentials());
        proxy.RejectSignature("DescribeListeners", 1);

        var error = await Assert.ThrowsAsync<PlatformException>(() => Platform(Spec(BlueGreen), factory.CreateElbV2Client()).VerifyAsync(CancellationToken.None));

        Assert.Contains(Planted.SessionToken, proxy.Answered.Single());
        Assert.Contains("SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.", error.Message, StringComparison.Ordinal);
        // Everything the CLI-facing exception carries: its message, and the whole chain with stack traces.
        Planted.AssertNoneIn(error.Message, error.ToString(), error.InnerException?.Message, (error.InnerException as ZdPipelines.Platforms.Aws.Clients.AwsServiceException)?.ServiceMessage);
    }

    [Fact]
    public async Task Access_denied_on_the_switch_fails_the_deployment_with_the_missing_permission_and_leaves_the_listener_as_it_was()
    {
        await using var proxy = await FaultProxy.StartAsync(MotoServer.Endpoint);
        using var factory = Moto.Factory(proxy.Endpoint);
        proxy.Fail("ModifyListener", 10, 403, "AccessDenied", "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: elasticloadbalancing:ModifyListener");
        var spec = Spec(BlueGreen);
        var before = await ListenerActionsAsync();
        var platform = Platform(spec, factory.CreateElbV2Client());

        var result = await Engine(platform).DeployAsync(spec, await PlanAsync(spec, platform), "digest", CancellationToken.None);

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("AWS denied elasticloadbalancing:ModifyListener on " + Alb.ListenerArn, result.Reason, StringComparison.Ordinal);
        Assert.Contains("needs to allow \"elasticloadbalancing:ModifyListener\"", result.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await ListenerActionsAsync());
    }

    private async Task<string> WeightsAsync() =>
        string.Join(", ", (await ListenerActionsAsync()).SelectMany(a => a.ForwardConfig?.TargetGroups ?? []).Select(g => $"{Name(g.TargetGroupArn!)}={g.Weight}"));

    private async Task<string> OtherGroupAsync() =>
        (await Elb.CreateTargetGroupAsync(new() { Name = "web-other", Protocol = "HTTP", Port = 8080, VpcId = Alb.VpcId, TargetType = "ip" })).TargetGroups.Single().TargetGroupArn!;
}
