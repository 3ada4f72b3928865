using System.Text.Json;
using System.Text.Json.Serialization;
using NenkinBatch.Foundation;
using NenkinBatch.Domain;

namespace NenkinBatch.Formats.Layouts;

/// <summary>One field of a layout: its name in code, its label for operators, how to check it, and (fixed-length) where its bytes are.</summary>
public sealed record LayoutField
{
    public required string Name { get; init; }
    public required string Label { get; init; }
    public string Type { get; init; } = "text";
    public string? Table { get; init; }
    /// <summary>"error" (the row is rejected) or "warning" (kept, reported) for a code missing from its table.</summary>
    public string UnknownIs { get; init; } = "error";
    public bool Required { get; init; }
    /// <summary>A CSV file may leave this column out of its header line; its value then reads as empty.</summary>
    public bool OptionalColumn { get; init; }
    /// <summary>The most characters (Unicode scalar values) a value may have, from the format's own widths: no register holds more.</summary>
    public int MaxLength { get; init; }
    public int Offset { get; init; }
    public int Length { get; init; }
    /// <summary>"half" (1 byte a character) or "full" (2 bytes a character, padded with U+3000).</summary>
    public string Width { get; init; } = "half";
}

public sealed record RecordSection
{
    public required string RecordType { get; init; }
    public required IReadOnlyList<LayoutField> Fields { get; init; }
}

/// <summary>
/// A file layout as data (docs/formats.md, "Layout files"): readers interpret it, so a city whose real files differ writes
/// a layout file, not code. The built-in ones are samples/layouts/*.json, embedded in the library.
/// </summary>
public sealed record Layout
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    /// <summary>"csv" or "fixed".</summary>
    public required string Kind { get; init; }
    public string Encoding { get; init; } = "cp932";
    public string? HeaderFirstField { get; init; }
    /// <summary>A csv layout whose columns are found by their header labels, in any order.</summary>
    public bool HeaderRequired { get; init; }
    public int RecordLength { get; init; }
    public IReadOnlyDictionary<string, string> EraCodes { get; init; } = new Dictionary<string, string>();
    public RecordSection? Header { get; init; }
    public RecordSection? Trailer { get; init; }
    public string? DataRecordType { get; init; }
    public required IReadOnlyList<LayoutField> Fields { get; init; }

    [JsonIgnore]
    public bool IsFixed => Kind == "fixed";

    [JsonIgnore]
    public WarekiCodec Wareki => _wareki ??= new WarekiCodec(EraCodes);
    private WarekiCodec? _wareki;

    /// <summary>The position of a field in <see cref="Fields"/>, or -1.</summary>
    /// <remarks>
    /// Called for every field of every row with a name written in code: names are interned when the layout
    /// is loaded, so a reference comparison finds them, and a scan of twenty names beats hashing (measured).
    /// </remarks>
    public int IndexOf(string name)
    {
        var names = _names ??= Fields.Select(f => string.Intern(f.Name)).ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            if (ReferenceEquals(names[i], name)) return i;
        }
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        }
        return -1;
    }
    private string[]? _names;

    /// <summary>The field of that name; the layout must have it.</summary>
    public LayoutField Field(string name) => IndexOf(name) is var i and >= 0 ? Fields[i] : throw new ArgumentException($"layout {Name} has no field {name}", nameof(name));

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static Layout Load(Stream json, string source)
    {
        try
        {
            var layout = JsonSerializer.Deserialize<Layout>(json, Json) ?? throw new JsonException("empty");
            layout.Validate(source);
            return layout;
        }
        catch (JsonException e)
        {
            throw new OperatorException(ExitCode.UsageError, $"レイアウトファイル {source} が読めません（{e.Message}）。");
        }
    }

    /// <summary>A built-in layout by name, or a layout file by path.</summary>
    public static Layout Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath))
        {
            using var file = File.OpenRead(nameOrPath);
            return Load(file, nameOrPath);
        }
        using var resource = typeof(Layout).Assembly.GetManifestResourceStream($"layouts/{nameOrPath}.json")
            ?? throw new OperatorException(ExitCode.UsageError,
                $"レイアウト「{nameOrPath}」がありません。組み込みのレイアウト（{string.Join("、", BuiltInNames)}）の名前か、レイアウトファイルのパスを指定してください。");
        return Load(resource, nameOrPath);
    }

    public static IReadOnlyList<string> BuiltInNames =>
        typeof(Layout).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("layouts/", StringComparison.Ordinal))
            .Select(n => Path.GetFileNameWithoutExtension(n["layouts/".Length..]))
            .Order(StringComparer.Ordinal).ToList();

    private void Validate(string source)
    {
        string? problem = null;
        if (Kind is not ("csv" or "fixed")) problem = $"kind は csv か fixed です（{Kind}）";
        else if (IsFixed && (RecordLength <= 0 || Header is null || Trailer is null || DataRecordType is null))
            problem = "fixed のレイアウトには recordLength、header、trailer、dataRecordType が必要です";
        else if (IsFixed && Fields.Concat(Header!.Fields).Concat(Trailer!.Fields).FirstOrDefault(f => f.Offset < 1 || f.Length < 1 || f.Offset + f.Length > RecordLength) is { } bad)
            problem = $"項目 {bad.Label} の位置（{bad.Offset}+{bad.Length}）がレコード長 {RecordLength} の外です";
        else if (Fields.Concat(Header?.Fields ?? []).Concat(Trailer?.Fields ?? []).FirstOrDefault(f => f.MaxLength < 1) is { } unbounded)
            problem = $"項目 {unbounded.Label} に maxLength（最大文字数）がありません";
        if (problem is null)
        {
            try { _ = Wareki; }
            catch (ArgumentException e) { problem = e.Message; }
        }
        if (problem is not null)
            throw new OperatorException(ExitCode.UsageError, $"レイアウトファイル {source}: {problem}。");
    }
}
