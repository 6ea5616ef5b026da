namespace ZdPipelines.Hosts.AzureDevOps.Inputs;

/// <summary>A task input the task cannot use. The message names the input and says what to write instead.</summary>
internal sealed class TaskInputException : Exception
{
    public TaskInputException()
    {
        InputName = "";
    }

    public TaskInputException(string message)
        : base(message)
    {
        InputName = "";
    }

    public TaskInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        InputName = "";
    }

    public TaskInputException(string inputName, string message)
        : base(message)
    {
        InputName = inputName;
    }

    /// <summary>The input as task.json names it.</summary>
    public string InputName { get; }
}
