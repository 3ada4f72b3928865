using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using NenkinBatch.Formats;

namespace NenkinBatch.Runtime.Cli;

/// <summary>
/// The parser's errors as an operator reads them: in Japanese, naming the option, argument or command and what it
/// takes. The parser words its own errors in English (its Japanese resources cover a few, in part), so the host parses
/// under the invariant culture and each English form is said again here; the validators' messages are Japanese already.
/// </summary>
internal static partial class CommandLineErrors
{
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        var messages = new List<string>();
        // A FILE… argument or an option's value takes any token; one that looks like an option is an unknown option, not a file.
        foreach (var token in parse.Tokens.TakeWhile(t => t.Type != TokenType.DoubleDash))
        {
            if (token.Type == TokenType.Argument && LooksLikeOption(token.Value)) messages.Add(UnknownOption(token.Value, parse.CommandResult));
        }
        // An unknown command already says which commands follow; "a command is missing" would say it twice.
        var unknownCommand = parse.Errors.Any(e => Unrecognized().Match(e.Message) is { Success: true } m && !LooksLikeOption(m.Groups[1].Value));
        foreach (var error in parse.Errors.Where(e => !(unknownCommand && MissingSubcommand().IsMatch(e.Message))))
            messages.Add(Describe(error, parse));
        // The messages repeat what was typed; a 個人番号 typed in the wrong place is not repeated.
        return messages.Select(m => RowProblem.Masked(null, m)!).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>"--name" or "-x", but not a negative number.</summary>
    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && !char.IsAsciiDigit(token[1]);

    private static string Describe(ParseError error, ParseResult parse)
    {
        var command = CommandOf(error.SymbolResult) ?? parse.CommandResult;
        if (Unrecognized().Match(error.Message) is { Success: true } unrecognized)
        {
            var token = unrecognized.Groups[1].Value;
            if (LooksLikeOption(token)) return UnknownOption(token, command);
            var subcommands = Subcommands(command.Command);
            return command.Command.Action is null && subcommands.Count > 0
                ? $"不明なコマンド「{token}」です{Suggestion(token, subcommands)}。{AfterCommand(command.Command)}"
                : $"余分な引数「{token}」です。{command.Command.Name} に渡せる引数は{ArgumentList(command.Command)}"
                  + (subcommands.Count > 0 ? $"（コマンドは {string.Join("、", subcommands)}）。" : "。");
        }
        if (MissingCommandArgument().IsMatch(error.Message))
        {
            var missing = command.Command.Arguments.Where(a => !a.Hidden && a.Arity.MinimumNumberOfValues > 0
                && command.Children.OfType<ArgumentResult>().FirstOrDefault(r => r.Argument == a) is not { Tokens.Count: > 0 });
            return $"{command.Command.Name} には {string.Join("、", missing.Select(a => $"{a.Name}（{a.Description}）"))}を指定してください。";
        }
        if (MissingOptionValue().Match(error.Message) is { Success: true } noValue && FindOption(noValue.Groups[1].Value, command) is { } withoutValue)
            return $"{withoutValue.Name} の後に{Expects(withoutValue.ValueType)}を指定してください。";
        if (RequiredOption().Match(error.Message) is { Success: true } required && FindOption(required.Groups[1].Value, command) is { } requiredOption)
            return $"{requiredOption.Name}（{requiredOption.Description}）を指定してください。";
        if (OptionValueNotParsed().Match(error.Message) is { Success: true } badOption && FindOption(badOption.Groups[2].Value, command) is { } option)
            return $"{option.Name} の値「{badOption.Groups[1].Value}」は{Expects(option.ValueType)}で指定してください。";
        if (ArgumentValueNotParsed().Match(error.Message) is { Success: true } badArgument && error.SymbolResult is ArgumentResult argument)
            return $"{argument.Argument.Name} の値「{badArgument.Groups[1].Value}」は{Expects(argument.Argument.ValueType)}で指定してください。";
        if (NotAmongAllowed().Match(error.Message) is { Success: true } notAllowed)
        {
            var allowed = string.Join("、", Quoted().Matches(notAllowed.Groups[2].Value).Select(m => m.Groups[1].Value));
            var name = error.SymbolResult switch
            {
                OptionResult o => o.Option.Name,
                ArgumentResult { Parent: OptionResult o } => o.Option.Name,
                ArgumentResult a => a.Argument.Name,
                _ => "値",
            };
            return $"{name} の値「{notAllowed.Groups[1].Value}」は使えません。{allowed} のどれかを指定してください。";
        }
        if (MissingSubcommand().IsMatch(error.Message)) return AfterCommand(command.Command);
        if (OneValueOnly().Match(error.Message) is { Success: true } twice)
            return $"{twice.Groups[1].Value} は1回だけ、値を1つ付けて指定してください。";
        return error.Message;
    }

    private static string UnknownOption(string token, CommandResult command)
    {
        var known = OptionsOf(command).SelectMany(o => o.Aliases.Prepend(o.Name)).ToList();
        var suggestion = Suggestion(token, known);
        return suggestion.Length > 0
            ? $"不明なオプション「{token}」です{suggestion}。"
            : $"不明なオプション「{token}」です。{command.Command.Name} で使えるオプションは --help で確認できます。";
    }

    /// <summary>The closest known name when the token is a slip of one or two keys (--aply for --apply).</summary>
    private static string Suggestion(string token, IEnumerable<string> names)
    {
        var closest = names.Select(name => (name, distance: Distance(token, name))).Where(c => c.distance <= 2).OrderBy(c => c.distance).FirstOrDefault();
        return closest.name is null ? "" : $"（{closest.name} のことですか？）";
    }

    private static List<string> Subcommands(Command command) => command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();

    private static string AfterCommand(Command command) =>
        $"{command.Name} の後には {string.Join("、", Subcommands(command))} のどれかを指定してください。";

    private static string ArgumentList(Command command) =>
        command.Arguments.Count == 0 ? "ありません" : $" {string.Join("、", command.Arguments.Select(a => a.Arity.MaximumNumberOfValues > 1 ? a.Name + "…" : a.Name))} だけです";

    private static string Expects(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "整数",
        var t when t == typeof(ulong) => "0以上の整数",
        var t when t == typeof(DateOnly) => "日付（YYYY-MM-DD）",
        var t when t == typeof(FileInfo) || t == typeof(FileInfo[]) => "ファイルのパス",
        var t when t == typeof(DirectoryInfo) => "フォルダーのパス",
        _ => "値",
    };

    private static CommandResult? CommandOf(SymbolResult? result)
    {
        for (var current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command) return command;
        }
        return null;
    }

    /// <summary>The options a command takes: its own and the recursive ones of the commands above it.</summary>
    private static IEnumerable<Option> OptionsOf(CommandResult command)
    {
        foreach (var option in command.Command.Options) yield return option;
        for (var parent = command.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            foreach (var option in parent.Command.Options.Where(o => o.Recursive)) yield return option;
        }
    }

    private static Option? FindOption(string name, CommandResult command) =>
        OptionsOf(command).FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name));

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"^Unrecognized command or argument '(.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^Required argument missing for command: '(.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex MissingCommandArgument();

    [GeneratedRegex(@"^Required argument missing for option: '(.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex MissingOptionValue();

    [GeneratedRegex(@"^Option '(.*)' is required\.$", RegexOptions.Singleline)]
    private static partial Regex RequiredOption();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for option '(.*)' as expected type", RegexOptions.Singleline)]
    private static partial Regex OptionValueNotParsed();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for command '(.*)' as expected type", RegexOptions.Singleline)]
    private static partial Regex ArgumentValueNotParsed();

    [GeneratedRegex(@"^Argument '(.*?)' not recognized\. Must be one of:(.*)$", RegexOptions.Singleline)]
    private static partial Regex NotAmongAllowed();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^Required command was not provided\.$")]
    private static partial Regex MissingSubcommand();

    [GeneratedRegex(@"^Option '(.*)' expects a single argument but (\d+) were provided\.$")]
    private static partial Regex OneValueOnly();
}
