using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using NenkinBatch.Foundation;

namespace NenkinBatch.Runtime.Cli;

/// <summary>
/// Runs a job executable's command line: parse errors are usage errors with their own exit code,
/// and no exception ever reaches the console as a stack trace.
/// </summary>
public static class CommandLineHost
{
    /// <summary>Set to 1, every executable parses its command line, says whether it is valid (exit 0, or 64 naming what is wrong) and runs nothing.</summary>
    public const string CheckOnlyVariable = "NENKIN_CHECK_COMMAND_LINE";

    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        OwnerOnlyFiles.Apply();
        Console.OutputEncoding = new UTF8Encoding(false);
        // Help in Japanese whatever the machine's UI culture (the built-in options are English otherwise).
        foreach (var option in root.Options)
        {
            if (option is System.CommandLine.Help.HelpOption) option.Description = "ヘルプ（使い方）を表示する";
            else if (option is VersionOption) option.Description = "バージョンを表示する";
        }
        var parse = ParseInvariant(root, args);
        var errors = parse.Action is System.CommandLine.Help.HelpAction ? [] : CommandLineErrors.Describe(parse);
        if (errors.Count > 0)
        {
            foreach (var error in errors) Console.Error.WriteLine($"コマンドラインの誤り: {error}");
            Console.Error.WriteLine($"使い方は {root.Name} --help で確認できます。");
            return (int)ExitCode.UsageError;
        }
        // A scheduled task's or a crontab's arguments, or a command line in the operator's guide, checked without running
        // anything: the same parse and the same messages, then exit 0 instead of the job.
        if (Environment.GetEnvironmentVariable(CheckOnlyVariable) == "1" && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            Console.Out.WriteLine($"コマンドラインは正しく読めます（{CheckOnlyVariable}=1 のため実行はしません）: {CommandPath(parse.CommandResult)}");
            return (int)ExitCode.Success;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                // Ctrl+C / SIGTERM cancel the token; the job stops at its next chunk boundary within this time.
                ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
            });
        }
        catch (Exception e)
        {
            var (_, code, message) = JobRunner.Classify(e);
            Console.Error.WriteLine(message);
            return (int)code;
        }
    }

    /// <summary>The command as typed, from the executable down ("nenkin-admin runs show").</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? current = command; current is not null; current = current.Parent)
        {
            if (current is CommandResult result) names.Add(result.Command.Name);
        }
        names.Reverse();
        return string.Join(" ", names);
    }

    /// <summary>
    /// Parses with the parser's errors in the one wording <see cref="CommandLineErrors"/> knows, whatever the machine's
    /// language; the help, written later, keeps the machine's.
    /// </summary>
    private static ParseResult ParseInvariant(RootCommand root, string[] args)
    {
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            return root.Parse(args);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    /// <summary>
    /// For a command validator: the option's value when it was given and parses. A command's validators run
    /// before its options are converted, and an error from them hides the option's own error, so a value that
    /// does not parse is left for the option to report.
    /// </summary>
    public static bool TryGetValue<T>(this CommandResult command, Option<T> option, [MaybeNullWhen(false)] out T value)
    {
        value = default;
        if (command.GetResult(option) is not { Implicit: false } given) return false;
        try
        {
            value = given.GetValueOrDefault<T>()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Wraps a non-job action (db, runs) so its operator errors end with their exit code and message only.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Guard(Func<ParseResult, CancellationToken, Task<int>> action) =>
        async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (Exception e)
            {
                var logged = JobRunner.Classify(e).Code == ExitCode.UnexpectedFailure ? LogUnexpected(parse, e) : null;
                var (_, code, message) = JobRunner.Classify(e, logged);
                Console.Error.WriteLine(message);
                return (int)code;
            }
        };

    /// <summary>
    /// An admin command has no run log of its own: the unexpected failure goes to nenkin-admin-YYYYMMDD.log for whoever
    /// investigates. Returns the folder, or null when it could not be written (the console message then claims no log).
    /// </summary>
    private static string? LogUnexpected(ParseResult parse, Exception e)
    {
        var directory = Path.GetFullPath(Environment.GetEnvironmentVariable("NENKIN_LOG_DIR") is { Length: > 0 } dir ? dir : "logs");
        try
        {
            PrivateFolder.Prepare(directory, "ログの出力先", "環境変数 NENKIN_LOG_DIR");
            using var factory = Logging.Create(new Logging.Options(directory, parse.RootCommandResult.Command.Name, false, true, TextWriter.Null, TextWriter.Null));
            factory.GetLogger("admin").Error(e, "{0} で予期しないエラー", parse.CommandResult.Command.Name);
            factory.Flush();
            return directory;
        }
        catch (Exception failure) when (failure is OperatorException or IOException or UnauthorizedAccessException)
        {
            // Nowhere to log: the console message still stands.
            return null;
        }
    }

}
