using System.Text;
using NenkinBatch.Domain;
using NenkinBatch.Formats.Layouts;

namespace NenkinBatch.Tests.Jobs.JukiSync;

/// <summary>A hand-made 住基 change extract: each row a whole snapshot, every field defaulted to a plausible resident and set where a test cares.</summary>
public sealed class JukiRows
{
    private static readonly Layout Layout = Layout.Resolve("juki-change-csv");
    private readonly List<Dictionary<string, string>> _rows = [];

    public static string Atena(int n) => AtenaNumber.WithCheckDigit((100000000 + n).ToString("D9", System.Globalization.CultureInfo.InvariantCulture));

    public static readonly string Household = AtenaNumber.WithCheckDigit("500000001");

    public IReadOnlyList<Dictionary<string, string>> Rows => _rows;

    /// <summary>Adds a row for person <paramref name="person"/>; <paramref name="set"/> overrides fields by layout name.</summary>
    public JukiRows Row(int person, int history, string reason, params (string Field, string Value)[] set)
    {
        _rows.Add(Snapshot(person, history, reason, set));
        return this;
    }

    public static Dictionary<string, string> Snapshot(int person, int history, string reason, params (string Field, string Value)[] set)
    {
        var row = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["atena_number"] = Atena(person), ["history_number"] = history.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["change_reason"] = reason, ["changed_on"] = "20261001", ["notified_on"] = "20261002", ["processed_on"] = "20261002",
            ["household_number"] = Household, ["relationship"] = "世帯主", ["name"] = $"試験　太郎{person}", ["name_kana"] = $"シケン　タロウ",
            ["common_name"] = "", ["birth_date"] = "19800115", ["birth_date_unknown"] = "", ["sex"] = "1", ["resident_kind"] = "1",
            ["resident_status"] = reason switch { "20" or "21" => "2", "22" => "3", "23" => "9", _ => "1" },
            ["postal_code"] = "2600013", ["address"] = "千葉県千葉市中央区中央１丁目１番１号", ["address_suffix"] = "", ["became_resident_on"] = "",
            ["moved_out_to"] = "", ["removed_on"] = "", ["individual_number"] = "", ["disclosure_block"] = "0", ["nationality"] = "", ["municipality_code"] = "121002",
        };
        foreach (var (field, value) in set) row[field] = value;
        return row;
    }

    public string Write(string path) => Write(path, _rows);

    /// <summary>Writes rows as they come (a large file is never held whole).</summary>
    public static string Write(string path, IEnumerable<Dictionary<string, string>> rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write(string.Join(",", Layout.Fields.Select(f => f.Label)) + "\r\n");
        foreach (var row in rows) writer.Write(string.Join(",", Layout.Fields.Select(f => Quote(row[f.Name]))) + "\r\n");
        return path;
    }

    private static string Quote(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
