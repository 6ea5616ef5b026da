using System.Net;
using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Platforms.Aws.Tests.Clients;

public sealed class AwsQueryClientTests
{
    private const string ListenerArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2";

    private const string Described = """
        <DescribeListenersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <DescribeListenersResult><Listeners><member><ListenerArn>arn:l</ListenerArn><Port>80</Port><Unknown>ignored</Unknown></member></Listeners></DescribeListenersResult>
          <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
        </DescribeListenersResponse>
        """;

    [Fact]
    public async Task A_throttled_call_waits_on_the_injected_clock_before_it_is_retried()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var handler = new ScriptedHandler(
            () => ScriptedHandler.Error(HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded"),
            () => ScriptedHandler.Xml(HttpStatusCode.OK, Described));
        using var factory = new AwsClientFactory(Options(), Moto.DummyCredentials, time, handler, randomizer: () => 0.5);
        var elb = factory.CreateElbV2Client();

        var call = elb.DescribeListenersAsync(new() { ListenerArns = [ListenerArn] });
        await WaitUntil(() => handler.Requests.Count == 1);
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        Assert.Single(handler.Requests);

        time.Advance(TimeSpan.FromSeconds(20));
        var response = await call;

        Assert.Equal(80, response.Listeners.Single().Port);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(1, elb.Counter.Calls("DescribeListeners"));
        Assert.Equal(2, elb.Counter.Requests("DescribeListeners"));
    }

    [Fact]
    public async Task A_sender_error_fails_at_once_with_the_action_resource_and_request_id()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Error(HttpStatusCode.BadRequest, "ValidationError", "Weight must be 0-999"));
        using var factory = new AwsClientFactory(Options(), Moto.DummyCredentials, null, handler, null);

        var error = await Assert.ThrowsAsync<AwsServiceException>(
            () => factory.CreateElbV2Client().ModifyListenerAsync(new() { ListenerArn = ListenerArn, DefaultActions = [] }));

        Assert.Single(handler.Requests);
        Assert.Equal("ValidationError", error.Code);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("req-1", error.RequestId);
        Assert.Equal("ModifyListener", error.Action);
        Assert.Equal("elasticloadbalancing", error.Service);
        Assert.Equal($"elasticloadbalancing:ModifyListener on {ListenerArn} failed: ValidationError: Weight must be 0-999 (HTTP 400, request id req-1).", error.Message);
    }

    [Fact]
    public async Task The_request_is_a_signed_form_post_to_the_regional_endpoint()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Xml(HttpStatusCode.OK, Described));
        using var factory = new AwsClientFactory(Options() with { EndpointUrl = null }, Moto.DummyCredentials, null, handler, null);

        await factory.CreateElbV2Client().DescribeListenersAsync(new() { ListenerArns = [ListenerArn], PageSize = 400 });

        var (request, body) = handler.Requests.Single();
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("https://elasticloadbalancing.eu-west-1.amazonaws.com/"), request.RequestUri);
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", request.Content!.Headers.GetValues("Content-Type").Single());
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=testing/", request.Headers.GetValues("authorization").Single());
        Assert.Contains("/eu-west-1/elasticloadbalancing/aws4_request", request.Headers.GetValues("authorization").Single());
        Assert.Equal($"Action=DescribeListeners&Version=2015-12-01&ListenerArns.member.1={Uri.EscapeDataString(ListenerArn)}&PageSize=400", body);
    }

    [Fact]
    public async Task An_empty_success_answer_is_retried_rather_than_read_as_no_items()
    {
        var handler = new ScriptedHandler(
            () => new HttpResponseMessage(HttpStatusCode.OK),
            () => ScriptedHandler.Xml(HttpStatusCode.OK, "<DescribeListenersResponse><DescribeListenersResult><Listeners>"),
            () => ScriptedHandler.Xml(HttpStatusCode.OK, Described));
        using var factory = new AwsClientFactory(Options(), Moto.DummyCredentials, null, handler, null);

        var response = await factory.CreateElbV2Client().DescribeListenersAsync(new() { ListenerArns = [ListenerArn] });

        Assert.Single(response.Listeners);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Theory]
    [InlineData("eu-west-1", "https://monitoring.eu-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", "https://monitoring.cn-north-1.amazonaws.com.cn/")]
    public void Endpoints_follow_the_region_and_its_partition(string region, string expected)
    {
        Assert.Equal(new Uri(expected), AwsQueryService.CloudWatch.EndpointFor(region, null));
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), AwsQueryService.CloudWatch.EndpointFor(region, new Uri("http://127.0.0.1:5000/")));
    }

    [Fact]
    public void Ec2_style_errors_and_bodies_that_are_not_xml_are_understood()
    {
        var ec2 = AwsQueryClient.ParseError(
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>no</Message></Error></Errors><RequestID>e1</RequestID></Response>", "Forbidden", 403);
        var html = AwsQueryClient.ParseError("<html><body>502 Bad Gateway</body", "Bad Gateway", 502);

        Assert.Equal(("UnauthorizedOperation", "no", "e1"), ec2);
        Assert.Equal("Http502", html.Code);
        Assert.Contains("502 Bad Gateway", html.Message);
    }

    [Fact]
    public void The_resource_named_in_messages_is_the_first_arn_else_the_first_listed_one_else_all()
    {
        Assert.Equal("arn:l", AwsQueryClient.ResourceOf(new QueryParameters().Add("ListenerArn", "arn:l").AddList("DefaultActions", ["x"])));
        Assert.Equal("arn:a", AwsQueryClient.ResourceOf(new QueryParameters().AddList("ResourceArns", ["arn:a", "arn:b"])));
        Assert.Equal("*", AwsQueryClient.ResourceOf(new QueryParameters().Add("StartTime", "2024-01-01T00:00:00Z")));
    }

    [Fact]
    public void Options_name_the_value_that_is_wrong()
    {
        Assert.Contains("region 'eu west'", Assert.Throws<ArgumentException>(() => (Options() with { Region = "eu west" }).Validate()).Message);
        Assert.Contains("MaxAttempts", Assert.Throws<ArgumentException>(() => (Options() with { MaxAttempts = 0 }).Validate()).Message);
        Assert.Contains("endpoint URL", Assert.Throws<ArgumentException>(() => (Options() with { EndpointUrl = new Uri("ftp://x/") }).Validate()).Message);
    }

    private static AwsClientOptions Options() => Moto.Options(new Uri("http://127.0.0.1:1/"));

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
