namespace ZdPipelines.Core.Spec;

/// <summary>
/// The outcome of reading a zdp.yml. An invalid spec is a result, not an exception: <see cref="Spec"/> is
/// null whenever there is at least one error, and <see cref="Errors"/> then holds every problem found, in file order.
/// </summary>
public sealed record SpecReadResult(DeploymentSpec? Spec, IReadOnlyList<SpecError> Errors)
{
    public bool IsValid => Spec is not null && Errors.Count == 0;
}
