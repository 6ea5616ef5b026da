using ElbAction = ZdPipelines.Platforms.Aws.Clients.Action;
using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Alb;

/// <summary>
/// Reads and rewrites the forward action of a listener or rule, touching nothing else: other actions (authenticate,
/// their order), the stickiness of the forward, and a rule's conditions go back exactly as they were read.
/// </summary>
internal static class AlbForward
{
    public static int IndexOf(IReadOnlyList<ElbAction> actions)
    {
        for (var i = 0; i < actions.Count; i++)
        {
            if (actions[i].Type == "forward")
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The target groups the forward sends to, with their weights (a plain TargetGroupArn counts as weight 1).</summary>
    public static IReadOnlyList<(string Arn, int Weight)> Weights(ElbAction forward) =>
        forward.ForwardConfig?.TargetGroups is { Count: > 0 } groups
            ? [.. groups.Where(g => g.TargetGroupArn is not null).Select(g => (g.TargetGroupArn!, g.Weight ?? 1))]
            : forward.TargetGroupArn is { } arn ? [(arn, 1)] : [];

    /// <summary>All traffic to one group, written as the plain form (TargetGroupArn); stickiness, if on, is kept in a one-group ForwardConfig.</summary>
    public static ElbAction Single(ElbAction forward, string arn) => forward with
    {
        TargetGroupArn = arn,
        ForwardConfig = forward.ForwardConfig?.TargetGroupStickinessConfig is { Enabled: true } sticky
            ? new ForwardActionConfig { TargetGroups = [new TargetGroupTuple { TargetGroupArn = arn, Weight = 1 }], TargetGroupStickinessConfig = sticky }
            : null,
    };

    /// <summary>
    /// A weighted forward. ALB weights are relative (0–999 each); zdp writes the percentages themselves, so a split
    /// reads back exactly, and target-group stickiness (the AWSALBTG cookie) stays as configured.
    /// </summary>
    public static ElbAction Weighted(ElbAction forward, IReadOnlyList<(string Arn, int Weight)> weights) => forward with
    {
        TargetGroupArn = null,
        ForwardConfig = new ForwardActionConfig
        {
            TargetGroups = [.. weights.Select(w => new TargetGroupTuple { TargetGroupArn = w.Arn, Weight = w.Weight })],
            TargetGroupStickinessConfig = forward.ForwardConfig?.TargetGroupStickinessConfig,
        },
    };

    public static IReadOnlyList<ElbAction> Replace(IReadOnlyList<ElbAction> actions, int index, ElbAction action) =>
        [.. actions.Select((a, i) => i == index ? action : a)];
}
