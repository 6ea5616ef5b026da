using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Gates;

/// <summary>
/// Runs one gate: <see cref="GateSpec.Count"/> measurements, <see cref="GateSpec.Interval"/> apart on the
/// injected clock, stopping early once the failure limit is exceeded.
/// </summary>
public sealed class GateEvaluator
{
    private readonly Dictionary<string, IGateSource> _sources;
    private readonly TimeProvider _time;

    public GateEvaluator(IEnumerable<IGateSource> sources, TimeProvider time)
    {
        _sources = sources.ToDictionary(s => s.Kind, StringComparer.Ordinal);
        _time = time;
    }

    public bool Supports(string kind) => _sources.ContainsKey(kind);

    public async Task<GateResult> EvaluateAsync(GateSpec gate, GateContext context, Action<GateResult>? onMeasurement, CancellationToken cancellationToken)
    {
        if (!_sources.TryGetValue(gate.SourceKind, out var source))
        {
            return new GateResult(gate.Name, GateVerdict.Fail, null, gate.Condition.ToString(), 0, 0, 0, 0,
                $"no '{gate.SourceKind}' gate source is available on this platform");
        }

        int failures = 0, inconclusives = 0, samples = 0, measurements = 0;
        double? last = null;
        string? detail = null;
        for (var i = 0; i < gate.Count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(gate.Interval, _time, cancellationToken);
            }

            Measurement m;
            try
            {
                m = await source.MeasureAsync(gate, context, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A source that cannot be read is no evidence either way; treated like no data.
                m = Measurement.NoData($"source error: {e.Message}");
            }

            measurements++;
            detail = m.Detail;
            switch (Judge(gate, m))
            {
                case GateVerdict.Pass:
                    last = m.Value;
                    samples = m.Samples;
                    break;
                case GateVerdict.Fail:
                    last = m.Value;
                    samples = m.Samples;
                    failures++;
                    break;
                default:
                    inconclusives++;
                    break;
            }

            var partial = Result(gate, failures, inconclusives, samples, measurements, last, detail, final: false);
            onMeasurement?.Invoke(partial);
            if (partial.Verdict == GateVerdict.Fail)
            {
                return partial;
            }
        }

        return Result(gate, failures, inconclusives, samples, measurements, last, detail, final: true);
    }

    /// <summary>Verdict of a single measurement, applying the gate's no-data policy.</summary>
    public static GateVerdict Judge(GateSpec gate, Measurement m)
    {
        if (m.Value is not { } value || m.Samples < gate.MinSamples || double.IsNaN(value))
        {
            return gate.NoData switch
            {
                NoDataPolicy.Pass => GateVerdict.Pass,
                NoDataPolicy.Fail => GateVerdict.Fail,
                _ => GateVerdict.Inconclusive,
            };
        }

        return gate.Condition.IsMetBy(value) ? GateVerdict.Pass : GateVerdict.Fail;
    }

    private static GateResult Result(GateSpec gate, int failures, int inconclusives, int samples, int measurements, double? last, string? detail, bool final)
    {
        var verdict = failures > gate.FailureLimit ? GateVerdict.Fail
            : inconclusives > gate.InconclusiveLimit && final ? GateVerdict.Inconclusive
            : GateVerdict.Pass;
        return new GateResult(gate.Name, verdict, last, gate.Condition.ToString(), samples, measurements, failures, inconclusives, detail);
    }
}
