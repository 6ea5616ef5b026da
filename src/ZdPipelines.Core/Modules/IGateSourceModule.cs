using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Validation;

namespace ZdPipelines.Core.Modules;

/// <summary>
/// One kind of gate source, as the spec and the engine meet it: its block under a gate (binding, rules, JSON Schema)
/// and the <see cref="IGateSource"/> that measures it on an opened platform. Defined by the source's owner: http and
/// command by ZdPipelines.Gates, metrics by the core, CloudWatch and alarm by the AWS platform.
/// </summary>
public interface IGateSourceModule
{
    /// <summary>The key of the block under a gate ("http"), equal to <see cref="GateSourceOptions.Kind"/> and <see cref="IGateSource.Kind"/>.</summary>
    string Key { get; }

    /// <summary>What the gate does, for "gate 'x' reads CloudWatch, which needs an AWS platform".</summary>
    string Reads { get; }

    /// <summary>Reads the block from the gate's mapping (the module asks for its own key); null when there is no usable block.</summary>
    GateSourceOptions? Bind(SpecMapping gate);

    /// <summary>Checks the options; <paramref name="path"/> is the block's path, e.g. "gates[1].http".</summary>
    void Validate(GateSourceOptions options, string path, DeploymentSpec spec, SpecProblems problems);

    /// <summary>The JSON Schema of the block: a JSON object with "$defs", one of which is named <c>{Key}Source</c>.</summary>
    string Schema { get; }

    /// <summary>The source that measures these gates on <paramref name="platform"/>, or null when the platform cannot serve it.</summary>
    IGateSource? CreateSource(IPlatform platform, TimeProvider time);
}
