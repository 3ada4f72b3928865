using Microsoft.Extensions.Configuration;

namespace NenkinBatch.Runtime;

/// <summary>Where the value of a setting in force came from, highest precedence first.</summary>
public enum SettingSource
{
    CommandLine,
    Environment,
    File,
    Default,
}

/// <summary>One setting as resolved: its key as written in the file, its environment variable, the raw value (null: the default) and where it came from.</summary>
public sealed record SettingOrigin(string Key, string Variable, string? Value, SettingSource Source);

/// <summary>The configuration file in force, where each setting came from, and the file's keys no setting reads.</summary>
public sealed record SettingOrigins(string? ConfigFile, IReadOnlyList<SettingOrigin> Settings, IReadOnlyList<string> UnknownKeys);

public sealed partial record Settings
{
    /// <summary>The settings a command-line option sets, with the option and its value (every other setting comes from the environment, the file or its default).</summary>
    private static readonly (string Key, string Option, Func<CommandLine, string?> Value)[] CommandLineSettings =
    [
        ("db", "--db", c => c.Database),
        ("municipalityCode", "--municipality", c => c.Municipality),
        ("logDir", "--log-dir", c => c.LogDirectory),
    ];

    private static (string Key, string Option, Func<CommandLine, string?> Value) CommandLineSetting(string key) =>
        CommandLineSettings.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The option that sets a setting on the command line, or null when only the environment and the file can.</summary>
    public static string? CommandLineOptionOf(string key) => CommandLineSetting(key).Option;

    /// <summary>
    /// The same search and the same layers as <see cref="Resolve"/>, told setting by setting: an operator who finds a job
    /// reading the wrong database needs to see that an environment variable, not the file they edited, named it. The file
    /// is read on its own so that its keys can be listed: a key no setting reads (a misspelt <c>reportsDir</c>) is silently
    /// ignored by the jobs, and is named here. Throws as <see cref="Resolve"/> does for a --config file that is missing or not JSON.
    /// </summary>
    public static SettingOrigins Origins(CommandLine commandLine, Func<string, string?> environment, string workingDirectory, string executableDirectory)
    {
        var path = FindFile(commandLine.ConfigFile, workingDirectory, executableDirectory);
        // Load checks the file the way the jobs read it (and throws its operator error when it is not JSON).
        _ = Load(path, new CommandLine(null, null, null, null), _ => null);
        IConfigurationRoot? file = null;
        if (path is not null)
        {
            using var stream = File.OpenRead(path);
            file = new ConfigurationBuilder().AddJsonStream(stream).Build();
        }
        var origins = new List<SettingOrigin>();
        foreach (var (key, variable) in EnvironmentVariables)
        {
            var name = key.Replace(':', '.');
            if (CommandLineSetting(key).Value?.Invoke(commandLine) is { } fromCommandLine)
                origins.Add(new SettingOrigin(name, variable, fromCommandLine, SettingSource.CommandLine));
            else if (environment(variable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
                origins.Add(new SettingOrigin(name, variable, fromEnvironment, SettingSource.Environment));
            else if (file?[key] is { } fromFile)
                origins.Add(new SettingOrigin(name, variable, fromFile, SettingSource.File));
            else
                origins.Add(new SettingOrigin(name, variable, null, SettingSource.Default));
        }
        var known = EnvironmentVariables.Select(v => v.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Sections ("retry") have no value of their own; only keys that carry one can be a setting.
        var unknown = file is null
            ? []
            : file.AsEnumerable().Where(pair => pair.Value is not null && !known.Contains(pair.Key))
                .Select(pair => pair.Key.Replace(':', '.')).Order(StringComparer.Ordinal).ToList();
        return new SettingOrigins(path, origins, unknown);
    }
}
