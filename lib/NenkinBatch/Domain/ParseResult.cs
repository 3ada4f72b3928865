namespace NenkinBatch.Domain;

/// <summary>What a value type's parser says: the value, or exactly what was wrong (in Japanese, for operators).</summary>
public readonly record struct Parsed<T>(T? Value, string? Error)
{
    public bool Ok => Error is null;
    public static Parsed<T> Success(T value) => new(value, null);
    public static Parsed<T> Failure(string error) => new(default, error);
}
