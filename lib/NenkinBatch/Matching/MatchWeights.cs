using System.Text.Json;

namespace NenkinBatch.Matching;

/// <summary>
/// The Fellegi–Sunter weights: m and u per field and level as data (Matching/Data/weights.json, with the reasoning
/// beside them), turned into log2(m/u) once. A city or a calibration run replaces the file, not the code.
/// </summary>
public sealed class MatchWeights
{
    private readonly Dictionary<(string Field, string Level), double> _weights = [];

    public static MatchWeights BuiltIn { get; } = Load(typeof(MatchWeights).Assembly.GetManifestResourceStream("matching/weights.json")!);

    public static MatchWeights Load(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var weights = new MatchWeights();
        foreach (var field in document.RootElement.GetProperty("fields").EnumerateObject())
        {
            foreach (var level in field.Value.EnumerateObject())
            {
                var m = level.Value[0].GetDouble();
                var u = level.Value[1].GetDouble();
                weights._weights[(field.Name, level.Name)] = Math.Log2(m / u);
            }
        }
        return weights;
    }

    public double this[string field, string level] =>
        _weights.TryGetValue((field, level), out var weight) ? weight : throw new KeyNotFoundException($"no weight for {field}/{level}");
}
