using System.Runtime.InteropServices;

namespace ZdPipelines.Hosts.AzureDevOps.Tests;

public sealed class TaskCancellationTests
{
    [Fact]
    public void The_first_signal_cancels_and_the_second_interrupts_the_rollback_and_neither_ends_the_process()
    {
        using var notices = new StringWriter();
        using var cancellation = TaskCancellation.ForTests(notices);

        cancellation.OnSignal(PosixSignal.SIGINT);
        Assert.True(cancellation.Token.IsCancellationRequested);
        Assert.False(cancellation.Interrupt.IsCancellationRequested);

        cancellation.OnSignal(PosixSignal.SIGTERM);
        Assert.True(cancellation.Interrupt.IsCancellationRequested);
        Assert.Contains("SIGTERM received again: finishing the move of traffic back", notices.ToString());
    }
}
