using System.Text.Json;

namespace NenkinBatch.Runtime;

/// <summary>The counts a run reports, in the order they were first named.</summary>
public sealed class RunCounts
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);

    public RunCounts(params string[] names)
    {
        foreach (var name in names) this[name] = 0;
    }

    public long this[string name]
    {
        get => _values.GetValueOrDefault(name);
        set
        {
            if (!_values.ContainsKey(name)) _order.Add(name);
            _values[name] = value;
        }
    }

    public void Add(RunCounts delta)
    {
        foreach (var name in delta._order) this[name] += delta[name];
    }

    public RunCounts Plus(RunCounts delta)
    {
        var sum = new RunCounts();
        sum.Add(this);
        sum.Add(delta);
        return sum;
    }

    public IEnumerable<KeyValuePair<string, long>> Entries => _order.Select(name => new KeyValuePair<string, long>(name, _values[name]));

    public string ToJson() => JsonSerializer.Serialize(Entries.ToDictionary(e => e.Key, e => e.Value));

    public static RunCounts FromJson(string? json)
    {
        var counts = new RunCounts();
        if (string.IsNullOrEmpty(json)) return counts;
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? []) counts[name] = value;
        return counts;
    }

    public override string ToString() => string.Join(", ", Entries.Select(e => $"{e.Key}={e.Value}"));
}
