namespace ZdPipelines.Core.Spec;

public sealed record BlueGreenSpec
{
    /// <summary>Gates run against the preview address before the switch (after hooks.preSwitch).</summary>
    public IReadOnlyList<string> PreSwitchGates { get; init; } = [];
    /// <summary>Gates run after the switch; a failure switches back.</summary>
    public IReadOnlyList<string> PostSwitchGates { get; init; } = [];
    /// <summary>How long to watch the new side after the switch before calling the deployment done.</summary>
    public TimeSpan Bake { get; init; } = BlueGreenDefaults.Bake;
    /// <summary>How long the previous side stays registered so that `zdp rollback` is one instant switch.</summary>
    public TimeSpan KeepPreviousFor { get; init; } = BlueGreenDefaults.KeepPreviousFor;
}

public static class BlueGreenDefaults
{
    /// <summary>Long enough for gates with a 10 s interval to take a few samples; short enough not to stall CI.</summary>
    public static readonly TimeSpan Bake = TimeSpan.FromMinutes(1);
    /// <summary>Argo Rollouts keeps the old ReplicaSet 30 s; we keep longer because a human may need to notice.</summary>
    public static readonly TimeSpan KeepPreviousFor = TimeSpan.FromMinutes(30);
}
