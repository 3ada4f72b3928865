namespace NenkinBatch.Foundation;

/// <summary>
/// The exit codes every job returns; schedulers and monitoring key on them, so they never change.
/// Numbers avoid 1 and 2, which the runtime and shells use for their own failures, so an exit that
/// did not come from us is never mistaken for one of ours. README.md documents the table.
/// </summary>
public enum ExitCode
{
    Success = 0,
    CompletedWithRowErrors = 10,
    InputRejected = 20,
    RefusedBySafetyRule = 30,
    /// <summary>
    /// nenkin-admin doctor found a check that fails (✗). No job returns it: a monitor that sees 40 knows an installation
    /// check spoke, not a night's run, and the number sits apart from every job's code.
    /// </summary>
    CheckFailed = 40,
    UsageError = 64,
    DatabaseUnavailable = 69,
    UnexpectedFailure = 70,
    AlreadyRunning = 75,
    Interrupted = 130,
}
