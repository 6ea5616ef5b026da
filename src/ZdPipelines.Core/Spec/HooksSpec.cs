namespace ZdPipelines.Core.Spec;

public sealed record HooksSpec
{
    /// <summary>Run before the blue-green switch (smoke tests against the preview address).</summary>
    public IReadOnlyList<HookSpec> PreSwitch { get; init; } = [];
    /// <summary>Rolling: update a batch of targets; receives the target ids.</summary>
    public IReadOnlyList<HookSpec> Update { get; init; } = [];
    /// <summary>After a successful promotion.</summary>
    public IReadOnlyList<HookSpec> PostPromote { get; init; } = [];
    /// <summary>After a rollback has restored the starting state.</summary>
    public IReadOnlyList<HookSpec> PostRollback { get; init; } = [];

    public IEnumerable<HookSpec> All => PreSwitch.Concat(Update).Concat(PostPromote).Concat(PostRollback);

    /// <summary>The four hook lists with their keys in zdp.yml, in the order they run in a deployment's life.</summary>
    public IEnumerable<(string List, IReadOnlyList<HookSpec> Hooks)> Lists =>
        [(HookLists.PreSwitch, PreSwitch), (HookLists.Update, Update), (HookLists.PostPromote, PostPromote), (HookLists.PostRollback, PostRollback)];
}

public static class HookLists
{
    public const string PreSwitch = "preSwitch";
    public const string Update = "update";
    public const string PostPromote = "postPromote";
    public const string PostRollback = "postRollback";

    public static readonly IReadOnlyList<string> All = [PreSwitch, Update, PostPromote, PostRollback];
}

public sealed record HookSpec
{
    public required string Name { get; init; }
    public required string Run { get; init; }
    public TimeSpan Timeout { get; init; } = HookDefaults.Timeout;
}

public static class HookDefaults
{
    /// <summary>Long enough for a smoke-test suite or a batch update; a hook that hangs must not hold production for an hour.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
}
