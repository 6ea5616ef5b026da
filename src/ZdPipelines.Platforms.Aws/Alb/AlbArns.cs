namespace ZdPipelines.Platforms.Aws.Alb;

/// <summary>
/// What the ALB ARNs say without asking AWS: the load balancer of a listener, and the CloudWatch dimension values
/// (AWS/ApplicationELB <c>LoadBalancer</c> = <c>app/NAME/ID</c>, <c>TargetGroup</c> = <c>targetgroup/NAME/ID</c>,
/// load-balancer-cloudwatch-metrics.md), so users never write them by hand.
/// </summary>
internal static class AlbArns
{
    /// <summary>arn:…:listener/app/shop/50dc…/f2f7… → arn:…:loadbalancer/app/shop/50dc…; a rule ARN works too.</summary>
    public static string LoadBalancerOf(string listenerOrRuleArn)
    {
        var arn = listenerOrRuleArn.Replace(":listener-rule/", ":loadbalancer/", StringComparison.Ordinal).Replace(":listener/", ":loadbalancer/", StringComparison.Ordinal);
        var parts = arn.Split('/');
        return string.Join('/', parts.Take(4));
    }

    /// <summary>The listener of a rule: arn:…:listener-rule/app/shop/LB/LISTENER/RULE → arn:…:listener/app/shop/LB/LISTENER.</summary>
    public static string ListenerOf(string ruleArn)
    {
        var arn = ruleArn.Replace(":listener-rule/", ":listener/", StringComparison.Ordinal);
        return arn[..arn.LastIndexOf('/')];
    }

    /// <summary>app/shop/50dc6c495c0c9188: the LoadBalancer dimension of AWS/ApplicationELB.</summary>
    public static string LoadBalancerDimension(string listenerOrLoadBalancerArn)
    {
        var lb = LoadBalancerOf(listenerOrLoadBalancerArn);
        return lb[(lb.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];
    }

    /// <summary>targetgroup/shop-blue/73e2d6bc24d8a067: the TargetGroup dimension of AWS/ApplicationELB.</summary>
    public static string TargetGroupDimension(string targetGroupArn) => targetGroupArn[(targetGroupArn.LastIndexOf(':') + 1)..];

    /// <summary>The target group's name, for messages: arn:…:targetgroup/shop-blue/73e2… → shop-blue.</summary>
    public static string TargetGroupName(string targetGroupArn) => TargetGroupDimension(targetGroupArn).Split('/') is { Length: >= 2 } p ? p[1] : targetGroupArn;
}
