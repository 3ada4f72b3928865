namespace NenkinBatch.Foundation;

/// <summary>
/// A failure an operator can act on: it carries the exit code and a Japanese message that says
/// what happened and what to do. The console shows the message only; the log file has the rest.
/// </summary>
public class OperatorException(ExitCode exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public ExitCode ExitCode { get; } = exitCode;
}
