using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Tests.Support;

/// <summary>
/// The ALB a blue/green deployment works on, built in moto: a VPC with two subnets, an application load balancer,
/// a blue target group of instances and a green one of IPs (both with targets), and an HTTP:80 listener forwarding to blue.
/// The ELBv2 parts are made with <see cref="ElbV2Client"/>; EC2 has no client here, so the VPC and subnets are two raw Query calls.
/// </summary>
internal sealed record AlbEnvironment(
    string VpcId,
    IReadOnlyList<string> SubnetIds,
    LoadBalancer LoadBalancer,
    TargetGroup Blue,
    TargetGroup Green,
    Listener Listener)
{
    public static readonly IReadOnlyList<TargetDescription> BlueTargets =
    [
        new() { Id = "i-0b1e000000000001", Port = 8080 },
        new() { Id = "i-0b1e000000000002", Port = 8080 },
    ];

    public static readonly IReadOnlyList<TargetDescription> GreenTargets =
    [
        new() { Id = "10.0.1.10", Port = 8080 },
        new() { Id = "10.0.2.10", Port = 8080 },
    ];

    public string LoadBalancerArn => LoadBalancer.LoadBalancerArn!;

    public string ListenerArn => Listener.ListenerArn!;

    public string BlueArn => Blue.TargetGroupArn!;

    public string GreenArn => Green.TargetGroupArn!;

    public static async Task<AlbEnvironment> CreateAsync(AwsClientFactory factory, ElbV2Client elb, string name = "web")
    {
        var ec2 = factory.CreateQueryClient(Moto.Ec2);
        var vpc = await ec2.SendAsync("CreateVpc", new QueryParameters().Add("CidrBlock", "10.0.0.0/16"), CancellationToken.None);
        var vpcId = vpc.Child("vpc").Text("vpcId")!;
        var subnets = new List<string>();
        foreach (var (cidr, zone) in new[] { ("10.0.1.0/24", "a"), ("10.0.2.0/24", "b") })
        {
            var subnet = await ec2.SendAsync(
                "CreateSubnet",
                new QueryParameters().Add("VpcId", vpcId).Add("CidrBlock", cidr).Add("AvailabilityZone", Moto.Region + zone),
                CancellationToken.None);
            subnets.Add(subnet.Child("subnet").Text("subnetId")!);
        }

        var lb = (await elb.CreateLoadBalancerAsync(new() { Name = $"{name}-alb", Subnets = subnets, Scheme = "internet-facing", Type = "application" }))
            .LoadBalancers.Single();
        var blue = await CreateGroupAsync(elb, $"{name}-blue", vpcId, "instance", BlueTargets);
        var green = await CreateGroupAsync(elb, $"{name}-green", vpcId, "ip", GreenTargets);
        var listener = (await elb.CreateListenerAsync(new()
        {
            LoadBalancerArn = lb.LoadBalancerArn!,
            Protocol = "HTTP",
            Port = 80,
            DefaultActions = [new() { Type = "forward", TargetGroupArn = blue.TargetGroupArn }],
        })).Listeners.Single();

        return new AlbEnvironment(vpcId, subnets, lb, blue, green, listener);
    }

    private static async Task<TargetGroup> CreateGroupAsync(ElbV2Client elb, string name, string vpcId, string targetType, IReadOnlyList<TargetDescription> targets)
    {
        var group = (await elb.CreateTargetGroupAsync(new()
        {
            Name = name,
            Protocol = "HTTP",
            Port = 8080,
            VpcId = vpcId,
            TargetType = targetType,
            HealthCheckPath = "/healthz",
        })).TargetGroups.Single();
        await elb.RegisterTargetsAsync(new() { TargetGroupArn = group.TargetGroupArn!, Targets = targets });
        return group;
    }
}
