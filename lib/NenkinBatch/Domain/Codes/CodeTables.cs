using System.Collections.Frozen;
using System.Text.Json;

namespace NenkinBatch.Domain.Codes;

/// <summary>
/// The code tables (被保険者種別, 取得事由, 喪失事由, 届書コード …). They are data, not code:
/// most codes are assumed (docs/domain.md, "Codes"), so a city replaces the file instead of the program.
/// </summary>
public sealed class CodeTables
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _tables;

    private CodeTables(FrozenDictionary<string, FrozenDictionary<string, string>> tables) => _tables = tables;

    public static CodeTables BuiltIn { get; } = LoadBuiltIn();

    public CodeTable this[string name] =>
        _tables.TryGetValue(name, out var table)
            ? new CodeTable(name, table)
            : throw new KeyNotFoundException($"コード表 {name} がありません");

    public CodeTable Sex => this["sex"];
    public CodeTable ResidentStatus => this["residentStatus"];
    public CodeTable InsuredCategory => this["insuredCategory"];
    public CodeTable AcquisitionReason => this["acquisitionReason"];
    public CodeTable LossReason => this["lossReason"];

    public static CodeTables Load(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var tables = new Dictionary<string, FrozenDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var table in document.RootElement.EnumerateObject())
        {
            if (table.Value.ValueKind != JsonValueKind.Object) continue;
            tables[table.Name] = table.Value.EnumerateObject()
                .ToFrozenDictionary(code => code.Name, code => code.Value.GetString() ?? "", StringComparer.Ordinal);
        }
        return new CodeTables(tables.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public static CodeTables LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    private static CodeTables LoadBuiltIn()
    {
        using var stream = typeof(CodeTables).Assembly.GetManifestResourceStream("codes.json")
            ?? throw new InvalidOperationException("built-in code tables are missing from the assembly");
        return Load(stream);
    }
}

/// <summary>One code table: code → Japanese name.</summary>
public readonly record struct CodeTable(string Name, FrozenDictionary<string, string> Entries)
{
    public bool Contains(string code) => Entries.ContainsKey(code);
    public string Describe(string code) => Entries.TryGetValue(code, out var name) ? $"{code} {name}" : code;
    public string Codes => string.Join("/", Entries.Keys.Order(StringComparer.Ordinal));
}
