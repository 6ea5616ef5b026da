using System.Numerics;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>
/// Log-linear latency bins in whole microseconds, as HdrHistogram lays them out: below 16 µs one bin per
/// microsecond; above, every power of two split into 16 equal bins. A bin's midpoint is then within
/// <see cref="RelativeError"/> of every latency the bin holds (0.5 µs below 16 µs), so a percentile read from the
/// bins is within that bound of the exact nearest-rank percentile: the sample of that rank lies in the bin read.
/// </summary>
internal static class LatencyHistogram
{
    /// <summary>Bins per power of two; 16 keeps each bin's width at most 1/16 of its lower edge.</summary>
    private const int SubBinBits = 4;

    private const int SubBins = 1 << SubBinBits;

    /// <summary>2^32 µs is 71 minutes, far past any request the proxy lets run; longer ones count in the top bin.</summary>
    private const int TopOctave = 31;

    /// <summary>Half a bin's width over its lower edge: 1/32, about 3.1 %.</summary>
    public const double RelativeError = 1.0 / (2 * SubBins);

    public const int BinCount = ((TopOctave - SubBinBits) << SubBinBits) + (SubBins * 2);

    public static int Bin(TimeSpan latency)
    {
        // TimeSpan ticks are 100 ns; whole microseconds are plenty for requests that take tens of them.
        var micros = (ulong)Math.Max(0, latency.Ticks / 10);
        if (micros < SubBins)
        {
            return (int)micros;
        }

        var octave = Math.Min(63 - BitOperations.LeadingZeroCount(micros), TopOctave);
        var shift = octave - SubBinBits;
        var mantissa = (int)Math.Min(micros >> shift, (2 * SubBins) - 1);
        return (shift << SubBinBits) + mantissa;
    }

    /// <summary>The midpoint of a bin in milliseconds: the value a percentile that falls in it reports.</summary>
    public static double MidpointMs(int bin)
    {
        if (bin < SubBins)
        {
            return (bin + 0.5) / 1000;
        }

        var shift = (bin >> SubBinBits) - 1;
        var lower = (double)((long)((bin & (SubBins - 1)) + SubBins) << shift);
        var width = (double)(1L << shift);
        return (lower + (width / 2)) / 1000;
    }
}
