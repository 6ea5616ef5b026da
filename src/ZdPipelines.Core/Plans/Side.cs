namespace ZdPipelines.Core.Plans;

/// <summary>
/// The two versions a deployment moves between. Stable is what serves when the deployment starts
/// (blue); Candidate is the new version (green, canary).
/// </summary>
public enum Side
{
    Stable,
    Candidate,
}
